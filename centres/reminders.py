"""E-mailing the directors of structures that are late with their figures.

One e-mail per structure and period, listing every indicator it has not submitted;
a `federation.ReportingReminder` records it, so that a structure is never reminded twice
about the same period (the database refuses a second record).
"""

import datetime
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


@dataclass
class ReminderReport:
    sent: list[ReportingReminder] = field(default_factory=list)
    already_sent: list[tuple[Structure, str]] = field(default_factory=list)
    without_address: list[tuple[Structure, str]] = field(default_factory=list)
    would_send: list[tuple[Structure, str, list[str]]] = field(default_factory=list)


def _centre_url(structure: Structure) -> str:
    path = reverse("centres:centre_detail", args=[structure.pk])
    base = os.environ.get("DJANGO_SITE_URL", getattr(settings, "SITE_URL", "")).rstrip("/")
    return f"{base}{path}"


def _message(structure: Structure, period: str, indicators: list[Indicator], recipients: list[str]) -> EmailMessage:
    lines = [
        "Bonjour,",
        "",
        f"La fédération attend encore les chiffres de « {structure.name} » pour {period_label(period)} :",
        "",
        *[f"  - {indicator.name}" for indicator in indicators],
        "",
        f"Vous pouvez les saisir et les transmettre dans « Mon centre » : {_centre_url(structure)}",
        "",
        "Merci, et bonne journée.",
        "L'équipe fédérale",
    ]
    return EmailMessage(
        subject=f"Projet fédéral : vos chiffres pour {period_label(period)}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )


def reporting_reminders_send(
    *, period: str | None = None, today: datetime.date | None = None, dry_run: bool = False
) -> ReminderReport:
    """E-mail the directors of every late structure, once per structure and period."""
    today = today or timezone.localdate()
    late: dict[tuple[int, str], list[Indicator]] = {}
    structures: dict[int, Structure] = {}
    for report in reporting_status(Indicator.objects.order_by("name"), period=period, today=today):
        if not report.is_over:
            continue
        for structure in report.late:
            structures[structure.pk] = structure
            late.setdefault((structure.pk, report.period), []).append(report.indicator)
    already = set(ReportingReminder.objects.filter(structure_id__in=structures).values_list("structure_id", "period"))
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
            result.already_sent.append((structure, late_period))
            continue
        recipients = sorted(addresses.get(structure_id, []))
        if not recipients:
            result.without_address.append((structure, late_period))
            continue
        if dry_run:
            result.would_send.append((structure, late_period, recipients))
            continue
        try:
            with transaction.atomic():
                # Recorded first: if another run got there, the constraint refuses this one
                # and nothing is sent; if sending fails, the record is rolled back.
                reminder = ReportingReminder.objects.create(
                    structure=structure, period=late_period, recipients=", ".join(recipients)
                )
                _message(structure, late_period, indicators, recipients).send(fail_silently=False)
        except IntegrityError:
            result.already_sent.append((structure, late_period))
            continue
        result.sent.append(reminder)
    return result
