"""Demo journal entries, called by `seed_demo`: the projects under way serve their axis's
objectives (the document does not say which) and get a progress recorded by the staff
account, so that the plan, axis and dashboard pages show progress from the first
`make run`. Idempotent: nothing is added once the journal has entries."""

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action, Update
from actions.services.journal import update_create
from axes.models import Plan

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


@transaction.atomic
def seed_demo(*, stdout) -> None:
    plan = Plan.objects.current()
    author = get_user_model().objects.filter(username="equipe").first()
    if plan is None or author is None or Update.objects.filter(action__axis__chapter__plan=plan).exists():
        return
    projects = Action.objects.filter(axis__chapter__plan=plan, status=Action.Status.IN_PROGRESS).order_by(
        "axis__chapter__order", "axis__order", "order"
    )
    count = min(len(PROGRESS), projects.count())
    # Dated within the plan's period (demo.period), a month apart, the last a week ago.
    for position, (action, (progress, text)) in enumerate(zip(projects, PROGRESS, strict=False)):
        action.objectives.set(action.axis.objectives.all())
        status = Action.Status.DONE if progress == 100 else ""
        day = journal_day(plan, position, count)
        update_create(action=action, author=author, text=text, new_status=status, new_progress=progress, date=day)
    stdout.write(f"Suivi de démonstration : {count} actions avancées.")
