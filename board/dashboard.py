"""What the board reads: the dashboard and the progress report, each in a fixed number of queries."""

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import Action, Update
from actions.selectors import axes_with_progress, plan_figures, plan_progress, progress_by_objective
from axes.models import Axis, Objective, Plan
from indicators import charts
from indicators.coverage import EXPECTED_FROM, Coverage
from indicators.models import Indicator, period_label
from indicators.selectors import Track, track_of
from toolkit import aggregates

from .figures import NetworkFigures, followed_indicators, network_figures

TIMELINE_STATUSES = [
    Action.Status.PREVIOUS_PLAN,
    Action.Status.PLANNED,
    Action.Status.IN_PROGRESS,
    Action.Status.DONE,
    Action.Status.ABANDONED,
]


@dataclass
class IndicatorLine:
    indicator: Indicator
    track: Track
    values: dict
    targets: dict
    axis_ids: set[int]
    coverage: dict[str, Coverage] = field(default_factory=dict)  # {period: coverage of its value}


@dataclass
class AxisBlock:
    axis: Axis
    status_counts: dict[str, int]
    indicators: list[IndicatorLine] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions_by_status: list["StatusGroup"] = field(default_factory=list)
    other_indicators: list[IndicatorLine] = field(default_factory=list)

    @property
    def track_counts(self) -> dict[str, int]:
        counts = Counter(line.track.status for line in self.indicators)
        return {status: counts.get(status, 0) for status in Track.LABELS}


@dataclass
class StatusGroup:
    """One status's actions in the report: the first few, and how many were left out."""

    label: str
    actions: list
    total: int
    omitted: int


# The report is what the board takes to a meeting: long lists are cut, and say by how much.
REPORT_ACTIONS_PER_STATUS = 5  # in progress, planned, done: the most recently followed
REPORT_ACTIONS_COUNTED_ONLY = {"lead", "abandoned", "previous_plan"}  # their number only
REPORT_CHARTS_PER_AXIS = 4  # off track first; the others in one table
TRACK_ORDER = {Track.OFF_TRACK: 0, Track.ON_TRACK: 1, Track.NO_TARGET: 2, Track.NO_DATA: 3}


def _capped(items: list, limit: int) -> tuple[list, int, int]:
    return items[:limit], len(items), max(0, len(items) - limit)


def _most_recently_followed(actions: list[Action]) -> list[Action]:
    """Actions with the newest journal entry first (by the day it reports, then when it was
    typed), then those never followed, in plan order."""
    followed = sorted(
        (action for action in actions if action.latest_update),
        key=lambda action: (action.latest_update.date, action.latest_update.created_at, action.latest_update.pk),
        reverse=True,
    )
    return followed + [action for action in actions if not action.latest_update]


def indicator_lines(plan: Plan, figures: NetworkFigures) -> list[IndicatorLine]:
    """The plan's indicators with their network values, targets, track and coverage, read from
    every indicator's `figures` (two more queries, whatever the plan's size)."""
    in_plan = set(Indicator.objects.for_plan(plan).values_list("pk", flat=True))
    indicators = sorted(
        (indicator for indicator in figures.indicators if indicator.pk in in_plan),
        key=lambda indicator: (indicator.name, indicator.pk),
    )
    ids = [indicator.pk for indicator in indicators]
    values, targets = figures.values, figures.targets
    # The axes each indicator evidences, as plain ids (no Objective instance per link).
    objective_axes: dict[int, set[int]] = {}
    for indicator_id, axis_id in Indicator.objectives.through.objects.filter(
        indicator_id__in=ids, objective__deleted_at__isnull=True
    ).values_list("indicator_id", "objective__axis_id"):
        objective_axes.setdefault(indicator_id, set()).add(axis_id)
    lines = []
    for indicator in indicators:
        axis_ids = set(objective_axes.get(indicator.pk, ()))
        axis_ids.update(action.axis_id for action in indicator.actions.all())  # prefetched, live
        own_values, own_targets = values.get(indicator.pk, {}), targets.get(indicator.pk, {})
        lines.append(
            IndicatorLine(
                indicator,
                track_of(indicator, own_values, own_targets),
                own_values,
                own_targets,
                axis_ids,
                figures.coverage_of(indicator.pk),
            )
        )
    return lines


