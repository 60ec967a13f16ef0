"""Reminding late structures from « Qui a transmis »: the e-mails shown first, then sent by the
worker through the same service as `manage.py send_reporting_reminders` (centres.reminders:
never twice the same structure for the same period)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django_tasks import TaskResultStatus

from indicators.models import period_label
from indicators.services import VALIDATE_PERMISSION

from ..forms import ReminderForm
from ..reminders import reporting_reminders_send
from ..tasks import send_reporting_reminders


def _scope(form: ReminderForm) -> dict:
    data = form.cleaned_data
    structure = data.get("structure")
    return {
        "period": data.get("periode") or None,
        "structure_ids": [structure.pk] if structure else None,
        "structure": structure,
    }


def _labelled(pairs):
    return [(structure, period_label(period)) for structure, period in pairs]


@require_GET
@permission_required(VALIDATE_PERMISSION, raise_exception=True)
def reminder_preview(request):
    """The e-mails that « Relancer » would send, as they would leave, and who is left out and why."""
    form = ReminderForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("centres:reporting_rate")
    scope = _scope(form)
    report = reporting_reminders_send(period=scope["period"], structure_ids=scope["structure_ids"], dry_run=True)
    return render(
        request,
        "centres/centre/reminder_preview.html",
        {
            "form": form,
            "structure": scope["structure"],
            "period": scope["period"],
            "period_label": period_label(scope["period"]) if scope["period"] else "",
            "previews": report.previews,
            "already_sent": _labelled(report.already_sent),
            "uncertain": _labelled(report.uncertain),
            "without_address": _labelled(report.without_address),
        },
    )


@require_POST
@permission_required(VALIDATE_PERMISSION, raise_exception=True)
def reminder_send(request):
    """Hand the reminders previewed to the worker; what it sends is in the log of the page."""
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("centres:reporting_rate")
    scope = _scope(form)
    result = send_reporting_reminders.enqueue(period=scope["period"], structure_ids=scope["structure_ids"])
    if result.status == TaskResultStatus.SUCCESSFUL:
        sent = result.return_value.get("sent", [])
        already = result.return_value.get("already_sent", [])
        if sent:
            messages.success(request, f"{len(sent)} relance{pluralize(len(sent))} envoyée{pluralize(len(sent))}.")
        if already:
            messages.info(request, f"Déjà relancée{pluralize(len(already))}, non renvoyée : {', '.join(already)}.")
        if not sent and not already:
            messages.info(request, "Aucune relance à envoyer.")
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, "L’envoi des relances a échoué ; rien n’a été enregistré pour ce qui n’est pas parti.")
    else:
        messages.success(
            request, "Relances confiées au worker : elles partent dans un instant (voir le journal ci-dessous)."
        )
    query = {"periode": scope["period"]} if scope["period"] else {}
    url = reverse("centres:reporting_rate")
    return redirect(f"{url}?{urlencode(query)}#relances" if query else f"{url}#relances")
