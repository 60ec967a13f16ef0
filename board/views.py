"""The board's pages: the dashboard, « ce qui a changé », board meetings and the progress report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from axes.models import Plan
from toolkit.french import long_date

from . import pages, reports, services
from .changes import SIGNIFICANCE
from .forms import BoardMeetingForm, BoardReportForm, SinceForm
from .models import BoardMeeting, BoardReport

VIEW = "indicators.view_indicator"


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
    # The page's body is the same for every reader but for one link (staff may give the plan's
    # years): kept rendered, for each (board.pages), so that a reading neither unpickles the
    # figures (700 KB at national scale) nor renders them.
    can_edit_plan = request.user.has_perm("axes.change_axis")
    body = pages.served(request, "dashboard-page", plan.pk, timezone.localdate().isoformat(), can_edit_plan)
    return render(request, "board/dashboard.html", {"body": mark_safe(body)})  # noqa: S308 - our own template


def _default_since() -> datetime.date:
    today = timezone.localdate()
    meeting = BoardMeeting.objects.last_before(today)
    return meeting.date if meeting else today - datetime.timedelta(days=90)


@require_GET
@permission_required(VIEW, raise_exception=True)
def changes(request):
    form = SinceForm(request.GET if "since" in request.GET else None, initial={"since": _default_since()})
    since = form.cleaned_data["since"] if form.is_bound and form.is_valid() else _default_since()
    plan = Plan.objects.current()
    report, computed_at = pages.served(request, "changes-page", plan.pk if plan else None, since.isoformat())
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
            "computed_at": computed_at,
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
            messages.success(request, f"Réunion du {long_date(meeting.date)} enregistrée.")
            return redirect(f"{reverse('board:changes')}?since={meeting.date:%Y-%m-%d}")
    return render(request, "board/boardmeeting_form.html", {"form": form})


@require_GET
@permission_required(VIEW, raise_exception=True)
def report(request):
    plan = _current_plan_or_404()
    # The same page for every reader (no menu, no form, no token): kept whole, like the
    # dashboard's body, so that a reading costs no template (a megabyte of figures).
    html = pages.served(request, "report-page", plan.pk, timezone.localdate().isoformat())
    return HttpResponse(html)


REPORTS_SHOWN = 50
REFRESH_SECONDS = 3


@require_GET
@permission_required("board.view_boardreport", raise_exception=True)
def report_list(request):
    """« Rapports au conseil »: every report generated for a board meeting, newest first, and (for
    the team) the form that generates one. Refreshes itself while one is being generated."""
    archived = reports.refresh(list(BoardReport.objects.select_related("meeting", "requested_by")[:REPORTS_SHOWN]))
    refresh = REFRESH_SECONDS if any(report.is_pending for report in archived) else None
    response = render(
        request,
        "board/boardreport_list.html",
        {
            "reports": archived,
            "form": BoardReportForm() if request.user.has_perm("board.add_boardreport") else None,
            "refresh": refresh,
        },
    )
    return _refreshing(response, refresh)


def _refreshing(response, seconds: int | None):
    # The browser reloads the page itself (HTTP Refresh): no script, nothing for the CSP to allow.
    if seconds:
        response["Refresh"] = str(seconds)
    return response


@require_POST
@permission_required("board.add_boardreport", raise_exception=True)
def report_create(request):
    form = BoardReportForm(request.POST)
    plan = Plan.objects.current()
    if plan is None:
        messages.error(request, "Aucun projet fédéral : il n’y a rien à mettre dans un rapport.")
        return redirect("board:report_list")
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("board:report_list")
    try:
        report = reports.report_request(user=request.user, meeting=form.cleaned_data["meeting"], plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("board:report_list")
    messages.success(
        request, "Génération du rapport demandée\u00a0: elle se fait en arrière-plan, cette page suit son avancement."
    )
    return redirect("board:report_detail", pk=report.pk)


@require_GET
@permission_required("board.view_boardreport", raise_exception=True)
def report_detail(request, pk: int):
    """One report: its progress while it is generated (the page refreshes itself), then its file."""
    report = get_object_or_404(BoardReport.objects.select_related("meeting", "plan", "requested_by"), pk=pk)
    reports.refresh([report])
    refresh = REFRESH_SECONDS if report.is_pending else None
    response = render(request, "board/boardreport_detail.html", {"report": report, "refresh": refresh})
    return _refreshing(response, refresh)


@require_GET
@permission_required("board.view_boardreport", raise_exception=True)
def report_download(request, pk: int):
    """The stored PDF, exactly as it was written (never regenerated)."""
    report = get_object_or_404(BoardReport, pk=pk, status=BoardReport.Status.DONE)
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename)
    response["Content-Type"] = "application/pdf"
    response["ETag"] = f'"{report.sha256}"'
    return response
