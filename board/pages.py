"""The board's three pages that any write makes stale, served as last computed.

The dashboard's body, the report page and « ce qui a changé » read the whole network: a
quarter to half a second of CPU at national scale, and under load someone writes every second.
Each is kept whole (toolkit.aggregates.recent) and served as last computed while it is current,
or less than BOARD_PAGES_MAX_AGE seconds old and computed after the reader's own last write
(federation.middleware.OwnWritesMiddleware); older, the task worker computes the current one
(`board.tasks.refresh_board_page`) while readers keep the page in hand. Every page says when it
was computed. The PDF for a board meeting reads the figures themselves, never a kept page.

A page is named by its kind and its parts, all JSON values (the task receives them): the plan's
id, dates as ISO strings, and for the dashboard whether the reader may give the plan's years.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from axes.models import Plan
from toolkit import aggregates

from .changes import changes_depend_on, changes_report
from .dashboard import dashboard as dashboard_data
from .dashboard import followed_html
from .dashboard import report as report_data
from .models import BoardMeeting
from .tasks import refresh_board_page

CHANGES_VALUES_SHOWN = 50


def _dashboard_body(plan_id: int, today: str, can_edit_plan: bool) -> str:
    plan = Plan.objects.get(pk=plan_id)
    return render_to_string(
        "board/includes/_dashboard_body.html",
        {
            **dashboard_data(plan),
            "last_meeting": BoardMeeting.objects.last_before(datetime.date.fromisoformat(today)),
            "can_edit_plan": can_edit_plan,
            "followed_html": followed_html("board/includes/_followed.html"),
            "computed_at": timezone.now(),
        },
    )


def _report_page(plan_id: int, _today: str) -> str:
    return render_to_string(
        "board/report.html",
        {
            **report_data(Plan.objects.get(pk=plan_id)),
            "followed_html": followed_html("board/includes/_report_followed.html"),
            "computed_at": timezone.now(),
        },
    )


def _changes(plan_id: int | None, since: str):
    """(the report, when it was computed)."""
    plan = Plan.objects.get(pk=plan_id) if plan_id else None
    report = changes_report(datetime.date.fromisoformat(since), plan=plan, limit=CHANGES_VALUES_SHOWN)
    return report, timezone.now()


# {kind: (what computes it from its parts, what it is computed from)}
PAGES = {
    "dashboard-page": (_dashboard_body, lambda: aggregates.WATCHED_APPS),
    "report-page": (_report_page, lambda: aggregates.WATCHED_APPS),
    "changes-page": (_changes, changes_depend_on),
}


def served(request, kind: str, *parts):
    """The page `kind` for `parts`, as `request`'s reader may be served it (see the module)."""
    compute, depends_on = PAGES[kind]
    return aggregates.recent(
        kind,
        *parts,
        compute=lambda: compute(*parts),
        max_age=settings.BOARD_PAGES_MAX_AGE,
        not_before=aggregates.last_write_of(request.user.pk),
        depends_on=depends_on(),
        refresh=lambda: refresh_board_page.enqueue(kind, list(parts)),
    )


def refresh(kind: str, parts: list) -> None:
    """Compute the page `kind` for `parts` and keep it (the task worker, see the module)."""
    compute, depends_on = PAGES[kind]
    aggregates.refresh_recent(kind, *parts, compute=lambda: compute(*parts), depends_on=depends_on())
