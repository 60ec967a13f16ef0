"""Writes for the network's part in the plan: structures joining actions, comments.

Kept apart from `services.py` (the plan's writes) so that the two can change
independently; same rules: keyword-only arguments, the acting user passed in and
checked (PermissionDenied becomes a 403), `full_clean()` before saving, atomic.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Participation
from network.models import Structure
from notifications.models import Kind
from notifications.services import Event, notify

DECIDE_PERMISSION = "actions.change_participation"
# A structure joins what the plan is doing or will do, not the previous plan's work.
JOINABLE_STATUSES = (
    Action.Status.LEAD,
    Action.Status.PLANNED,
    Action.Status.IN_PROGRESS,
)


def may_speak_for(user, structure: Structure) -> bool:
    """Directors speak for their own structures; staff for any."""
    if not user.has_perm("actions.add_participation"):
        return False
    return user.has_perm(DECIDE_PERMISSION) or structure.is_directed_by(user)


@transaction.atomic
def participation_propose(*, user, action: Action, structure: Structure, contribution: str) -> Participation:
    """Say that `structure` takes part in `action`, and how; staff then accept or decline.

    Proposing again (after a refusal, or to reword) updates the same participation: a
    declined one goes back to « proposée », an accepted one stays accepted.
    """
    if not may_speak_for(user, structure):
        raise PermissionDenied("Vous ne pouvez déclarer la participation que de votre structure.")
    if action.in_trash:
        raise ValidationError(f"L’action « {action} » est dans la corbeille : on ne peut plus la rejoindre.")
    if action.status not in JOINABLE_STATUSES:
        raise ValidationError(
            "On ne rejoint qu’une action en cours, planifiée ou une piste d’action, pas une action terminée, "
            "abandonnée ou du précédent projet."
        )
    participation = Participation.objects.select_for_update().filter(action=action, structure=structure).first()
    if participation is None:
        participation = Participation(action=action, structure=structure)
    participation.contribution = (contribution or "").strip()
    participation.proposed_by = user
    participation.proposed_at = timezone.now()
    if participation.status != Participation.Status.ACCEPTED:
        participation.status = Participation.Status.PROPOSED
        participation.decided_by = None
        participation.decided_at = None
        participation.decision_note = ""
    participation.full_clean()
    participation._history_user = user
    participation.save()
    return participation


@transaction.atomic
def participation_decide(*, user, participation: Participation, accept: bool, note: str = "") -> Participation:
    """Staff accept or decline a proposed participation; an accepted structure joins the action."""
    if not user.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied("Seule l’équipe fédérale accepte ou décline les participations.")
    # Read past the trash so that a participation on a trashed action gets a reason, not a 404.
    participation = (
        Participation.all_objects.select_for_update(of=("self",)).select_related("action").get(pk=participation.pk)
    )
    if participation.action.in_trash:
        raise ValidationError(
            f"L’action « {participation.action} » est dans la corbeille : "
            "cette participation ne peut plus recevoir de réponse."
        )
    if participation.status != Participation.Status.PROPOSED:
        raise ValidationError("Cette participation a déjà reçu une réponse.")
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"decision_note": "Dites à la structure pourquoi sa participation est déclinée."})
    participation.status = Participation.Status.ACCEPTED if accept else Participation.Status.DECLINED
    participation.decided_by = user
    participation.decided_at = timezone.now()
    participation.decision_note = note
    participation.full_clean()
    participation._history_user = user
    participation.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if accept:
        action = participation.action
        action._history_user = user  # the action's history row for the new link names who accepted
        action.structures.add(participation.structure)
    structure, action = participation.structure, participation.action
    notify(
        recipients=structure.directors.all(),
        actor=user,
        event=Event(
            kind=Kind.PARTICIPATION,
            key=f"participation:{participation.pk}:{participation.status}",
            title=(
                f"Participation acceptée : « {structure} » à « {action} »"
                if accept
                else f"Participation déclinée : « {structure} » à « {action} »"
            ),
            body=f"Motif : {note}" if note else "",
            url=action.get_absolute_url(),
        ),
    )
    return participation