def _timeline(plan: Plan) -> tuple[list[tuple[str, dict[str, int]]], int]:
    """[(year, {status: n})]: how many actions were carried out each year, by their current
    status; and how many actions appear in no year (neither years nor a dated journal entry).

    The years are the plan's period when it is known (one end known: that end, the other from
    the data); else the years the actions and their journal name, never stretched to today.
    An action counts in a year when its years say it was running then, or when its journal has
    an entry dated in that year (Update.date, the day the entry reports). An action still
    running with no end year (« depuis 2017 ») runs until this year, and no further than the
    period's last year; a finished one without an end year, in its start year only. One query,
    whatever the number of actions and entries."""
    rows = (
        Action.objects.filter(axis__chapter__plan=plan, status__in=TIMELINE_STATUSES)
        .values_list("pk", "start_year", "end_year", "status", "updates__date__year")
        .order_by()
        .distinct()
    )
    actions: dict[int, tuple[int | None, int | None, str, set[int]]] = {}
    for pk, start, end, status, journal_year in rows:
        journal = actions.setdefault(pk, (start, end, status, set()))[3]
        if journal_year:
            journal.add(journal_year)
    stated = [year for start, end, _status, journal in actions.values() for year in (start, end, *journal) if year]
    first = plan.start_year or min(stated, default=None)
    last = plan.end_year or max(stated, default=None)
    if first is None or last is None:
        return [], len(actions)
    first, last = min(first, last), max(first, last)
    this_year = timezone.localdate().year
    columns = {year: Counter() for year in range(first, last + 1)}
    undated = 0
    for start, end, status, journal in actions.values():
        if not start and not end and not journal:
            undated += 1
            continue
        running: set[int] = set(journal)
        if start or end:
            if end is None:
                end = min(this_year, last) if status in (Action.Status.IN_PROGRESS, Action.Status.PLANNED) else start
            start = start or end
            running.update(range(start, max(start, end) + 1))
        for year in running:
            if year in columns:
                columns[year][status] += 1
    return [(str(year), dict(counts)) for year, counts in columns.items()], undated


def followed_html(template: str) -> str:
    """The section of every followed indicator, rendered with `template` (the dashboard's, the
    report's): the largest part of both pages, kept on its own until a figure changes, so that
    a journal entry or a milestone does not render two hundred indicators again. Computed from
    the figures read after its key (not from the page's data, which may be older)."""
    return aggregates.cached(
        "followed-html",
        template,
        compute=lambda: render_to_string(template, {"followed": followed_indicators(network_figures())}),
        depends_on=[*EXPECTED_FROM, "indicators"],
        timeout=aggregates.LARGE_TIMEOUT,
    )


def dashboard(plan: Plan) -> dict:
    """Everything the board's dashboard shows, in about ten queries whatever the plan's size;
    kept until the data changes (toolkit.aggregates), and for the day (the timeline ends today)."""
    return aggregates.cached(
        "dashboard", plan.pk, timezone.localdate(), compute=lambda: _dashboard(plan), timeout=aggregates.LARGE_TIMEOUT
    )


def _dashboard(plan: Plan) -> dict:
    axes = list(axes_with_progress(plan))
    counts = plan_figures(plan)["status_counts"]
    empty = dict.fromkeys(Action.Status.values, 0)
    blocks = {axis.pk: AxisBlock(axis, counts.get(axis.pk, empty)) for axis in axes}
    figures = network_figures()
    lines = indicator_lines(plan, figures)
    for line in lines:
        for axis_id in line.axis_ids:
            if axis_id in blocks:
                blocks[axis_id].indicators.append(line)
    statuses = Action.Status.choices
    timeline, undated = _timeline(plan)
    tracks_total = Counter(line.track.status for line in lines)
    track_series = list(Track.LABELS.items())
    return {
        "plan": plan,
        "progress": plan_progress(plan),
        "blocks": list(blocks.values()),
        "indicator_lines": lines,
        "tracks_total": {status: tracks_total.get(status, 0) for status in Track.LABELS},
        "track_labels": Track.LABELS,
        "followed": followed_indicators(figures),
        "undated_actions": undated,
        "journal": list(
            Update.objects.filter(action__axis__chapter__plan=plan)
            .select_related("action", "author")
            .order_by("-date", "-created_at", "-pk")[:10]
        ),
        "charts": {
            "progress": charts.progress_bars(
                [(axis.title, axis.progress) for axis in axes], title="Avancement par axe", slug="avancement-axes"
            ),
            "statuses": charts.stacked_bars(
                [(block.axis.title, block.status_counts) for block in blocks.values()],
                list(statuses),
                title="Actions par statut et par axe",
                slug="actions-statut",
                colours=charts.STATUS_COLOURS,
                unit="Nombre d’actions",
                counted=Action.COUNTED_LABELS,
            ),
            "tracks": charts.stacked_bars(
                [(block.axis.title, block.track_counts) for block in blocks.values()],
                track_series,
                title="Indicateurs en bonne voie, par axe",
                slug="indicateurs-axes",
                colours=charts.TRACK_COLOURS,
                unit="Nombre d’indicateurs",
            ),
            "timeline": charts.stacked_columns(
                timeline,
                [(status, label) for status, label in statuses if status in TIMELINE_STATUSES],
                title="Actions menées chaque année",
                slug="chronologie",
                colours=charts.STATUS_COLOURS,
                unit="Nombre d’actions",
                counted=Action.COUNTED_LABELS,
            ),
        },
    }


