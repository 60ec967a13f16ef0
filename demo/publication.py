"""What the demo publishes, called by `seed_demo`, so that the public space is not empty on the
first `make run`: every axis and objective of the plan, its planned, running and finished actions
(not the leads nor the previous plan's), the plan's demo indicators and the observatory's
« habitants touchés », and the demo centre's own figure of it. Written through the same services
as staff's forms, by the demo's staff account. Idempotent: nothing is done once anything is published."""

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action
from actions.services.actions import action_update
from axes.models import Axis, Objective, Plan
from axes.services import axis_update, objective_update
from indicators.models import Indicator
from network.models import Structure
from publication.services import indicator_publication_update

from .indicators import OBSERVATORY_INHABITANTS

DEMO_CENTRE = "Centre social de démonstration (Valence)"


@transaction.atomic
def seed_demo(*, stdout) -> None:
    plan = Plan.objects.current()
    author = get_user_model().objects.filter(username="equipe").first()
    if plan is None or author is None or Axis.objects.filter(is_published=True).exists():
        return
    published = {"is_published": True}
    for axis in Axis.objects.for_plan(plan):
        axis_update(axis=axis, data=published, expected_version=None, user=author)
    for objective in Objective.objects.filter(axis__chapter__plan=plan):
        objective_update(objective=objective, data=published, expected_version=None, user=author)
    actions = Action.objects.filter(axis__chapter__plan=plan, status__in=Action.COUNTED_STATUSES)
    for action in actions:
        action_update(action=action, data=published, expected_version=None, user=author)
    indicators = list(Indicator.objects.for_plan(plan).filter(is_demo=True)) + list(
        Indicator.objects.filter(code=OBSERVATORY_INHABITANTS)
    )
    centre = Structure.objects.filter(name=DEMO_CENTRE)
    for indicator in indicators:
        structures = centre if indicator.code == OBSERVATORY_INHABITANTS else []
        indicator_publication_update(indicator=indicator, is_published=True, structures=structures, user=author)
    stdout.write(
        f"Espace public de démonstration : {Axis.objects.filter(is_published=True).count()} axes, "
        f"{actions.count()} actions et {len(indicators)} indicateurs publiés."
    )
