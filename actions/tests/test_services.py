"""Services of the actions app: lifecycle, journal, milestones, continuity, trash, history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action, ActionPartner, Continuation, Milestone, Update
from actions.services.actions import action_create, action_promote_lead, action_update
from actions.services.journal import (
    action_partner_remove,
    action_partner_set,
    continuation_set,
    milestone_create,
    milestone_delete,
    milestone_set_done,
    update_create,
)
from actions.services.plan_import import plan_import
from actions.services.trash import history_restore, plan_object_restore, plan_object_trash, trash_empty
from actions.tests.factories import ActionFactory
from axes.models import Axis, Chapter, Objective, Plan
from axes.services import ConflictError, axis_update, objective_update
from axes.tests.factories import AxisFactory, ObjectiveFactory
from network.tests.factories import PartnerFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_action_create_sets_order_objectives_and_structures(staff_user):
    axis = AxisFactory()
    objective = ObjectiveFactory(axis=axis)
    structure = StructureFactory()
    first = action_create(axis=axis, title="Première", user=staff_user)
    second = action_create(
        axis=axis,
        title="Seconde",
        status=Action.Status.LEAD,
        objectives=[objective],
        structures=[structure],
        lead_person=staff_user,
        user=staff_user,
    )
    assert second.order == first.order + 1
    assert list(second.objectives.all()) == [objective]
    assert list(second.structures.all()) == [structure]
    assert second.history.get().history_user == staff_user


def test_a_new_action_cannot_start_in_progress(staff_user):
    with pytest.raises(ValidationError):
        action_create(axis=AxisFactory(), title="x", status=Action.Status.DONE, user=staff_user)
    assert Action.objects.count() == 0


def test_journal_entry_changes_status_and_records_who(staff_user):
    action = ActionFactory(status=Action.Status.PLANNED)
    entry = update_create(
        action=action,
        author=staff_user,
        text="Lancement",
        new_status=Action.Status.IN_PROGRESS,
        new_progress=30,
    )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.progress == 30
    assert (entry.old_status, entry.new_status, entry.author) == (
        "planned",
        "in_progress",
        staff_user,
    )
    assert entry.created_at is not None
    last = action.history.first()
    assert last.history_user == staff_user
    assert "Planifiée → En cours" in last.history_change_reason


def test_journal_entry_without_status_change_keeps_the_status(staff_user):
    action = ActionFactory(status=Action.Status.IN_PROGRESS)
    entry = update_create(action=action, author=staff_user, text="Réunion tenue")
    assert (entry.old_status, entry.new_status) == ("", "")
    assert not entry.changes_status
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("lead", "in_progress"),
        ("lead", "done"),
        ("planned", "done"),
        ("previous_plan", "planned"),
        ("done", "lead"),
    ],
)
def test_forbidden_transitions_are_refused_and_nothing_written(staff_user, start, target):
    action = ActionFactory(status=start)
    with pytest.raises(ValidationError) as refusal:
        update_create(action=action, author=staff_user, text="?", new_status=target)
    assert "ne peut pas passer" in str(refusal.value)
    action.refresh_from_db()
    assert action.status == start
    assert Update.objects.count() == 0


def test_full_lifecycle(staff_user):
    action = ActionFactory(status=Action.Status.LEAD)
    for status in ["planned", "in_progress", "done"]:
        update_create(action=action, author=staff_user, text=status, new_status=status)
    action.refresh_from_db()
    assert action.status == "done"
    assert list(action.updates.values_list("new_status", flat=True)) == [
        "done",
        "in_progress",
        "planned",
    ]


def test_promote_lead_in_one_step(staff_user):
    lead = ActionFactory(status=Action.Status.LEAD)
    action_promote_lead(action=lead, user=staff_user)
    lead.refresh_from_db()
    assert lead.status == Action.Status.PLANNED
    assert lead.updates.get().author == staff_user
    with pytest.raises(ValidationError):
        action_promote_lead(action=lead, user=staff_user)


def test_action_update_refuses_a_status_change(staff_user):
    action = ActionFactory(status=Action.Status.PLANNED)
    with pytest.raises(ValidationError):
        action_update(
            action=action,
            data={"status": "done"},
            expected_version=action.version,
            user=staff_user,
        )


def test_action_update_bumps_version_and_sets_m2m(staff_user):
    action = ActionFactory()
    objective = ObjectiveFactory(axis=action.axis)
    updated = action_update(
        action=action,
        data={"title": "Nouveau titre", "weight": 3},
        objectives=[objective],
        expected_version=action.version,
        user=staff_user,
        reason="Clarification",
    )
    assert updated.version == action.version + 1
    assert list(updated.objectives.all()) == [objective]
    assert updated.history.first().history_change_reason == "Clarification"


def test_action_update_with_nothing_changed_writes_nothing(staff_user):
    action = ActionFactory()
    before = action.history.count()
    action_update(action=action, data={"title": action.title}, expected_version=1, user=staff_user)
    assert action.history.count() == before


def test_milestones(staff_user):
    action = ActionFactory()
    milestone = milestone_create(action=action, title="Comité de pilotage", user=staff_user)
    milestone_set_done(milestone=milestone, done=True, user=staff_user)
    assert Milestone.objects.get().done
    milestone_delete(milestone=milestone, user=staff_user)
    assert not Milestone.objects.exists()


def test_partners_with_role(staff_user):
    action, partner = ActionFactory(), PartnerFactory()
    action_partner_set(action=action, partner=partner, role="co-portage", user=staff_user)
    action_partner_set(action=action, partner=partner, role="financement", user=staff_user)
    link = ActionPartner.objects.get()
    assert link.role == "financement"
    action_partner_remove(link=link, user=staff_user)
    assert not ActionPartner.objects.exists()


def test_continuation_links_a_previous_action_to_an_objective(staff_user):
    previous = ActionFactory(status=Action.Status.PREVIOUS_PLAN)
    objective = ObjectiveFactory()
    continuation_set(
        previous_action=previous,
        objective=objective,
        outcome="transformed",
        note="Devenu un projet",
        user=staff_user,
    )
    continuation_set(
        previous_action=previous,
        objective=objective,
        outcome="continued",
        user=staff_user,
    )
    link = Continuation.objects.get()
    assert link.outcome == "continued"
    with pytest.raises(ValidationError):
        continuation_set(
            previous_action=ActionFactory(status=Action.Status.PLANNED),
            objective=objective,
            outcome="continued",
            user=staff_user,
        )


# The trash


def test_trash_round_trip_of_an_axis_with_its_objectives(staff_user):
    axis = AxisFactory()
    objectives = [ObjectiveFactory(axis=axis) for _ in range(2)]
    already_trashed = ObjectiveFactory(axis=axis)
    plan_object_trash(obj=already_trashed, user=staff_user)

    assert plan_object_trash(obj=axis, user=staff_user) == 3
    assert not Axis.objects.filter(pk=axis.pk).exists()
    assert not Objective.objects.filter(axis=axis).exists()
    trashed = Axis.all_objects.get(pk=axis.pk)
    assert trashed.deleted_by == staff_user

    assert plan_object_restore(obj=trashed, user=staff_user) == 3
    assert set(Objective.objects.filter(axis=axis)) == set(objectives)  # the earlier deletion stays deleted
    assert Objective.all_objects.get(pk=already_trashed.pk).in_trash


def test_deleting_an_axis_with_actions_is_refused(staff_user):
    action = ActionFactory()
    with pytest.raises(ValidationError) as refusal:
        plan_object_trash(obj=action.axis, user=staff_user)
    assert "porte encore 1 action" in str(refusal.value)
    assert Axis.objects.filter(pk=action.axis_id).exists()


def test_deleting_an_axis_can_move_its_actions_first(staff_user):
    action = ActionFactory()
    other = AxisFactory()
    plan_object_trash(obj=action.axis, user=staff_user, move_actions_to=other)
    action = Action.objects.get(pk=action.pk)
    assert action.axis == other


def test_deleting_a_chapter_is_refused_while_its_axes_hold_actions(staff_user):
    action = ActionFactory()
    with pytest.raises(ValidationError):
        plan_object_trash(obj=action.axis.chapter, user=staff_user)
    assert Chapter.objects.filter(pk=action.axis.chapter_id).exists()


def test_a_child_is_restored_only_after_its_parent(staff_user):
    objective = ObjectiveFactory()
    plan_object_trash(obj=objective.axis, user=staff_user)
    with pytest.raises(ValidationError) as refusal:
        plan_object_restore(obj=Objective.all_objects.get(pk=objective.pk), user=staff_user)
    assert "restaurez d’abord" in str(refusal.value)


def test_trashed_action_leaves_lists_and_comes_back(staff_user):
    action = ActionFactory()
    plan_object_trash(obj=action, user=staff_user)
    assert not Action.objects.exists()
    plan_object_restore(obj=Action.all_objects.get(), user=staff_user)
    assert Action.objects.get() == action


def test_only_a_superuser_empties_the_trash(staff_user, superuser):
    action = ActionFactory()
    axis = action.axis
    plan_object_trash(obj=action, user=staff_user)
    plan_object_trash(obj=axis, user=staff_user)
    with pytest.raises(PermissionDenied):
        trash_empty(user=staff_user)
    assert Action.all_objects.count() == 1
    assert trash_empty(user=superuser) == 2
    assert Action.all_objects.count() == 0 and Axis.all_objects.count() == 0
    assert Action.history.filter(history_type="-").exists()  # the trace stays in the history


# History and conflicts


def test_history_restore_gives_back_an_earlier_version(staff_user):
    axis = AxisFactory(title="Titre d'origine", context="Contexte d'origine")
    axis = axis_update(axis=axis, data={"context": "Réécrit"}, expected_version=1, user=staff_user)
    original = axis.history.order_by("history_date").first()
    restored = history_restore(obj=axis, history_id=original.history_id, user=staff_user)
    assert restored.context == "Contexte d'origine"
    assert restored.version == 3
    assert "Retour à la version du" in restored.history.first().history_change_reason


def test_second_concurrent_save_is_refused_with_what_changed(staff_user, board_user):
    objective = ObjectiveFactory(text="Texte de départ")
    opened_version = objective.version
    objective_update(
        objective=objective,
        data={"text": "Texte de Camille"},
        expected_version=opened_version,
        user=staff_user,
    )
    with pytest.raises(ConflictError) as conflict:
        objective_update(
            objective=objective,
            data={"text": "Texte de Dominique"},
            expected_version=opened_version,
            user=board_user,
        )
    error = conflict.value
    assert "pendant que vous le modifiiez" in str(error)
    assert [(c.label, c.old, c.new) for c in error.changes] == [("objectif", "Texte de départ", "Texte de Camille")]
    assert error.authors == [staff_user.get_full_name()]
    assert Objective.objects.get().text == "Texte de Camille"


def test_plan_import_after_staff_edits_keeps_versions_consistent(seeded_plan, staff_user):
    from django.conf import settings

    axis = Axis.objects.for_plan(seeded_plan).first()
    axis_update(
        axis=axis,
        data={"stakes": "Réécrit"},
        expected_version=axis.version,
        user=staff_user,
    )
    report = plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes(), user=None)
    # The document did not change the stakes: staff's version stays, and the import writes nothing.
    assert report.updated == 0
    assert [(change.label, change.fields) for change in report.kept] == [(axis.title, ["stakes"])]
    axis.refresh_from_db()
    assert (axis.stakes, axis.version) == ("Réécrit", 2)
    history_before = Axis.history.count()
    plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes(), user=None)
    assert Axis.history.count() == history_before


def test_reimport_does_not_resurrect_nor_duplicate_trashed_objects(seeded_plan, staff_user):
    from django.conf import settings

    lead = Action.objects.filter(status=Action.Status.LEAD).first()
    plan_object_trash(obj=lead, user=staff_user)
    count = Action.all_objects.count()
    plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes(), user=None)
    assert Action.all_objects.count() == count
    assert Action.all_objects.get(pk=lead.pk).in_trash


def test_plan_trash_and_restore_everything(staff_user):
    objective = ObjectiveFactory()
    plan = objective.axis.chapter.plan
    assert plan_object_trash(obj=plan, user=staff_user) == 4
    assert not Plan.objects.exists()
    plan_object_restore(obj=Plan.all_objects.get(), user=staff_user)
    assert Objective.objects.get() == objective