def indicator_chart(line: IndicatorLine, *, slug: str | None = None):
    periods = sorted(set(line.values) | set(line.targets))
    unit = line.indicator.unit
    return charts.values_against_targets(
        periods,
        [("Réseau", line.values)],
        line.targets,
        title=f"{line.indicator.name} : valeurs validées et cibles",
        slug=slug or f"indicateur-{line.indicator.pk}",
        unit=unit,
    )


def report(plan: Plan) -> dict:
    """The progress report: the dashboard, plus each axis's objectives, actions by status with
    their latest journal entry, and each indicator against its targets with a chart; kept
    like the dashboard. The page and the PDF read the same."""
    return aggregates.cached(
        "report", plan.pk, timezone.localdate(), compute=lambda: _report(plan), timeout=aggregates.LARGE_TIMEOUT
    )


def _report(plan: Plan) -> dict:
    data = dashboard(plan)
    blocks = {block.axis.pk: block for block in data["blocks"]}
    progress = progress_by_objective(plan)
    for objective in Objective.objects.filter(axis__chapter__plan=plan).order_by("axis", "order", "pk"):
        objective.progress = progress.get(objective.pk)
        if objective.axis_id in blocks:
            blocks[objective.axis_id].objectives.append(objective)
    # Each action's newest journal entry, in one query (not the whole journal).
    newest = Update.objects.filter(action=OuterRef("action")).order_by("-date", "-created_at", "-pk").values("pk")[:1]
    latest_update = {
        update.action_id: update
        for update in Update.objects.filter(action__axis__chapter__plan=plan, pk=Subquery(newest)).select_related(
            "author"
        )
    }
    by_axis_status: dict[int, dict[str, list[Action]]] = {}
    for action in Action.objects.filter(axis__chapter__plan=plan).order_by("order", "pk"):
        action.latest_update = latest_update.get(action.pk)
        by_axis_status.setdefault(action.axis_id, {}).setdefault(action.status, []).append(action)
    labels = dict(Action.Status.choices)
    order = [
        Action.Status.IN_PROGRESS,
        Action.Status.PLANNED,
        Action.Status.DONE,
        Action.Status.LEAD,
        Action.Status.ABANDONED,
        Action.Status.PREVIOUS_PLAN,
    ]
    for axis_id, block in blocks.items():
        statuses = by_axis_status.get(axis_id, {})
        block.actions_by_status = [
            StatusGroup(
                labels[status],
                *_capped(
                    _most_recently_followed(statuses[status]),
                    0 if status in REPORT_ACTIONS_COUNTED_ONLY else REPORT_ACTIONS_PER_STATUS,
                ),
            )
            for status in order
            if statuses.get(status)
        ]
        # An indicator may serve several axes: each axis gets its own copy, with its own chart id.
        lines = sorted(block.indicators, key=lambda line: (TRACK_ORDER.get(line.track.status, 9), line.indicator.name))
        block.indicators = []
        for position, shared in enumerate(lines):
            line = dataclasses.replace(shared)
            line.periods = [
                (
                    period_label(period),
                    line.values.get(period),
                    line.targets.get(period),
                    line.coverage.get(period),
                    period,
                )
                for period in sorted(set(line.values) | set(line.targets))
            ]
            if position < REPORT_CHARTS_PER_AXIS:
                line.chart = indicator_chart(line, slug=f"indicateur-{line.indicator.pk}-axe-{axis_id}")
                block.indicators.append(line)
            else:
                block.other_indicators.append(line)
    data["date"] = timezone.localdate()
    return data
