"""The plan-document parser: the federation's own document, format variations, refusals.

Plain pytest functions, no database: axes.document imports nothing from Django.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axes.document import DocumentError, ParsedAction, ParsedPartner, ParsedPlan, decode_document, parse_plan_document

DOCUMENTS = Path(__file__).parent / "documents"
NBSP, NARROW_NBSP = "\u00a0", "\u202f"


def read_document(name: str) -> bytes:
    return (DOCUMENTS / name).read_bytes()


def parse(name: str) -> ParsedPlan:
    return parse_plan_document(read_document(name))


def years(action: ParsedAction) -> tuple[int | None, int | None]:
    return action.start_year, action.end_year


# --- "Nothing dropped": every word of the document ends in some parsed field -------------

HEADING_KEYS = {
    "contexte global",
    "enjeux pour le reseau",
    "actions du precedent projet",
    "objectifs operationnels",
    "projets deja engages",
    "pistes d'actions",
    "pistes d'action",
}
DEBRIS_KEYS = {
    "aller au contenu principal",
    "aller au menu",
    "aller a la recherche",
    "retour en haut",
    "haut de page",
    "imprimer",
    "partager",
}


def fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.replace("’", "'").lower()


def words(text: str) -> set[str]:
    text = re.sub(r"\s+", " ", text.replace(NBSP, " ").replace(NARROW_NBSP, " "))
    text = re.sub(r"^\s*(?:→|-|–|•|\*)\s*", "", text)
    return {word.lower() for word in re.findall(r"[^\W\d_]+", text) if len(word) >= 3}


def parsed_text(plan: ParsedPlan) -> str:
    parts: list[str] = [text for _, text in plan.title_lines]
    for chapter in plan.chapters:
        parts.append(chapter.title)
        for axis in chapter.axes:
            parts += [axis.title, axis.context, axis.stakes, axis.objectives_intro]
            parts += [axis.previous_actions_note, axis.projects_note, axis.leads_note]
            parts += [objective.text for objective in axis.objectives]
            for action in axis.previous_actions + axis.projects + axis.leads:
                parts += [action.title, action.description, action.period]
                parts += [partner.name for partner in action.partners]
    return "\n".join(parts)


def assert_nothing_dropped(text: str, plan: ParsedPlan) -> None:
    kept = words(parsed_text(plan))
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        key = re.sub(r"[\s:.]+$", "", fold(re.sub(r"\s+", " ", line).strip()))
        if not key or key in HEADING_KEYS or key in DEBRIS_KEYS:
            continue
        missing = words(line) - kept
        assert not missing, f"line {number} lost {sorted(missing)}: {line!r}"


@pytest.mark.parametrize("name", ["seed.txt", "formats.txt", "two_chapters.txt", "word_export.txt"])
def test_every_word_of_the_document_is_kept(name):
    data = read_document(name)
    assert_nothing_dropped(data.decode("utf-8"), parse_plan_document(data))


# --- The federation's own document -------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> ParsedPlan:
    return parse("seed.txt")


def test_seed_has_one_chapter_and_three_axes(seed):
    assert [chapter.title for chapter in seed.chapters] == ["Des organisations sur les territoires"]
    assert [axis.title for axis in seed.axes] == ["Impact social", "Gouvernance", "Fonction accueil"]
    assert [axis.line for axis in seed.axes] == [3, 25, 45]
    assert [len(axis.objectives) for axis in seed.axes] == [3, 1, 4]
    assert seed.dropped == [(67, "Aller au contenu principal")]


def test_seed_impact_social(seed):
    impact = seed.axes[0]
    assert impact.context.splitlines()[0].startswith("La mesure de l’impact social")
    assert [line[:12] for line in impact.context.splitlines()[1:]] == ["→ à innover ", "→ à repenser"]
    assert impact.stakes.endswith("des acteurs·trices sur un territoire.")
    assert impact.previous_actions == []
    assert impact.previous_actions_note == "Dimension non abordée dans le cadre d’une démarche de réseau."
    assert impact.objectives_intro == "Une démarche de mesure d’impact social revêt un triple enjeu :"
    assert [objective.text for objective in impact.objectives] == [
        "Une visée stratégique : Faire de la démarche un outil d’appui à la prise de décision politique et technique.",
        (
            "Une visée démocratique : Mettre en oeuvre des dynamiques de coopération nouvelles et des synergies "
            "territoriales."
        ),
        "Une visée de plaidoyer : Démontrer la pertinence et l’efficacité des fondamentaux « Centre social »",
    ]
    assert [objective.line for objective in impact.objectives] == [15, 15, 15]

    assert [action.start_year for action in impact.projects] == [2017, 2018, 2017]
    assert [action.end_year for action in impact.projects] == [None, None, None]
    assert [action.line for action in impact.projects] == [17, 18, 19]
    assert (
        impact.projects[0].title
        == "Soutien à la diffusion de la démarche « Mesure de l’impact social de la Coopération »"
    )
    assert impact.projects[1].title == (
        "Co-portage avec la Caf de la Drôme d’une démarche départementale « Mesure de l’impact social »"
    )
    assert impact.projects[1].partners == [ParsedPartner("Caf de la Drôme", "co-portage")]
    assert impact.projects[0].partners == impact.projects[2].partners == []

    assert [action.title for action in impact.leads] == [
        "Engagement dans la démarche Chaîne de valeurs promue par la Fonda",
        "Mesure de l’impact social de la Fédération",
    ]
    assert impact.leads[0].partners == [ParsedPartner("Fonda", "promotion")]
    assert impact.leads[1].partners == []
    assert impact.projects_note == impact.leads_note == ""


def test_seed_gouvernance(seed):
    governance = seed.axes[1]
    assert "\n→ laissant une place au salariat (notions de posture et de mandat)" in governance.stakes
    assert [action.title for action in governance.previous_actions] == [
        "Mise en place de rencontres « gouvernance collégiale »",
        "Accompagnement à l’émergence de co-présidences dans les associations membres",
        (
            "Soutien à la prise en compte des habitants dans la construction des projets dans les structures en "
            "gestion municipale"
        ),
    ]
    assert years(governance.previous_actions[0]) == (2014, 2015)
    assert [action.line for action in governance.previous_actions] == [34, 35, 35]
    assert [objective.text for objective in governance.objectives] == [
        "Développer une gouvernance partagée et dynamique de nos projets."
    ]
    first, second = governance.projects
    assert (first.title, years(first)) == ("Expérimentation de la nouvelle gouvernance fédérale", (2016, None))
    assert first.period == "depuis le second semestre 2016"
    assert years(second) == (2017, 2018)
    assert second.partners == [ParsedPartner("Fédération ardéchoise des Centres sociaux", "partenaire")]
    assert [action.title for action in governance.leads] == [
        "Formation-action avec les structures du réseau",
        "Accompagnement et appui des structures en réflexion",
    ]
    assert all(action.partners == [] for action in governance.leads)


def test_seed_fonction_accueil(seed):
    welcome = seed.axes[2]
    assert (
        welcome.context.splitlines()[1]
        == "Des publics en attente d’écoute, d’orientation, de prise en compte de leurs problèmes."
    )
    commission, relay = welcome.previous_actions
    assert commission.title == "Mise en place d’une commission accueil puis en partenariat avec la CAF"
    assert years(commission) == (2015, None)
    assert commission.partners == [ParsedPartner("CAF", "partenariat")]
    assert relay.title == "Relais d’appel à projet pour le développement de la qualité des accueils"
    assert len(welcome.objectives) == 4
    follow_up, refit = welcome.projects
    assert follow_up.partners == [ParsedPartner("Caf", "partenaire")]
    assert refit.title == (
        "Accompagnement au réaménagement des accueils de certaines structures en vue de plus de convivialité, "
        "de confort et d’ergonomie"
    )
    assert refit.line == 62
    assert welcome.leads == []


def test_seed_as_text_gives_the_same_plan(seed):
    assert parse_plan_document(read_document("seed.txt").decode("utf-8")) == seed


# --- Format variations -------------------------------------------------------------------


@pytest.fixture(scope="module")
def formats() -> ParsedPlan:
    return parse("formats.txt")


def test_headings_in_any_case_with_or_without_colon_and_accents(formats):
    assert [chapter.title for chapter in formats.chapters] == ["Le pouvoir d'agir des habitants"]
    assert [axis.title for axis in formats.axes] == [
        "Participation des habitant·e·s",
        "Accueil des publics",  # no colon
        "Animation de la vie sociale",  # starts with the objectives
    ]
    participation = formats.axes[0]
    for name in ("context", "stakes", "objectives", "previous_actions", "projects", "leads"):
        assert getattr(participation, name), name


def test_bullets_of_every_kind_stay_in_the_context(formats):
    assert formats.axes[0].context.splitlines() == [
        "Les habitant·e·s souhaitent être acteurs·trices de leur territoire.",
        "Trois constats ressortent des consultations :",
        "- une envie d'engagement ponctuel",
        "• une défiance envers les institutions",
        "* une demande de lieux de rencontre",
        (
            "Les salarié·e·s accompagnent ces dynamiques au quotidien, dans les centres et dans les espaces de vie "
            "sociale."
        ),
    ]


def test_non_breaking_spaces_become_spaces_and_guillemets_stay(formats):
    participation, welcome = formats.axes[:2]
    assert participation.stakes == "Faire du « pouvoir d'agir » une pratique partagée par tous les centres."
    assert participation.previous_actions[2].title == "Animation d'un groupe de travail « participation »"
    assert welcome.stakes == "Garder un accueil humain : c'est la priorité."


def test_intro_line_describes_the_items_below_it(formats):
    first, second, third = formats.axes[0].previous_actions
    assert first.description == second.description == "Les actions menées avec les centres :"
    assert third.description == ""  # a plain line ends the list
    assert [years(action) for action in (first, second, third)] == [(2015, 2015), (2016, 2017), (2014, 2015)]


def test_objectives_intro_and_bullets(formats):
    participation = formats.axes[0]
    assert participation.objectives_intro == "Nous poursuivons deux objectifs :"
    assert [objective.text for objective in participation.objectives] == [
        "Favoriser l'engagement des habitants dans les instances de gouvernance",
        "Valoriser les initiatives des habitant·e·s",
    ]


def test_wrapped_item_is_joined(formats):
    (lead,) = formats.axes[0].leads
    assert lead.title == "Création d'un fonds d'initiatives habitants porté par les Centres sociaux connectés"
    assert years(lead) == (2016, None)
    assert lead.partners == [ParsedPartner("Centres sociaux connectés", "promotion")]
    assert lead.line == 31


def test_debris_and_nbsp_lines_are_dropped_and_reported(formats):
    assert formats.dropped == [
        (1, "Aller au contenu principal"),
        (2, "Aller au menu"),
        (34, "Imprimer"),
        (35, "Retour en haut"),
        (54, "Partager."),
        (55, "Haut de page"),
    ]


def test_two_chapters_and_notes():
    plan = parse("two_chapters.txt")
    assert [(chapter.title, [axis.title for axis in chapter.axes]) for chapter in plan.chapters] == [
        ("Des organisations sur les territoires", ["Vie associative"]),
        ("Des dynamiques de réseau", ["Communication", "Formation"]),
    ]
    association = plan.axes[0]
    assert association.previous_actions == association.projects == association.leads == []
    assert association.previous_actions_note == "Aucune action spécifique n’a été conduite."
    assert association.projects_note == "Néant."
    assert association.leads_note == "Pas de piste retenue à ce stade."
    training = plan.axes[2]
    assert training.leads == []
    assert training.leads_note == "Cette question n’a pas été abordée lors du précédent projet."
    assert [objective.text for objective in training.objectives] == ["Former les équipes"]


def test_multi_sentence_lines_give_one_action_per_sentence():
    communication = parse("two_chapters.txt").axes[1]
    assert communication.stakes == "Rendre visible l’action des centres. Valoriser les réussites."
    assert [(action.title, years(action)) for action in communication.previous_actions] == [
        ("Refonte du site internet", (2016, 2016)),
        ("Création d’une lettre d’information", (None, None)),
        ("Diffusion d’un rapport annuel", (2015, None)),
    ]
    assert [action.title for action in communication.projects] == [
        "Campagne « Les centres sociaux, c’est vous ! »",  # no cut inside « »
        "Présence sur les réseaux sociaux",
    ]
    assert [action.title for action in communication.leads] == [
        "Création d’un kit de communication",
        "Formation des salariés à la prise de parole",
        "Valorisation des bénévoles, des familles, etc.",
        "Vidéo de présentation du réseau",
    ]
    assert {action.line for action in communication.leads} == {27}


def test_word_export_without_chapter_and_with_blank_lines_everywhere():
    plan = parse("word_export.txt")
    assert [chapter.title for chapter in plan.chapters] == [""]
    youth, digital = plan.axes
    assert (youth.title, digital.title) == ("Jeunesse", "Numérique")
    assert youth.context == "Les jeunes fréquentent peu les centres.\nLes animateurs jeunesse sont isolés"
    assert [action.title for action in youth.leads] == [
        "Création d’un réseau des animateurs jeunesse",
        "Mise en place d’un forum annuel des jeunes",
    ]
    assert [(action.title, years(action)) for action in digital.projects] == [
        ("Ateliers numériques dans les centres", (2019, None)),
        ("Formation des accueillant·e·s", (None, None)),
    ]
    assert digital.line == 19  # CRLF counted once


# Small documents built in the tests.


def one_axis(*lines: str) -> str:
    return "\n".join(["Axe de test :", "", *lines, ""])


def single_item(item: str, heading: str = "Projets déjà engagés :") -> ParsedAction:
    (action,) = parse_plan_document(one_axis(heading, item)).axes[0].projects
    return action


@pytest.mark.parametrize(
    ("item", "title", "expected"),
    [
        ("→ Commission accueil (2015)", "Commission accueil", (2015, 2015)),
        ("→ Rencontres (2014 -2015).", "Rencontres", (2014, 2015)),
        ("→ Rencontres (2017-2018)", "Rencontres", (2017, 2018)),
        ("→ Rencontres (2014 – 2015)", "Rencontres", (2014, 2015)),
        ("→ Rencontres (2014 à 2015)", "Rencontres", (2014, 2015)),
        ("→ Rencontres (2017-18)", "Rencontres", (2017, 2018)),
        ("→ Soutien (depuis 2018)", "Soutien", (2018, None)),
        ("→ Soutien (depuis le second semestre 2016)", "Soutien", (2016, None)),
        ("→ Soutien (depuis fin 2016)", "Soutien", (2016, None)),
        ("→ Soutien (depuis septembre 2016)", "Soutien", (2016, None)),
        ("→ Commission (2015) puis en partenariat avec la CAF (depuis 2017),", None, (2015, None)),
        ("→ Deux temps forts (2014) puis (2016)", "Deux temps forts puis", (2014, 2016)),
        ("→ Session régionale – 2019-2020", "Session régionale", (2019, 2020)),
        ("→ Élaboration du projet 2019-2022", "Élaboration du projet 2019-2022", (2019, 2022)),
        ("→ Formation des élus (Caf de la Drôme)", "Formation des élus (Caf de la Drôme)", (None, None)),
        ("→ Loi 2002-2 et projet d’établissement", "Loi 2002-2 et projet d’établissement", (None, None)),
    ],
)
def test_years(item, title, expected):
    action = single_item(item)
    assert years(action) == expected
    if title is not None:
        assert action.title == title


@pytest.mark.parametrize(
    ("item", "partners"),
    [
        (
            "→ Co-portage avec la Caf de la Drôme d’une démarche départementale",
            [("Caf de la Drôme", "co-portage")],
        ),
        ("→ Commission accueil en partenariat avec la CAF", [("CAF", "partenariat")]),
        ("→ Démarche Chaîne de valeurs promue par la Fonda", [("Fonda", "promotion")]),
        (
            "→ Démarche portée par l’Union régionale des centres sociaux pour les jeunes",
            [("Union régionale des centres sociaux", "promotion")],
        ),
        (
            "→ Formation-action avec la Fédération ardéchoise des Centres sociaux (2017-2018)",
            [("Fédération ardéchoise des Centres sociaux", "partenaire")],
        ),
        ("→ Poursuite d’une commission accueil en lien avec la Caf", [("Caf", "partenaire")]),
        ("→ Formation-action avec les structures du réseau", []),
        ("→ Rencontres avec la Caf et la MSA sur l’accueil", [("Caf", "partenaire"), ("MSA", "partenaire")]),
        (
            "→ Projet avec le Département, la Caf et la MSA",
            [("Département", "partenaire"), ("Caf", "partenaire"), ("MSA", "partenaire")],
        ),
        ("→ Atelier « Travailler avec les Habitants » dans les centres", []),
        ("→ Rencontre avec la Caf, puis bilan avec la Caf", [("Caf", "partenaire")]),
        ("→ Rencontre avec Emmaüs à Valence", [("Emmaüs", "partenaire")]),
        ("→ Accueil des familles avec la Caf afin de mieux orienter", [("Caf", "partenaire")]),
    ],
)
def test_partners(item, partners):
    assert [(partner.name, partner.role) for partner in single_item(item).partners] == partners


@pytest.mark.parametrize("heading", ["ACTIONS DU PRÉCÉDENT PROJET", "Projets déjà engagés :", "PISTES D’ACTIONS :"])
def test_multi_sentence_line_in_each_action_section(heading):
    axis = parse_plan_document(
        one_axis(heading, "Première action. Deuxième action (2019). « Troisième » action !")
    ).axes[0]
    actions = axis.previous_actions + axis.projects + axis.leads
    assert [action.title for action in actions] == ["Première action", "Deuxième action", "« Troisième » action !"]


def test_bullet_item_with_several_sentences_stays_whole():
    action = single_item("→ Première phrase. Deuxième phrase (2018).")
    assert action.title == "Première phrase. Deuxième phrase"
    assert years(action) == (2018, 2018)


@pytest.mark.parametrize(
    "statement",
    [
        "Dimension non abordée dans le cadre d’une démarche de réseau.",
        "Aucune action engagée à ce jour.",
        "Néant.",
        "Néant",
        "Pas de projet engagé.",
        "Non concerné.",
        "Sans objet.",
        "Cette thématique n’a pas été travaillée.",
    ],
)
def test_statement_of_absence_is_a_note(statement):
    axis = parse_plan_document(one_axis("Projets déjà engagés :", statement)).axes[0]
    assert axis.projects == []
    assert axis.projects_note == statement


def test_negation_inside_a_real_item_stays_an_action():
    axis = parse_plan_document(
        one_axis("PISTES D’ACTIONS :", "→ Accueil des structures qui n’ont pas de local", "→ Autre piste")
    ).axes[0]
    assert [action.title for action in axis.leads] == ["Accueil des structures qui n’ont pas de local", "Autre piste"]
    assert axis.leads_note == ""


@pytest.mark.parametrize("marker", ["→", "-", "–", "•", "*"])
def test_every_bullet_marker_opens_an_action(marker):
    axis = parse_plan_document(
        one_axis("PISTES D'ACTIONS", f"{marker} Première piste", f"{marker} Seconde piste")
    ).axes[0]
    assert [action.title for action in axis.leads] == ["Première piste", "Seconde piste"]


def test_visee_clauses_spread_over_lines():
    axis = parse_plan_document(
        one_axis(
            "OBJECTIFS OPÉRATIONNELS",
            "Un triple enjeu :",
            "Une visée stratégique : Faire de la démarche un outil",
            "d’appui à la décision. Une visée démocratique :",
            "Mettre en oeuvre des coopérations.",
            "Une visée de plaidoyer : Démontrer la pertinence du réseau.",
        )
    ).axes[0]
    assert axis.objectives_intro == "Un triple enjeu :"
    assert [(objective.text, objective.line) for objective in axis.objectives] == [
        ("Une visée stratégique : Faire de la démarche un outil d’appui à la décision.", 5),
        ("Une visée démocratique : Mettre en oeuvre des coopérations.", 6),
        ("Une visée de plaidoyer : Démontrer la pertinence du réseau.", 8),
    ]


def test_objective_lines_are_not_split_into_sentences():
    axis = parse_plan_document(one_axis("OBJECTIFS OPÉRATIONNELS", "Former les équipes. Outiller les bénévoles.")).axes[
        0
    ]
    assert [objective.text for objective in axis.objectives] == ["Former les équipes. Outiller les bénévoles."]


SECTIONS = {
    "context": ("CONTEXTE GLOBAL", "Le contexte évolue."),
    "stakes": ("ENJEUX POUR LE RÉSEAU", "Un enjeu fort."),
    "previous_actions": ("ACTIONS DU PRÉCÉDENT PROJET", "→ Ancienne action (2015)"),
    "objectives": ("OBJECTIFS OPÉRATIONNELS", "Développer la participation."),
    "projects": ("Projets déjà engagés :", "→ Projet en cours (depuis 2018)"),
    "leads": ("PISTES D’ACTIONS :", "→ Nouvelle piste"),
}


def section_lines(names) -> list[str]:
    return [line for name in names for line in SECTIONS[name]]


@pytest.mark.parametrize("missing", list(SECTIONS))
def test_any_section_may_be_missing(missing):
    present = [name for name in SECTIONS if name != missing]
    text = "\n".join(["Premier axe :", "", *section_lines(present), "", "Second axe :", "", *section_lines(present)])
    plan = parse_plan_document(text)
    assert [axis.title for axis in plan.axes] == ["Premier axe", "Second axe"]
    for axis in plan.axes:
        assert not getattr(axis, missing)
        for name in present:
            assert getattr(axis, name), name


def test_axis_title_without_colon_before_a_later_section():
    text = "\n".join(["Premier axe", "", *section_lines(["context"]), "", "Second axe", "", *section_lines(["leads"])])
    first, second = parse_plan_document(text).axes
    assert (first.title, first.context, first.leads) == ("Premier axe", "Le contexte évolue.", [])
    assert (second.title, [action.title for action in second.leads]) == ("Second axe", ["Nouvelle piste"])


def test_sections_out_of_order_stay_in_the_axis():
    text = one_axis(*section_lines(["objectives", "previous_actions", "context"]))
    (axis,) = parse_plan_document(text).axes
    assert (len(axis.objectives), len(axis.previous_actions), axis.context) == (1, 1, "Le contexte évolue.")


def test_inline_heading():
    (axis,) = parse_plan_document(one_axis("CONTEXTE GLOBAL : Le contexte évolue.", "PISTES D’ACTIONS :")).axes
    assert axis.context == "Le contexte évolue."


def test_marker_alone_on_its_line_takes_the_next_line():
    axis = parse_plan_document(one_axis("PISTES D’ACTIONS :", "→", "Piste isolée", "→ Autre piste")).axes[0]
    assert [(action.title, action.line) for action in axis.leads] == [("Piste isolée", 4), ("Autre piste", 6)]


def test_word_symbol_bullets_and_numbering():
    axis = parse_plan_document(one_axis("PISTES D’ACTIONS :", "\uf0b7 Première piste", "2) Seconde piste")).axes[0]
    assert [action.title for action in axis.leads] == ["Première piste", "Seconde piste"]


# --- The plan's period -------------------------------------------------------------------


def test_the_seed_states_no_period(seed):
    assert (seed.start_year, seed.end_year, seed.title_lines) == (None, None, [])


@pytest.mark.parametrize(
    "title",
    [
        "Projet fédéral 2022-2026",
        "PROJET FÉDÉRAL 2022 – 2026 : agir ensemble",
        "Projet fédéral 2022/2026",
        "Projet fédéral de la Drôme, de 2022 à 2026, adopté en assemblée générale le 12 juin 2021.",
        "Projet fédéral 2022-26",
        "Plan stratégique 2022—2026",
    ],
)
def test_a_title_line_gives_the_plan_its_period(title):
    text = f"{title}\n\n" + read_document("seed.txt").decode("utf-8")
    plan = parse_plan_document(text)
    assert (plan.start_year, plan.end_year) == (2022, 2026)
    # The title is the document's, not a chapter: the seed's chapter and axes are unchanged.
    assert plan.title_lines == [(1, title)]
    assert [chapter.title for chapter in plan.chapters] == ["Des organisations sur les territoires"]
    assert [axis.title for axis in plan.axes] == ["Impact social", "Gouvernance", "Fonction accueil"]
    assert_nothing_dropped(text, plan)


def test_a_title_line_before_an_axis_without_chapter():
    plan = parse_plan_document("Projet fédéral 2019-2023\n\nImpact social :\nCONTEXTE GLOBAL\nLa mesure.\n")
    assert (plan.start_year, plan.end_year) == (2019, 2023)
    assert [(chapter.title, [axis.title for axis in chapter.axes]) for chapter in plan.chapters] == [
        ("", ["Impact social"])
    ]


@pytest.mark.parametrize(
    "head",
    [
        # Two periods: which one is the plan's is for a person to say.
        "Projet fédéral 2022-2026\n\nProjet fédéral 2019-2023\n\n",
        # The previous plan's years are not this plan's.
        "Bilan du précédent projet 2014-2018\n\n",
        # Reversed, or a span no plan lasts.
        "Projet fédéral 2026-2022\n\n",
        "Projet fédéral 1990-2026\n\n",
        # Years, but no plan named; a plan named, but no span.
        "Des organisations sur les territoires 2022-2026\n\n",
        "Projet fédéral adopté en 2022\n\n",
    ],
)
def test_no_period_read_where_the_document_is_not_clear(head):
    plan = parse_plan_document(head + read_document("seed.txt").decode("utf-8"))
    assert (plan.start_year, plan.end_year, plan.title_lines) == (None, None, [])
    # The lines stay what they were before: chapter titles.
    assert plan.chapters[0].title == head.split("\n")[0]


def test_a_period_inside_an_axis_is_not_the_plans():
    text = "Impact social :\nCONTEXTE GLOBAL\nLe projet fédéral 2022-2026 met l'accent sur l'impact.\n"
    plan = parse_plan_document(text)
    assert (plan.start_year, plan.end_year) == (None, None)
    assert plan.axes[0].context == "Le projet fédéral 2022-2026 met l'accent sur l'impact."


# --- Encodings ---------------------------------------------------------------------------


def test_windows_1252_bytes():
    text = read_document("seed.txt").decode("utf-8").replace("→", "•")
    data = text.encode("cp1252")
    assert decode_document(data) == text
    plan = parse_plan_document(data)
    assert plan == parse_plan_document(text)
    assert [axis.title for axis in plan.axes] == ["Impact social", "Gouvernance", "Fonction accueil"]
    assert plan.axes[1].previous_actions[0].title == "Mise en place de rencontres « gouvernance collégiale »"
    assert_nothing_dropped(text, plan)


def test_utf8_with_bom(seed):
    data = b"\xef\xbb\xbf" + read_document("seed.txt")
    assert not decode_document(data).startswith("\ufeff")
    assert parse_plan_document(data) == seed


def test_utf16_with_bom(seed):
    data = read_document("seed.txt").decode("utf-8").encode("utf-16")
    assert parse_plan_document(data) == seed


def test_text_with_a_bom_character(seed):
    assert parse_plan_document("\ufeff" + read_document("seed.txt").decode("utf-8")) == seed


# --- Refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [b"", "", b"   \n\n", " \n\t\n\u00a0\n", b"\xef\xbb\xbf"])
def test_empty_document_is_refused(source):
    with pytest.raises(DocumentError) as refusal:
        parse_plan_document(source)
    assert str(refusal.value) == "Le fichier est vide."
    assert refusal.value.line is None


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01PNG\x89binary\x00\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        bytes(range(1, 32)) * 4,
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(DocumentError) as refusal:
        parse_plan_document(data)
    assert str(refusal.value).startswith("Le fichier ne semble pas être un document texte")


def test_unstructured_text_is_refused():
    with pytest.raises(DocumentError) as refusal:
        parse_plan_document("Un texte sans aucune structure.\nRien de plus.\n\nVraiment rien.")
    assert str(refusal.value).startswith("Aucun axe reconnu")


def test_only_debris_is_refused():
    with pytest.raises(DocumentError, match="Aucun axe reconnu"):
        parse_plan_document("Aller au contenu principal\nImprimer\n")


def test_text_before_the_first_axis_is_refused_with_its_line():
    text = "\n".join(
        [
            "Des organisations sur les territoires",
            "",
            "Ce plan présente nos orientations pour les années à venir.",
            "",
            *one_axis(*section_lines(["context"])).splitlines(),
        ]
    )
    with pytest.raises(DocumentError) as refusal:
        parse_plan_document(text)
    assert refusal.value.line == 3
    assert "ligne 3" in str(refusal.value)
    assert "premier axe" in str(refusal.value)


def test_heading_without_axis_title_is_refused_with_its_line():
    with pytest.raises(DocumentError) as refusal:
        parse_plan_document("\n\nCONTEXTE GLOBAL\nLe contexte évolue.\n")
    assert refusal.value.line == 3
    assert "ligne 3" in str(refusal.value)


# --- Property-based ----------------------------------------------------------------------


def parse_or_refuse(source: bytes | str) -> None:
    try:
        result = parse_plan_document(source)
    except DocumentError as refusal:
        message = str(refusal)
    else:
        assert isinstance(result, ParsedPlan)
        assert result.axes
        return
    assert message
    assert "erreur inattendue" not in message  # the safety net never fires


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_plan_or_a_refusal(text):
    parse_or_refuse(text)


@settings(max_examples=300, deadline=None)
@given(st.binary())
def test_any_bytes_give_a_plan_or_a_refusal(data):
    parse_or_refuse(data)


PLAN_WORDS = st.sampled_from(
    ["CONTEXTE GLOBAL", "Projets déjà engagés :", "PISTES D’ACTIONS", "→ ", "- ", "Impact social :", "(depuis 2017)",
     "avec la Caf", "Une visée stratégique :", "Néant.", "Aller au contenu principal", "\u00a0", "", "Texte.", "mot"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(PLAN_WORDS | st.text(max_size=20), max_size=30).map("\n".join))
def test_plan_like_noise_gives_a_plan_or_a_refusal(text):
    parse_or_refuse(text)


# Random valid documents built from pieces, whose expected shape is known.

HEADINGS = {
    "context": ["CONTEXTE GLOBAL", "Contexte global :", "CONTEXTE GLOBAL :"],
    "stakes": ["ENJEUX POUR LE RÉSEAU", "Enjeux pour le reseau :"],
    "previous_actions": ["ACTIONS DU PRÉCÉDENT PROJET", "Actions du précédent projet :"],
    "objectives": ["OBJECTIFS OPÉRATIONNELS", "Objectifs opérationnels :"],
    "projects": ["Projets déjà engagés :", "PROJETS DÉJÀ ENGAGÉS"],
    "leads": ["PISTES D’ACTIONS :", "PISTES D'ACTIONS", "Pistes d'action"],
}
NOTES = {"previous_actions": "previous_actions_note", "projects": "projects_note", "leads": "leads_note"}
AXIS_TITLES = ["Impact social", "Gouvernance", "Fonction accueil", "Jeunesse", "Numérique", "Vie associative"]
CHAPTER_TITLES = ["Des organisations sur les territoires", "Des dynamiques de réseau", "Un réseau ouvert"]
PHRASES = [
    "Soutien aux structures du réseau",
    "Formation des bénévoles",
    "Accompagnement des équipes d’accueil",
    "Mise en place d’une commission départementale",
    "Co-portage avec la Caf de la Drôme d’une démarche",
    "Animation d’un groupe de travail « jeunesse »",
    "Rencontres des habitant·e·s",
]
PERIODS = {"": (None, None), " (2015)": (2015, 2015), " (2016-2017)": (2016, 2017), " (depuis 2018)": (2018, None)}
NOTE_TEXTS = ["Néant.", "Dimension non abordée dans le cadre d’une démarche de réseau.", "Aucune action à ce jour."]
MARKERS = ["→", "-", "•", "*"]


@st.composite
def action_section(draw):
    """(lines, expected [(title, years)], note)."""
    if draw(st.integers(0, 5)) == 0:
        note = draw(st.sampled_from(NOTE_TEXTS))
        return [note], [], note
    lines, expected = [], []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            phrase, period = draw(st.sampled_from(PHRASES)), draw(st.sampled_from(list(PERIODS)))
            lines.append(f"{draw(st.sampled_from(MARKERS))} {phrase}{period}")
            expected.append((phrase, PERIODS[period]))
        else:
            phrases = draw(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3))
            lines.append(" ".join(f"{phrase}." for phrase in phrases))
            expected += [(phrase, (None, None)) for phrase in phrases]
    return lines, expected, ""


@st.composite
def text_section(draw):
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        phrase = draw(st.sampled_from(PHRASES))
        lines.append(f"→ {phrase}" if draw(st.booleans()) else f"{phrase}.")
    return lines, lines, ""


@st.composite
def objectives_section(draw):
    lines = [f"{draw(st.sampled_from(PHRASES))}." for _ in range(draw(st.integers(1, 3)))]
    return lines, lines, ""


SECTION_STRATEGIES = {
    "context": text_section,
    "stakes": text_section,
    "previous_actions": action_section,
    "objectives": objectives_section,
    "projects": action_section,
    "leads": action_section,
}


@st.composite
def axis_piece(draw):
    title = draw(st.sampled_from(AXIS_TITLES))
    names = draw(st.lists(st.sampled_from(list(HEADINGS)), min_size=1, max_size=6, unique=True))
    names = [name for name in HEADINGS if name in names]  # the usual order
    lines = [title + draw(st.sampled_from([" :", ":", ""])), ""]
    expected = {}
    for name in names:
        content, parsed, note = draw(SECTION_STRATEGIES[name]())
        lines += [draw(st.sampled_from(HEADINGS[name])), *content]
        expected[name] = (parsed, note)
    return [*lines, ""], (title, expected)


@st.composite
def plan_document(draw):
    chapter_count = draw(st.integers(0, 2))
    lines = ["Aller au contenu principal", ""] if draw(st.booleans()) else []
    chapters = []
    for index in range(max(chapter_count, 1)):
        title = CHAPTER_TITLES[index] if chapter_count else ""
        if title:
            lines += [title, ""]
        axes = []
        for _ in range(draw(st.integers(1, 3))):
            axis_lines, expected = draw(axis_piece())
            lines += axis_lines + ([NBSP, ""] if draw(st.booleans()) else [])
            axes.append(expected)
        chapters.append((title, axes))
    return "\n".join(lines), chapters


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_document())
def test_random_documents_round_trip(document):
    text, chapters = document
    plan = parse_plan_document(text)
    assert [chapter.title for chapter in plan.chapters] == [title for title, _ in chapters]
    for chapter, (_, axes) in zip(plan.chapters, chapters, strict=True):
        assert [axis.title for axis in chapter.axes] == [title for title, _ in axes]
        for axis, (_, sections) in zip(chapter.axes, axes, strict=True):
            for name, (parsed, note) in sections.items():
                if name in ("context", "stakes"):
                    assert getattr(axis, name).splitlines() == parsed
                elif name == "objectives":
                    assert [objective.text for objective in axis.objectives] == parsed
                else:
                    actions = getattr(axis, name)
                    assert [(action.title, years(action)) for action in actions] == parsed
                    assert getattr(axis, NOTES[name]) == note
            for name in set(SECTION_STRATEGIES) - set(sections):
                assert not getattr(axis, name)
    assert_nothing_dropped(text, plan)
