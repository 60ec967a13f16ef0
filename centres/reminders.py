"""E-mailing the directors of structures that are late with their figures.

One e-mail per structure and period, listing every indicator it has not submitted;
a `federation.ReportingReminder` records it, so that a structure is never reminded twice
about the same period (the database refuses a second record).

The record is committed *before* the e-mail leaves (« sending ») and marked « sent » after:
a worker killed in between leaves a « sending » record, which no later run sends again (the
e-mail may have left) and every run reports as uncertain, until staff check with the
structure and delete the record in the admin. An e-mail the server refused is not sent: its
record is deleted and the next run tries again.
"""

import datetime
import logging
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centres.models import ReportingReminder
from indicators.models import Indicator, period_label
from network.models import Structure

from .reporting import reporting_status

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    sent: list[ReportingReminder] = field(default_factory=list)
    already_sent: list[tuple[Structure, str]] = field(default_factory=list)
    # Recorded as leaving but never marked sent: a worker died while sending (never resent).
    uncertain: list[tuple[Structure, str]] = field(default_factory=list)
    without_address: list[tuple[Structure, str]] = field(default_factory=list)
    would_send: list[tuple[Structure, str, list[str]]] = field(default_factory=list)
    # On a dry run, each e-mail as it would leave (the page shows them before staff send).
    previews: list[EmailMessage] = field(default_factory=list)


def _centre_url(structure: Structure) -> str:
    path = reverse("centres:centre_detail", args=[structure.pk])
    base = os.environ.get("DJANGO_SITE_URL", getattr(settings, "SITE_URL", "")).rstrip("/")
    return f"{base}{path}"


def _message(structure: Structure, period: str, indicators: list[Indicator], recipients: list[str]) -> EmailMessage:
    lines = [
        "Bonjour,",
        "",
        f"La fédération attend encore les chiffres de « {structure.name} » pour {period_label(period)} :",
        "",
        *[f"  - {indicator.name}" for indicator in indicators],
        "",
        f"Vous pouvez les saisir et les transmettre dans « Mon centre » : {_centre_url(structure)}",
        "",
        "Merci, et bonne journée.",
        "L’équipe fédérale",
    ]
    return EmailMessage(
        subject=f"Projet fédéral : vos chiffres pour {period_label(period)}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )


def reporting_reminders_send(
    *,
    period: str | None = None,
    today: datetime.date | None = None,
    dry_run: bool = False,
    structure_ids: list[int] | None = None,
) -> ReminderReport:
    """E-mail the directors of every late structure (or of `structure_ids` only, when late),
    once per structure and period."""
    only = set(structure_ids) if structure_ids is not None else None
    today = today or timezone.localdate()
    late: dict[tuple[int, str], list[Indicator]] = {}
    structures: dict[int, Structure] = {}
    for report in reporting_status(Indicator.objects.active().order_by("name"), period=period, today=today):
        if not report.is_over:
            continue
        for structure in report.late:
            if only is not None and structure.pk not in only:
                continue
            structures[structure.pk] = structure
            late.setdefault((structure.pk, report.period), []).append(report.indicator)
    already = {
        (structure_id, reminder_period): delivery
        for structure_id, reminder_period, delivery in ReportingReminder.objects.filter(
            structure_id__in=structures
        ).values_list("structure_id", "period", "delivery")
    }
    addresses: dict[int, list[str]] = {}
    for structure_id, email in Structure.directors.through.objects.filter(
        structure_id__in=structures, user__is_active=True
    ).values_list("structure_id", "user__email"):
        if email:
            addresses.setdefault(structure_id, []).append(email)

    result = ReminderReport()
    for (structure_id, late_period), indicators in sorted(
        late.items(), key=lambda item: (structures[item[0][0]].name, item[0][1])
    ):
        structure = structures[structure_id]
        if (structure_id, late_period) in already:
            if already[structure_id, late_period] == ReportingReminder.Delivery.SENDING:
                _uncertain(result, structure, late_period)
            else:
                result.already_sent.append((structure, late_period))
            continue
        recipients = sorted(addresses.get(structure_id, []))
        if not recipients:
            result.without_address.append((structure, late_period))
            continue
        if dry_run:
            result.would_send.append((structure, late_period, recipients))
            result.previews.append(_message(structure, late_period, indicators, recipients))
            continue
        reminder = _send_once(structure, late_period, _message(structure, late_period, indicators, recipients))
        if reminder is None:
            result.already_sent.append((structure, late_period))
        else:
            result.sent.append(reminder)
    return result


def _uncertain(result: ReminderReport, structure: Structure, period: str) -> None:
    result.uncertain.append((structure, period))
    logger.warning(
        "Relance de %s (%s) interrompue pendant l’envoi : non renvoyée (elle est peut-être partie). "
        "Vérifiez auprès de la structure, puis supprimez la relance dans l’administration pour la renvoyer.",
        structure,
        period_label(period),
    )


def _send_once(structure: Structure, period: str, message: EmailMessage) -> ReportingReminder | None:
    """Send `message` unless a reminder is recorded for (structure, period); None if one is.

    Three steps, each committed on its own: record « sending », send, mark « sent ». Call it
    outside any transaction (a task, a command): a transaction around it that a dead worker
    rolled back would take the record with it, and the e-mail could leave a second time.
    """
    try:
        # Recorded first: if another run got there, the constraint refuses this one and
        # nothing is sent. (A savepoint, should a caller's transaction surround this.)
        with transaction.atomic():
            reminder = ReportingReminder.objects.create(
                structure=structure,
                period=period,
                recipients=", ".join(message.to),
                delivery=ReportingReminder.Delivery.SENDING,
            )
    except IntegrityError:
        return None
    try:
        message.send(fail_silently=False)
    except Exception:
        # The server refused it: not sent, so a later run may try again.
        reminder.delete()
        raise
    reminder.delivery = ReportingReminder.Delivery.SENT
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["delivery", "sent_at"])
    return reminder
