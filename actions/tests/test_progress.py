"""Progress arithmetic, computed in the database: actions, objectives, axes, plan."""

import pytest

from actions.models import Action
from actions.selectors import actions_with_progress, axes_with_progress, objectives_with_progress, plan_progress
from actions.tests.factories import ActionFactory, MilestoneFactory
from axes.models import Objective
from axes.tests.factories import AxisFactory, ChapterFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def progress_of(objective) -> float | None:
    return objectives_with_progress(Objective.objects.filter(pk=objective.pk)).get().progress


def action_for(objective, **kwargs):
    action = ActionFactory(axis=objective.axis, **kwargs)
    action.objectives.add(objective)
    return action


def test_action_progress_by_hand_milestones_and_done():
    by_hand = ActionFactory(progress=40)
    unset = ActionFactory(progress=None)
    with_milestones = ActionFactory(progress=90)  # milestones win over the figure set by hand
    MilestoneFactory(action=with_milestones, done=True)
    MilestoneFactory(action=with_milestones, done=False)
    MilestoneFactory(action=with_milestones, done=False)
    MilestoneFactory(action=with_milestones, done=True)
    done = ActionFactory(status=Action.Status.DONE, progress=10)

    values = dict(actions_with_progress(Action.objects.all()).values_list("pk", "computed_progress"))

    assert values[by_hand.pk] == 40
    assert values[unset.pk] == 0
    assert values[with_milestones.pk] == 50
    assert values[done.pk] == 100


def test_objective_progress_is_the_weighted_mean_of_its_actions():
    objective = ObjectiveFactory()
    action_for(objective, progress=100, weight=3)
    action_for(objective, progress=20, weight=1)
    assert progress_of(objective) == pytest.approx((100 * 3 + 20) / 4)


def test_abandoned_leads_previous_plan_and_trashed_actions_do_not_count():
    objective = ObjectiveFactory()
    action_for(objective, progress=50)
    action_for(objective, status=Action.Status.ABANDONED, progress=0)
    action_for(objective, status=Action.Status.LEAD, progress=0)
    action_for(objective, status=Action.Status.PREVIOUS_PLAN, progress=0)
    trashed = action_for(objective, progress=0)
    Action.all_objects.filter(pk=trashed.pk).update(deleted_at="2024-01-01T00:00:00Z")
    assert progress_of(objective) == 50


def test_an_objective_without_counted_action_has_no_progress():
    empty = ObjectiveFactory()
    only_leads = ObjectiveFactory()
    action_for(only_leads, status=Action.Status.LEAD)
    assert progress_of(empty) is None
    assert progress_of(only_leads) is None


def test_an_action_serving_two_objectives_counts_in_both():
    first, second = ObjectiveFactory(), ObjectiveFactory()
    action = action_for(first, progress=60)
    action.objectives.add(second)
    assert progress_of(first) == progress_of(second) == 60


def test_axis_and_plan_progress_are_means_of_their_parts():
    chapter = ChapterFactory()
    axis_a, axis_b, axis_empty = (AxisFactory(chapter=chapter) for _ in range(3))
    a1, a2 = ObjectiveFactory(axis=axis_a), ObjectiveFactory(axis=axis_a)
    ObjectiveFactory(axis=axis_a)  # no action: left out of the axis's mean
    action_for(a1, progress=100)
    action_for(a2, progress=50)
    b1 = ObjectiveFactory(axis=axis_b)
    action_for(b1, status=Action.Status.DONE)
    action_for(b1, progress=0)

    progress = {axis.pk: axis.progress for axis in axes_with_progress(chapter.plan)}

    assert progress[axis_a.pk] == pytest.approx(75)
    assert progress[axis_b.pk] == pytest.approx(50)
    assert progress[axis_empty.pk] is None
    assert plan_progress(chapter.plan) == pytest.approx(62.5)


def test_plan_without_any_action_has_no_progress():
    chapter = ChapterFactory()
    ObjectiveFactory(axis=AxisFactory(chapter=chapter))
    assert plan_progress(chapter.plan) is None


@pytest.mark.parametrize("size", [3, 30])
def test_progress_of_many_objectives_is_one_query(django_assert_num_queries, size):
    axis = AxisFactory()
    for i in range(size):
        action_for(ObjectiveFactory(axis=axis), progress=i % 100)
    with django_assert_num_queries(1):
        values = list(objectives_with_progress(Objective.objects.filter(axis=axis)).values_list("progress", flat=True))
    assert len(values) == size
