"""The action's follow-up: journal entries (status and progress), milestones, partners,
continuity with the previous plan."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionPartner, Continuation, Milestone, Update
from axes.models import Objective
from axes.services import versioned_update
from network.models import Partner
from toolkit.french import long_date


def future_date_message(day: date, today: date) -> str:
    return (
        f"Le {long_date(day)} est dans le futur : une entrée du suivi rapporte ce qui s’est passé, "
        f"au plus tard aujourd’hui ({long_date(today)})."
    )


def check_transition(action: Action, new_status: str) -> None:
    if new_status not in Action.TRANSITIONS[action.status]:
        labels = dict(Action.Status.choices)
        allowed = ", ".join(f"« {labels[s]} »" for s in Action.TRANSITIONS[action.status]) or "aucun"
        raise ValidationError(
            f"Une action « {labels[action.status]} » ne peut pas passer à « {labels.get(new_status, new_status)} ». "
            f"Statuts possibles : {allowed}."
        )


@transaction.atomic
def update_create(
    *,
    action: Action,
    author,
    text: str,
    new_status: str = "",
    new_progress: int | None = None,
    date: date | None = None,
) -> Update:
    """Add an entry to the action's journal; a status or progress given there is applied to the action.

    `date` is the day the entry reports (« Retenue au bureau du 24 novembre »), today when not
    given, never in the future; when it was typed, and by whom, are kept apart (created_at, history).
    """
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": future_date_message(date, today)})
    action = Action.objects.select_for_update().get(pk=action.pk)
    if new_status == action.status:
        new_status = ""
    if new_status:
        check_transition(action, new_status)
    if new_progress is not None and action.milestones_drive_progress():
        # The figure would be stored and never shown: say so rather than drop it silently.
        raise ValidationError(
            "L’avancement de cette action suit ses jalons : cochez les jalons atteints, ou faites-la passer "
            "en avancement saisi à la main sur sa page."
        )
    entry = Update(
        action=action,
        author=author,
        date=date,
        text=text,
        old_status=action.status if new_status else "",
        new_status=new_status,
        new_progress=new_progress,
    )
    entry.full_clean()
    entry._history_user = author
    entry.save()
    data = {}
    if new_status:
        data["status"] = new_status
    if new_progress is not None:
        data["progress"] = new_progress
    if data:
        labels = dict(Action.Status.choices)
        reason = f"Suivi : {labels[action.status]} → {labels[new_status]}" if new_status else "Suivi : avancement"
        versioned_update(action, data=data, expected_version=None, user=author, reason=reason)
    return entry


# Milestones


@transaction.atomic
def milestone_create(*, action: Action, title: str, due_date: date | None = None, user) -> Milestone:
    last = action.milestones.order_by("-order").values_list("order", flat=True).first()
    milestone = Milestone(action=action, title=title, due_date=due_date, order=(last or 0) + 1)
    milestone.full_clean()
    milestone._history_user = user
    milestone.save()
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, done: bool, user) -> Milestone:
    if milestone.done != done:
        milestone.done = done
        milestone._history_user = user
        milestone.save(update_fields=["done"])
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user) -> None:
    milestone._history_user = user
    milestone.delete()


# Partners


@transaction.atomic
def action_partner_set(*, action: Action, partner: Partner, role: str = "", user) -> ActionPartner:
    link = ActionPartner.objects.filter(action=action, partner=partner).first() or ActionPartner(
        action=action, partner=partner
    )
    if link.pk and link.role == role:
        return link
    link.role = role
    link.full_clean()
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def action_partner_remove(*, link: ActionPartner, user) -> None:
    link._history_user = user
    link.delete()


# Continuity with the previous plan


@transaction.atomic
def continuation_set(
    *, previous_action: Action, objective: Objective, outcome: str, note: str = "", user
) -> Continuation:
    """Say what became of a previous-plan action in the current plan (one link per objective)."""
    if previous_action.status != Action.Status.PREVIOUS_PLAN:
        raise ValidationError(
            "Seule une action du précédent projet peut être rattachée à un objectif du projet actuel."
        )
    link = Continuation.objects.filter(previous_action=previous_action, objective=objective).first() or Continuation(
        previous_action=previous_action, objective=objective
    )
    link.outcome = outcome
    link.note = note
    link.full_clean()
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def continuation_delete(*, continuation: Continuation, user) -> None:
    continuation._history_user = user
    continuation.delete()
