"""Seed the two editable classification lists with the federation's defaults."""

from django.db import migrations

STAGES = [
    (
        "ressources",
        "Ressources",
        "Ce qui est mobilisé : personnes, temps, budget, partenaires.",
    ),
    ("activites", "Activités", "Ce qui est fait avec ces ressources."),
    (
        "realisations",
        "Réalisations",
        "Ce que les activités produisent directement (outputs).",
    ),
    (
        "effets",
        "Effets",
        "Ce qui change pour les personnes et les structures (outcomes).",
    ),
    (
        "impact",
        "Impact",
        "Les changements durables sur le territoire, attribuables en partie à l'action.",
    ),
]
DIMENSIONS = [
    (
        "cohesion-sociale",
        "Cohésion sociale",
        "Liens entre habitants, mixité, solidarités.",
    ),
    (
        "epanouissement",
        "Épanouissement",
        "Pouvoir d'agir, confiance, émancipation des personnes.",
    ),
    (
        "gouvernance",
        "Gouvernance",
        "Participation des habitants et des bénévoles aux décisions.",
    ),
    ("environnement", "Environnement", "Transition écologique, cadre de vie."),
    (
        "richesses-produites",
        "Richesses produites",
        "Emplois, activité économique, services rendus au territoire.",
    ),
]


def seed(apps, schema_editor):
    for model_name, rows in (
        ("ValueChainStage", STAGES),
        ("ImpactDimension", DIMENSIONS),
    ):
        model = apps.get_model("indicators", model_name)
        for order, (code, name, description) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code,
                defaults={"name": name, "description": description, "order": order},
            )


def unseed(apps, schema_editor):
    for model_name, rows in (
        ("ValueChainStage", STAGES),
        ("ImpactDimension", DIMENSIONS),
    ):
        model = apps.get_model("indicators", model_name)
        model.objects.filter(
            code__in=[code for code, _name, _description in rows],
            indicators__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
