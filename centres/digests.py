"""The daily digests (issue 14): staff learn how many values wait for validation, referents which
of their actions need an update; with them go the notifications each person wants as a digest.
One e-mail a day per person, never two (notifications.services.digest_send)."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from indicators.models import Measurement
from network.roles import STAFF
from notifications.models import Kind
from notifications.services import Event, digest_send, notify, notify_each, pending_for_digest

logger = logging.getLogger(__name__)


def daily_notifications_make(today: datetime.date) -> None:
    """Today's « values waiting » (staff) and « to update » (referents) notifications, once a day."""
    waiting = Measurement.objects.filter(status=Measurement.Status.SUBMITTED).count()
    if waiting:
        staff = get_user_model().objects.filter(groups__name=STAFF, is_active=True)
        notify(
            recipients=staff,
            event=Event(
                kind=Kind.VALUES_WAITING,
                key=f"values-waiting:{today.isoformat()}",
                title=f"{waiting} valeur{'s' if waiting > 1 else ''} en attente de validation",
                url=reverse("indicators:measurement_review"),
            ),
        )
    by_referent: dict[int, list[Action]] = {}
    referents = {}
    for action in Action.objects.to_update(today=today).select_related("lead_person").order_by("title"):
        if action.lead_person_id:
            by_referent.setdefault(action.lead_person_id, []).append(action)
            referents[action.lead_person_id] = action.lead_person
    items = []
    for pk, actions in by_referent.items():
        count = len(actions)
        names = "\n".join(f"- {action.title}" for action in actions[:20])
        more = f"\n… et {count - 20} autres" if count > 20 else ""
        items.append(
            (
                Event(
                    kind=Kind.TO_UPDATE,
                    key=f"to-update:{today.isoformat()}",
                    title=f"{count} action{'s' if count > 1 else ''} à mettre à jour",
                    body=names + more,
                    url=f"{reverse('actions:action_list')}?a_mettre_a_jour=on&lead_person={pk}",
                ),
                [referents[pk]],
            )
        )
    notify_each(items)


def daily_digests_send(today: datetime.date | None = None) -> dict[str, int]:
    """Make today's notifications, then e-mail each person their digest. Safe to run again."""
    today = today or timezone.localdate()
    daily_notifications_make(today)
    since = timezone.now() - datetime.timedelta(days=7)
    sent = skipped = 0
    for notifications in pending_for_digest(since=since).values():
        if digest_send(user=notifications[0].recipient, day=today, notifications=notifications):
            sent += 1
        else:
            skipped += 1
    return {"sent": sent, "skipped": skipped}
