"""The open data: each published list as CSV and JSON under the Licence Ouverte 2.0, described
column by column by the data dictionary page. One definition per dataset serves the files and
the dictionary, so that they cannot disagree."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from actions.models import ActionPartner
from actions.selectors import actions_with_progress
from toolkit.tables import dataset_export

from .selectors import (
    PUBLIC,
    network_values_of,
    object_progress,
    published_structure_values,
    visible_actions,
    visible_axes,
    visible_indicators,
    visible_objectives,
)

LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # « entier », « texte », « nombre décimal », …
    description: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[tuple]]


def _progress(value: float | None) -> int | None:
    return None if value is None else round(value)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize() if value == value.to_integral() else value, "f")


def _axes_rows():
    progress = object_progress(visible_axes(PUBLIC).values_list("chapter__plan_id", flat=True).distinct())["axes"]
    for axis in (
        visible_axes(PUBLIC)
        .select_related("chapter__plan")
        .order_by("chapter__plan_id", "chapter__order", "order", "pk")
    ):
        yield (axis.pk, axis.chapter.plan.title, axis.chapter.title, axis.title, _progress(progress.get(axis.pk)))


def _objectives_rows():
    objectives = (
        visible_objectives(PUBLIC)
        .select_related("axis__chapter")
        .order_by("axis__chapter__plan_id", "axis__chapter__order", "axis__order", "order", "pk")
    )
    progress = object_progress(visible_axes(PUBLIC).values_list("chapter__plan_id", flat=True).distinct())["objectives"]
    for objective in objectives:
        yield (
            objective.pk,
            objective.axis_id,
            objective.axis.title,
            objective.text,
            _progress(progress.get(objective.pk)),
        )


def _actions_rows():
    actions = (
        actions_with_progress(visible_actions(PUBLIC))
        .select_related("axis")
        .prefetch_related(
            Prefetch("objectives", queryset=visible_objectives(PUBLIC).order_by("pk")),
            Prefetch(
                "partner_links", queryset=ActionPartner.objects.select_related("partner").order_by("partner__name")
            ),
        )
        .order_by("axis__chapter__plan_id", "axis__chapter__order", "axis__order", "order", "pk")
    )
    for action in actions:
        yield (
            action.pk,
            action.axis_id,
            action.title,
            action.description,
            action.get_status_display(),
            action.start_year,
            action.end_year,
            round(action.computed_progress),
            " | ".join(str(objective.pk) for objective in action.objectives.all()),
            " | ".join(link.partner.name for link in action.partner_links.all()),
        )


def _indicators_rows():
    for indicator in visible_indicators(PUBLIC).select_related("stage", "dimension").order_by("name", "pk"):
        yield (
            indicator.pk,
            indicator.code,
            indicator.name,
            indicator.description,
            indicator.unit,
            indicator.get_direction_display(),
            indicator.get_aggregation_display(),
            indicator.get_frequency_display(),
            indicator.stage.name if indicator.stage else "",
            indicator.dimension.name if indicator.dimension else "",
            indicator.source,
        )


def _values_rows():
    indicators = list(visible_indicators(PUBLIC).order_by("name", "pk"))
    codes = {indicator.pk: indicator.code for indicator in indicators}
    for value in network_values_of(indicators):
        covered = value.coverage
        yield (
            codes[value.indicator_id],
            value.period,
            "",
            _decimal(value.value),
            _decimal(value.target),
            None if covered is None or covered.network_entered else covered.reported,
            None if covered is None or covered.network_entered else covered.expected,
        )
    for code, period, name, number in (
        published_structure_values(PUBLIC)
        .order_by("indicator__name", "indicator_id", "period", "structure__name")
        .values_list("indicator__code", "period", "structure__name", "value")
    ):
        yield (code, period, name, _decimal(number), None, None, None)


ID = Column("id", "entier", "Identifiant stable de la ligne, repris par l’API (/api/v1/…/{id}/).")
PROGRESS = "Avancement calculé, en % (0 à 100), selon les règles affichées sur le site ; vide si rien ne le mesure."

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "axes",
            "Axes du projet fédéral",
            "Les axes publiés, avec leur avancement.",
            (
                ID,
                Column("projet", "texte", "Titre du projet fédéral."),
                Column("chapitre", "texte", "Chapitre du projet."),
                Column("titre", "texte", "Titre de l’axe."),
                Column("avancement", "entier", PROGRESS),
            ),
            _axes_rows,
        ),
        Dataset(
            "objectifs",
            "Objectifs opérationnels",
            "Les objectifs publiés des axes publiés, avec leur avancement.",
            (
                ID,
                Column("axe_id", "entier", "Identifiant de l’axe (jeu « axes »)."),
                Column("axe", "texte", "Titre de l’axe."),
                Column("objectif", "texte", "Texte de l’objectif."),
                Column("avancement", "entier", PROGRESS),
            ),
            _objectives_rows,
        ),
        Dataset(
            "actions",
            "Actions",
            "Les actions publiées des axes publiés.",
            (
                ID,
                Column("axe_id", "entier", "Identifiant de l’axe (jeu « axes »)."),
                Column("intitule", "texte", "Intitulé de l’action."),
                Column("description", "texte", "Description de l’action."),
                Column(
                    "statut", "texte", "Piste d’action, Planifiée, En cours, Terminée, Abandonnée ou Précédent projet."
                ),
                Column("annee_debut", "entier", "Année de début, vide si non renseignée."),
                Column("annee_fin", "entier", "Année de fin, vide si non renseignée."),
                Column("avancement", "entier", "Avancement de l’action en % (0 à 100)."),
                Column("objectifs", "texte", "Identifiants des objectifs publiés qu’elle sert, séparés par « | »."),
                Column("partenaires", "texte", "Organisations partenaires, séparées par « | »."),
            ),
            _actions_rows,
        ),
        Dataset(
            "indicateurs",
            "Indicateurs",
            "Les indicateurs publiés et leur définition.",
            (
                ID,
                Column("code", "texte", "Code court de l’indicateur, repris par le jeu « valeurs »."),
                Column("nom", "texte", "Nom de l’indicateur."),
                Column("description", "texte", "Ce qu’il mesure."),
                Column("unite", "texte", "Unité des valeurs (personnes, €, %…)."),
                Column("sens", "texte", "Sens souhaité : à la hausse ou à la baisse."),
                Column("agregation", "texte", "Comment les valeurs des structures forment le chiffre du réseau."),
                Column("frequence", "texte", "Fréquence de collecte."),
                Column("etape", "texte", "Étape de la chaîne de valeur (ressources → … → impact)."),
                Column("dimension", "texte", "Dimension d’impact."),
                Column("source", "texte", "Source des valeurs."),
            ),
            _indicators_rows,
        ),
        Dataset(
            "valeurs",
            "Valeurs validées",
            "Le chiffre du réseau de chaque indicateur publié, par période, à partir des seules valeurs "
            "validées, avec sa couverture ; et les chiffres des structures que l’équipe fédérale a publiés.",
            (
                Column("indicateur", "texte", "Code de l’indicateur (jeu « indicateurs »)."),
                Column(
                    "periode",
                    "texte",
                    "Période : 2024 (année), 2024-S1 (semestre), 2024-T2 (trimestre), 2024-M03 (mois).",
                ),
                Column(
                    "structure", "texte", "Vide : chiffre du réseau ; sinon la structure dont le chiffre est publié."
                ),
                Column("valeur", "nombre décimal", "La valeur (point décimal)."),
                Column("cible", "nombre décimal", "Cible du réseau pour la période, vide sans cible."),
                Column(
                    "structures_couvertes",
                    "entier",
                    "Chiffre du réseau : nombre de structures attendues dont la valeur validée y est comptée "
                    "(vide quand le chiffre a été saisi pour le réseau).",
                ),
                Column("structures_attendues", "entier", "Chiffre du réseau : nombre de structures attendues."),
            ),
            _values_rows,
        ),
    )
}

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def export(dataset: Dataset, file_format: str) -> bytes:
    names = [column.name for column in dataset.columns]
    rows = list(dataset.rows())
    if file_format == "csv":
        table = tablib.Dataset(headers=names)
        for row in rows:
            table.append(["" if cell is None else cell for cell in row])
        return dataset_export(table, "csv")
    document = {
        "titre": dataset.title,
        "description": dataset.description,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "colonnes": [{"nom": c.name, "type": c.kind, "description": c.description} for c in dataset.columns],
        "donnees": [dict(zip(names, row, strict=True)) for row in rows],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
