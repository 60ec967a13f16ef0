"""Telling people: `notify` records a notification per person (once per event, the database
sees to it) and, for those who want it at once, e-mails it after the transaction commits;
`digest_send` e-mails a person's day in one message. E-mails are French, plain text and HTML.

Never twice: a notification is unique per (person, event); its e-mail is claimed by setting
`emailed_at` in a committed step before it leaves (a worker killed after the claim leaves it
unsent rather than sent twice); a digest is recorded per (person, day) before it leaves.
"""

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from toolkit.french import long_date

from .models import DAILY_KINDS, Delivery, DigestSent, Follow, Kind, Notification, Preference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    kind: str
    key: str  # unique per event: the same event is never notified twice to one person
    title: str
    body: str = ""
    url: str = ""


def default_delivery(kind: str) -> str:
    return Delivery.DIGEST if kind in DAILY_KINDS else Delivery.IMMEDIATE


def preferences_of(user) -> dict[str, str]:
    """{kind: delivery} for every kind, the person's choice or the default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, default_delivery(kind)) for kind in Kind.values}


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind in Kind.values and delivery in Delivery.values:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user) -> int:
    """The menu's count: from the cache, else one COUNT on the (recipient, read_at) index."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.set(key, count, 300)
    return count


def _forget_unread(user_ids: Iterable[int]) -> None:
    cache.delete_many([unread_cache_key(pk) for pk in user_ids])


def notify(*, recipients: Iterable, event: Event, actor=None) -> list[Notification]:
    """Notify each active recipient but the actor, unless they chose « jamais » for this kind;
    e-mail at once, after the commit, those who chose « tout de suite »."""
    return notify_each([(event, list(recipients))], actor=actor)


def notify_each(items: list[tuple[Event, list]], *, actor=None) -> list[Notification]:
    """`notify` for several events at once (a bulk validation): a fixed number of queries."""
    wanted = [
        (event, {u.pk for u in users if u is not None and u.is_active and (actor is None or u.pk != actor.pk)})
        for event, users in items
    ]
    user_ids = set().union(*(ids for _, ids in wanted)) if wanted else set()
    if not user_ids:
        return []
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in Preference.objects.filter(
            user_id__in=user_ids, kind__in={event.kind for event, _ in wanted}
        ).values_list("user_id", "kind", "delivery")
    }

    def delivery(user_id, kind):
        return chosen.get((user_id, kind), default_delivery(kind))

    now = timezone.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=event.kind,
            key=event.key[:200],
            title=event.title[:300],
            body=event.body[:5000],
            url=event.url[:500],
            created_at=now,
        )
        for event, ids in wanted
        for pk in ids
        if delivery(pk, event.kind) != Delivery.NEVER
    ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)  # already notified of an event: not again
    kept = {row.recipient_id for row in rows}
    _forget_unread(kept)
    created = list(
        Notification.objects.filter(recipient_id__in=kept, key__in={row.key for row in rows}, created_at=now)
    )
    at_once = [
        n.pk for n in created if n.kind not in DAILY_KINDS and delivery(n.recipient_id, n.kind) == Delivery.IMMEDIATE
    ]
    if at_once:
        from .tasks import send_notification_emails  # the task module imports this one

        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=at_once))
    return created


def _base_url() -> str:
    """The site's address for links in e-mails (DJANGO_SITE_URL, as the reminders read it)."""
    return os.environ.get("DJANGO_SITE_URL", getattr(settings, "SITE_URL", "")).rstrip("/")


def _site_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{_base_url()}{path}"


def _message(*, to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**context, "site_url": _base_url()}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def notifications_email(notification_ids: list[int]) -> int:
    """E-mail each notification not e-mailed yet; returns how many left. Call outside a
    transaction (a task): each claim is committed before its e-mail leaves."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not notification.recipient.email:
            continue
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue  # another run sent it
        message = _message(
            to=notification.recipient.email,
            subject=f"Projet fédéral : {notification.title}",
            template="notification",
            context={"notification": notification, "url": _site_url(notification.url)},
        )
        try:
            message.send(fail_silently=False)
        except Exception:
            # Refused by the server: not sent, so a later run may send it.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            logger.exception("Notification %s non envoyée", notification.pk)
            continue
        sent += 1
    return sent


def pending_for_digest(*, since) -> dict[int, list[Notification]]:
    """{user pk: notifications not e-mailed that go in a digest} (daily kinds, and the kinds the
    person wants as a digest), newer than `since`. Two queries."""
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in Preference.objects.filter(
            user_id__in={n.recipient_id for n in pending}
        ).values_list("user_id", "kind", "delivery")
    }
    result: dict[int, list[Notification]] = {}
    for n in pending:
        delivery = chosen.get((n.recipient_id, n.kind), default_delivery(n.kind))
        if n.kind in DAILY_KINDS or delivery == Delivery.DIGEST:
            result.setdefault(n.recipient_id, []).append(n)
    return result


def digest_send(*, user, day, notifications: list[Notification]) -> bool:
    """One e-mail with the person's day; False if a digest was already sent that day (or they
    have no address). Call outside a transaction: the day's record is committed first."""
    if not notifications or not user.email:
        return False
    try:
        with transaction.atomic():
            record = DigestSent.objects.create(user=user, day=day)
    except IntegrityError:
        return False
    ids = [n.pk for n in notifications]
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    for n in notifications:
        n.full_url = _site_url(n.url)
    message = _message(
        to=user.email,
        subject=f"Projet fédéral : votre résumé du {long_date(day)}",
        template="digest",
        context={"user": user, "day": day, "notifications": notifications},
    )
    try:
        message.send(fail_silently=False)
    except Exception:
        record.delete()
        Notification.objects.filter(pk__in=ids).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def notification_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _forget_unread([user.pk])


@transaction.atomic
def notifications_read_all(*, user) -> int:
    count = Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    _forget_unread([user.pk])
    return count


# ---------------------------------------------------------------- following


def _about(obj, prefix: str = "") -> dict:
    """A filter on the object's type by name: one join, the same query whether or not Django's
    content-type cache is warm (query counts stay stable)."""
    meta = obj._meta
    return {
        f"{prefix}content_type__app_label": meta.app_label,
        f"{prefix}content_type__model": meta.model_name,
        f"{prefix}object_id": obj.pk,
    }


def is_following(user, obj) -> bool:
    return Follow.objects.filter(user=user, **_about(obj)).exists()


@transaction.atomic
def follow_set(*, user, obj, follow: bool) -> None:
    kind = ContentType.objects.get_for_model(obj)
    if follow:
        Follow.objects.get_or_create(user=user, content_type=kind, object_id=obj.pk)
    else:
        Follow.objects.filter(user=user, content_type=kind, object_id=obj.pk).delete()


def followers_of(obj):
    """The people who follow `obj` (a queryset of users)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(**_about(obj, "follows__"))
