"""Progress arithmetic, computed in the database: actions, objectives, axes, plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.forms import UpdateForm
from actions.models import Action
from actions.selectors import (
    actions_with_progress,
    axes_with_progress,
    objectives_with_progress,
    plan_progress,
    progress_by_objective,
    set_progress_sources,
)
from actions.services.actions import action_progress_source_set, action_update
from actions.services.journal import update_create
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
    first = ObjectiveFactory()
    second = ObjectiveFactory(axis=first.axis)
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


# Issue 12: the rules told, never silent


def test_an_objective_counts_only_its_linked_actions_and_the_axis_all_of_them():
    """An objective: its linked counted actions. The axis: all its counted actions, linked or not,
    each once however many objectives it serves; leads count in neither."""
    chapter = ChapterFactory()
    axis = AxisFactory(chapter=chapter)
    first, second = ObjectiveFactory(axis=axis), ObjectiveFactory(axis=axis)
    both = action_for(first, progress=100, weight=1)
    both.objectives.add(second)
    ActionFactory(axis=axis, progress=40, weight=3)  # counted, linked to no objective
    ActionFactory(axis=axis, status=Action.Status.LEAD, progress=0)  # a lead counts nowhere
    other_axis = AxisFactory(chapter=chapter)
    ActionFactory(axis=other_axis, progress=10)  # unlinked as well: its axis has no objective

    objectives = progress_by_objective(chapter.plan)
    axes = {axis.pk: axis.progress for axis in axes_with_progress(chapter.plan)}

    assert objectives[first.pk] == objectives[second.pk] == 100
    assert axes[axis.pk] == pytest.approx((100 * 1 + 40 * 3) / 4)  # 55, where the objectives' mean says 100
    assert axes[other_axis.pk] == 10  # an axis without objectives still has a progress
    assert plan_progress(chapter.plan) == pytest.approx((55 + 10) / 2)


def test_milestones_drive_the_progress_until_staff_switch_to_the_figure_entered_by_hand(staff_user):
    action = ActionFactory(progress=10)
    MilestoneFactory(action=action, done=True)
    MilestoneFactory(action=action, done=False)

    def progress():
        return actions_with_progress(Action.objects.filter(pk=action.pk)).get().computed_progress

    assert progress() == 50
    action_progress_source_set(action=action, follows_milestones=False, user=staff_user)
    assert progress() == 10  # the figure entered by hand, milestones or not
    record = action.history.first()
    assert (record.history_user, record.history_change_reason) == (staff_user, "Avancement : saisi à la main")
    action_progress_source_set(action=action, follows_milestones=True, user=staff_user)
    assert progress() == 50


def test_the_journal_offers_no_percentage_when_the_milestones_drive_the_progress(staff_user):
    driven = ActionFactory(progress=10)
    MilestoneFactory(action=driven)
    by_hand = ActionFactory(progress=10, progress_follows_milestones=False)
    MilestoneFactory(action=by_hand)
    no_milestones = ActionFactory(progress=10)

    assert "new_progress" not in UpdateForm(action=driven).fields
    assert "new_progress" in UpdateForm(action=by_hand).fields
    assert "new_progress" in UpdateForm(action=no_milestones).fields
    with pytest.raises(ValidationError, match="suit ses jalons"):
        update_create(action=driven, author=staff_user, text="40 % ?", new_progress=40)
    assert not driven.updates.exists()  # refused, not stored and ignored


def _source(action) -> str:
    [loaded] = list(actions_with_progress(Action.objects.filter(pk=action.pk)))
    set_progress_sources([loaded])
    return loaded.progress_source.label


def test_each_action_says_where_its_figure_comes_from(staff_user):
    staff_user.first_name, staff_user.last_name = "Élise", "Martin"
    staff_user.save()
    done = ActionFactory(status=Action.Status.DONE, progress=20)
    milestones = ActionFactory(progress=10)
    MilestoneFactory(action=milestones, done=True)
    MilestoneFactory(action=milestones, done=False)
    unset = ActionFactory(progress=None)
    journal = ActionFactory(progress=None)
    update_create(
        action=journal, author=staff_user, text="Retenue au bureau", new_progress=30, date=datetime.date(2025, 3, 3)
    )
    form = ActionFactory(progress=None)
    action_update(action=form, data={"progress": 45}, expected_version=None, user=staff_user)
    # Back-date the form's history: created on 1 March 2025, the figure entered on the 5th.
    form.history.filter(progress=None).update(history_date=timezone.make_aware(datetime.datetime(2025, 3, 1, 10)))
    form.history.filter(progress=45).update(history_date=timezone.make_aware(datetime.datetime(2025, 3, 5, 10)))
    # A later edit that leaves the figure as it was: it was still entered on 5 March.
    action_update(action=form, data={"title": "Nouveau titre"}, expected_version=None, user=None)

    assert _source(done) == "terminée"
    assert _source(milestones) == "jalons : 1 sur 2 atteints"
    assert _source(unset) == "non renseigné"
    assert _source(journal) == "indiqué au suivi du 3\u00a0mars 2025 par Élise Martin"  # the day the entry reports
    assert _source(form) == "saisi le 5\u00a0mars 2025 par Élise Martin"
    Action.objects.filter(pk=milestones.pk).update(progress_follows_milestones=False)
    assert _source(milestones).startswith("saisi ")  # its 10 % now, entered by hand


def test_sources_of_a_list_of_actions_take_two_queries(django_assert_num_queries, staff_user):
    actions = [ActionFactory(progress=None) for _ in range(5)]
    for action in actions:
        update_create(action=action, author=staff_user, text="Point", new_progress=20)
    loaded = list(actions_with_progress(Action.objects.all()))
    with django_assert_num_queries(2):  # the actions' history, their latest journal entries
        set_progress_sources(loaded)
    assert {action.progress_source.kind for action in loaded} == {"entered"}
