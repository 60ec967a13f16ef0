"""The audit page, a person's data export and the anonymisation of an account (administrators)."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from toolkit.french import NNBSP
from toolkit.pagination import paginate

from .. import security
from ..models import SecurityEvent
from . import personal_data
from .forms import DEFAULT_DAYS, AuditFilterForm
from .selectors import describe, history_rows

PER_PAGE = 50
# Counting every write of a wide period costs more than reading a page of it (400,000 values at
# national scale): the audit counts up to this many rows (200 pages), and offers those pages only.
MAX_COUNT = 10_000


def require_administrator(request) -> None:
    # Logins, addresses and everyone's writes: for administrators, not for staff (README « Sécurité »).
    if not request.user.is_superuser:
        raise PermissionDenied("Le journal d’audit est réservé à l’administration.")


@require_GET
def audit(request):
    """Every write (the history of every model) or every security event, by person and date."""
    require_administrator(request)
    form = AuditFilterForm(request.GET or None)
    person = form.value("personne")
    since, until = form.period()
    security_view = request.GET.get("vue") == "securite"
    if security_view:
        events = SecurityEvent.objects.for_audit().filter(at__gte=since)
        if until is not None:
            events = events.filter(at__lt=until)
        if person is not None:
            events = events.filter(user=person)
        if form.value("evenement"):
            events = events.filter(event=form.value("evenement"))
        page = paginate(request, events, PER_PAGE, max_count=MAX_COUNT)
    else:
        filters = {"user_id": person.pk if person else None, "since": since, "until": until}
        filters["model_label"] = form.value("objet") or None
        rows = history_rows(**filters)
        page = paginate(request, rows if rows is not None else [], PER_PAGE, max_count=MAX_COUNT)
        if rows is not None and page.paginator.count:
            # The page's rows, each table cut to the page's end rather than sorted whole.
            page.object_list = history_rows(**filters, newest=page.end_index())[
                page.start_index() - 1 : page.end_index()
            ]
        page.object_list = describe(list(page.object_list))
    return render(
        request,
        "federation/audit/audit.html",
        {
            "form": form,
            "page": page,
            "person": person,
            "person_anonymised": person is not None and personal_data.is_anonymised(person),
            "security_view": security_view,
            "since": since,
            "default_days": DEFAULT_DAYS,
            "max_count": f"{MAX_COUNT:,}".replace(",", NNBSP),  # « 10 000 »
        },
    )


@require_GET
def person_data_export(request, pk: int):
    """Everything the application holds about one account, as a JSON file."""
    require_administrator(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    data = personal_data.personal_data_export(user=person)
    security.record(
        SecurityEvent.Kind.DATA_EXPORTED, request=request, detail=f"compte n° {person.pk} ({person.get_username()})"
    )
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{personal_data.export_filename(person)}"'
    return response


@require_http_methods(["GET", "POST"])
def person_anonymise(request, pk: int):
    """Asks for confirmation, then anonymises the account for good."""
    require_administrator(request)
    person = get_object_or_404(get_user_model(), pk=pk)
    audit_url = reverse("audit") + f"?personne={person.pk}"
    if request.method == "POST":
        try:
            personal_data.account_anonymise(user=person, by=request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(audit_url)
        security.record(SecurityEvent.Kind.ACCOUNT_ANONYMISED, request=request, detail=f"compte n° {person.pk}")
        messages.success(
            request,
            f"Le compte n° {person.pk} est anonymisé : ce qu’il a écrit reste, signé « {personal_data.ANONYMOUS_NAME} ».",
        )
        return redirect(audit_url)
    return render(
        request,
        "federation/audit/person_anonymise.html",
        {"person": person, "audit_url": audit_url, "anonymous_name": personal_data.ANONYMOUS_NAME},
    )
