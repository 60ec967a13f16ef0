import io

import pytest
from django.core.management import call_command

from actions.models import Action, Update
from actions.selectors import axes_with_progress, plan_progress, progress_by_objective
from axes.models import Axis, Plan


@pytest.mark.django_db
def test_seed_demo_gives_every_axis_a_progress_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.current()
    assert all(axis.progress is not None for axis in axes_with_progress(plan))
    assert 0 < plan_progress(plan) < 100
    assert Update.objects.count() == 7  # idempotent: the second run added nothing


@pytest.mark.django_db
def test_demo_links_each_project_to_one_objective_so_an_axis_objectives_differ():
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.current()
    projects = Action.objects.filter(axis__chapter__plan=plan, status__in=Action.COUNTED_STATUSES)
    assert projects.exists()
    assert all(action.objectives.count() == 1 for action in projects)  # one each, never all of its axis's
    progress = progress_by_objective(plan)
    for axis in Axis.objects.for_plan(plan):
        figures = [progress[pk] for pk in axis.objectives.values_list("pk", flat=True)]
        if len(figures) > 1:
            assert len(set(figures)) > 1, f"{axis.title}: every objective shows {figures[0]}"
    impact = Axis.objects.get(chapter__plan=plan, title="Impact social")
    assert [round(progress[o.pk]) for o in impact.objectives.order_by("order")] == [20, 35, 60]


@pytest.mark.django_db
def test_the_demo_staff_account_is_the_referent_of_the_projects_it_follows():
    # « Mes actions » of the demo's staff account lists them, those « à mettre à jour » first.
    call_command("seed_demo", stdout=io.StringIO())
    followed = Action.objects.filter(updates__isnull=False).distinct()
    assert followed.count() == 7
    assert set(followed.values_list("lead_person__username", flat=True)) == {"equipe"}
    assert Action.objects.filter(lead_person__username="equipe").to_update().exists()
