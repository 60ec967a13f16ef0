"""Demo journal entries, called by `seed_demo`: the projects under way get a progress recorded
by the staff account and each is linked to the one objective it plausibly serves (the document
does not say which: see DEMO_LINKS), so that the plan, axis and dashboard pages show progress
from the first `make run`. Idempotent: nothing is added once the journal has entries."""

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action, Update
from actions.services.actions import axis_links_update
from actions.services.journal import update_create
from axes.models import Axis, Plan
from toolkit.text import fold

from .period import journal_day

# (progress, note) given to the plan's projects under way, in document order; each note says it is
# demo data, so that no one reads it as the federation's own journal.
PROGRESS = [
    (60, "Démonstration : deux sessions de sensibilisation tenues avec les centres volontaires."),
    (35, "Démonstration : comité de pilotage départemental installé avec la Caf ; grille d'indicateurs en discussion."),
    (20, "Démonstration : premiers échanges avec le cluster sur la place de l'impact dans le projet."),
    (75, "Démonstration : nouvelle gouvernance fédérale expérimentée en conseil et en bureau ; bilan à présenter."),
    (100, "Démonstration : bilan de la formation-action (2017-2018), 14 participants de 6 structures ; action close."),
    (50, "Démonstration : commission accueil réunie trois fois avec la Caf."),
    (30, "Démonstration : deux structures accompagnées dans le réaménagement de leur accueil."),
]


# Which objective each project under way serves. The document never says it, and linking every
# project to every objective of its axis gave all of them the same figure (38 / 38 / 38 %). The
# demo links them as a person of the federation would, reading the titles: (words of the
# project's title, words of the objective's text), compared without accents or case.
DEMO_LINKS = [
    # Spreading the impact-measurement method among the centres lets them show what they achieve.
    ("diffusion de la demarche", "visee de plaidoyer"),
    # A département-wide approach co-carried with the Caf: new cooperation, territorial synergies.
    ("co-portage avec la caf", "visee democratique"),
    # Bringing impact into the innovation cluster's project informs its political and technical choices.
    ("cluster", "visee strategique"),
    # Gouvernance has one objective, which both of its projects serve.
    ("nouvelle gouvernance", "gouvernance partagee"),
    ("formation-action mixte", "gouvernance partagee"),
    # A standing commission on welcome, with the Caf, treats it across the structure, not at its door.
    ("commission accueil", "maniere transversale"),
    # Convivial, comfortable reception areas are where listening and answering get better.
    ("reamenagement des accueils", "developper une ecoute"),
]


def _link_projects(plan: Plan, author) -> None:
    """Link each project under way to the objective DEMO_LINKS gives it, through the links grid's
    service (its history names the demo's staff account); a project no entry names stays « à
    rattacher à un objectif »."""
    for axis in Axis.objects.for_plan(plan):
        objectives = list(axis.objectives.all())
        links = {}
        for action in Action.objects.filter(axis=axis, status__in=Action.COUNTED_STATUSES):
            for title_words, objective_words in DEMO_LINKS:
                if title_words in fold(action.title):
                    links[action.pk] = {o.pk for o in objectives if objective_words in fold(o.text)}
        if links:
            axis_links_update(axis=axis, links=links, user=author)


@transaction.atomic
def seed_demo(*, stdout) -> None:
    plan = Plan.objects.current()
    author = get_user_model().objects.filter(username="equipe").first()
    if plan is None or author is None or Update.objects.filter(action__axis__chapter__plan=plan).exists():
        return
    projects = Action.objects.filter(axis__chapter__plan=plan, status=Action.Status.IN_PROGRESS).order_by(
        "axis__chapter__order", "axis__order", "order"
    )
    _link_projects(plan, author)
    count = min(len(PROGRESS), projects.count())
    # Dated within the plan's period (demo.period), a month apart, the last a week ago.
    for position, (action, (progress, text)) in enumerate(zip(projects, PROGRESS, strict=False)):
        # The staff account is their referent: « Mes actions » lists them, « à mettre à jour » first.
        action.lead_person = author
        action.save(update_fields=["lead_person"])
        status = Action.Status.DONE if progress == 100 else ""
        day = journal_day(plan, position, count)
        update_create(action=action, author=author, text=text, new_status=status, new_progress=progress, date=day)
    stdout.write(f"Suivi de démonstration : {count} actions avancées.")
