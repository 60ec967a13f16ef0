"""The board's pages: the dashboard, « ce qui a changé », board meetings and the progress report."""

import datetime
import time

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from axes.models import Plan

from . import services
from .changes import SIGNIFICANCE, changes_report
from .dashboard import dashboard as dashboard_data
from .dashboard import report as report_data
from .forms import BoardMeetingForm, SinceForm
from .models import BoardMeeting
from .pdf import render_report_pdf

VIEW = "indicators.view_indicator"
CHANGES_VALUES_SHOWN = 50


def _current_plan_or_404() -> Plan:
    plan = Plan.objects.current()
    if plan is None:
        raise Http404("Aucun projet fédéral.")
    return plan


@require_GET
@permission_required(VIEW, raise_exception=True)
def dashboard(request):
    plan = Plan.objects.current()
    if plan is None:
        return render(request, "actions/plan_empty.html")
    return render(
        request,
        "board/dashboard.html",
        {**dashboard_data(plan), "last_meeting": BoardMeeting.objects.last_before(timezone.localdate())},
    )


def _default_since() -> datetime.date:
    today = timezone.localdate()
    meeting = BoardMeeting.objects.last_before(today)
    return meeting.date if meeting else today - datetime.timedelta(days=90)


@require_GET
@permission_required(VIEW, raise_exception=True)
def changes(request):
    form = SinceForm(request.GET if "since" in request.GET else None, initial={"since": _default_since()})
    since = form.cleaned_data["since"] if form.is_bound and form.is_valid() else _default_since()
    report = changes_report(since, plan=Plan.objects.current(), limit=CHANGES_VALUES_SHOWN)
    return render(
        request,
        "board/changes.html",
        {
            "form": form,
            "since": since,
            "report": report,
            "total": report.total,
            "significance": [label for _key, label in SIGNIFICANCE],
            "meetings": BoardMeeting.objects.all()[:8],
        },
    )


@permission_required("board.add_boardmeeting", raise_exception=True)
def board_meeting_create(request):
    form = BoardMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.board_meeting_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Réunion du {meeting.date:%d/%m/%Y} enregistrée.")
            return redirect(f"{reverse('board:changes')}?since={meeting.date:%Y-%m-%d}")
    return render(request, "board/boardmeeting_form.html", {"form": form})


@require_GET
@permission_required(VIEW, raise_exception=True)
def report(request):
    plan = _current_plan_or_404()
    return render(request, "board/report.html", {**report_data(plan), "for_pdf": False})


@require_GET
@permission_required(VIEW, raise_exception=True)
def report_pdf(request):
    plan = _current_plan_or_404()
    started = time.monotonic()
    pdf = render_report_pdf(plan)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"rapport-avancement-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Server-Timing"] = f"pdf;dur={(time.monotonic() - started) * 1000:.0f}"
    return response
