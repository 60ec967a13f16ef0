"""Writes on actions: create, edit, promote a lead."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from actions.models import Action, Update
from axes.models import Axis, Objective
from axes.services import versioned_update
from network.models import Structure

from .journal import update_create


def _check_new_action_status(status: str) -> None:
    if status not in (Action.Status.LEAD, Action.Status.PLANNED):
        raise ValidationError(
            "Une nouvelle action est une piste ou une action planifiée ; son statut évolue ensuite par le suivi."
        )


@transaction.atomic
def action_create(
    *,
    axis: Axis,
    title: str,
    user,
    description: str = "",
    status: str = Action.Status.PLANNED,
    start_year: int | None = None,
    end_year: int | None = None,
    lead_person=None,
    weight: int = 1,
    progress: int | None = None,
    objectives: Iterable[Objective] = (),
    structures: Iterable[Structure] = (),
) -> Action:
    _check_new_action_status(status)
    last = Action.all_objects.filter(axis=axis).order_by("-order").values_list("order", flat=True).first()
    action = Action(
        axis=axis,
        title=title,
        description=description,
        status=status,
        start_year=start_year,
        end_year=end_year,
        lead_person=lead_person,
        weight=weight,
        progress=progress,
        order=(last or 0) + 1,
    )
    action.full_clean()
    action._history_user = user
    action.save()
    action.objectives.set(objectives)
    action.structures.set(structures)
    return action


def action_update(
    *,
    action: Action,
    data: dict,
    objectives: Iterable[Objective] | None = None,
    structures: Iterable[Structure] | None = None,
    expected_version: int | None,
    user,
    reason: str = "",
) -> Action:
    """Edit an action's fields. Its status changes only through the journal (update_create)."""
    if "status" in data and data["status"] != action.status:
        raise ValidationError("Le statut d'une action change par une entrée du suivi, qui garde qui et quand.")
    m2m = {}
    if objectives is not None:
        m2m["objectives"] = objectives
    if structures is not None:
        m2m["structures"] = structures
    return versioned_update(
        action,
        data=data,
        m2m=m2m,
        expected_version=expected_version,
        user=user,
        reason=reason,
    )


def action_promote_lead(*, action: Action, user) -> Update:
    """Turn a lead (« piste ») into a planned action, in one step, recorded in the journal."""
    if action.status != Action.Status.LEAD:
        raise ValidationError("Seule une piste d'action peut devenir une action planifiée.")
    return update_create(
        action=action,
        author=user,
        text="Piste d'action retenue : elle devient une action planifiée.",
        new_status=Action.Status.PLANNED,
    )
