"""What the public space and the open API may read, and nothing more (issue 17).

Two audiences:
- the public (no login, no token): only what staff published — an axis, objective, action or
  indicator whose « publié » switch is on (an objective or action also needs its axis published);
- a partner holding a token (`Scope.partner`): the whole plan, published or not.
Both read only validated values: the network's figure of each period (indicators.selectors,
validated values only) with its coverage, and a single structure's own validated figure only
where staff published that structure for that indicator (`Indicator.published_structures`).
Neither ever reads a draft, submitted or returned value, a comment, a journal entry's text,
nor a person (who entered, validated, leads or wrote anything).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from actions.models import Action, ActionPartner, Update
from actions.selectors import actions_with_progress, plan_figures
from axes.models import Axis, Objective, Plan
from indicators.coverage import Coverage, coverage
from indicators.models import Indicator, Measurement, period_label
from indicators.selectors import Track, network_targets, network_values, track_of
from toolkit import aggregates

# Writes to these apps change what is published or its figures.
DEPENDS_ON = ["network", "axes", "actions", "indicators"]


@dataclass(frozen=True)
class Scope:
    partner: bool = False  # a partner's token reads the whole plan

    @property
    def key(self) -> str:
        return "partner" if self.partner else "public"


PUBLIC = Scope()
PARTNER = Scope(partner=True)


def _live_plan_filter(prefix: str) -> Q:
    """The object's chapter and plan are not in the trash (the live manager looks at the object only)."""
    return Q(**{f"{prefix}chapter__deleted_at__isnull": True, f"{prefix}chapter__plan__deleted_at__isnull": True})


def visible_axes(scope: Scope) -> QuerySet[Axis]:
    axes = Axis.objects.filter(_live_plan_filter(""))
    return axes if scope.partner else axes.filter(is_published=True)


def visible_plans(scope: Scope) -> QuerySet[Plan]:
    if scope.partner:
        return Plan.objects.all()
    return Plan.objects.filter(Exists(visible_axes(scope).filter(chapter__plan=OuterRef("pk"))))


def visible_objectives(scope: Scope) -> QuerySet[Objective]:
    objectives = Objective.objects.filter(axis__in=visible_axes(scope))
    return objectives if scope.partner else objectives.filter(is_published=True)


def visible_actions(scope: Scope) -> QuerySet[Action]:
    actions = Action.objects.filter(axis__in=visible_axes(scope))
    return actions if scope.partner else actions.filter(is_published=True)


def visible_indicators(scope: Scope) -> QuerySet[Indicator]:
    return Indicator.objects.all() if scope.partner else Indicator.objects.filter(is_published=True)


def published_structure_values(scope: Scope) -> QuerySet[Measurement]:
    """Validated numbers of single structures that staff published for their indicator."""
    published = Indicator.published_structures.through.objects.filter(
        indicator_id=OuterRef("indicator_id"), structure_id=OuterRef("structure_id")
    )
    return (
        Measurement.objects.validated()
        .filter(structure__isnull=False, value__isnull=False, indicator__in=visible_indicators(scope))
        .filter(Exists(published))
    )


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class NetworkValue:
    """The network's validated figure of an indicator for a period, with its coverage."""

    indicator_id: int
    period: str
    value: Decimal
    target: Decimal | None
    coverage: Coverage | None

    @property
    def period_label(self) -> str:
        return period_label(self.period)


def network_values_of(indicators: list[Indicator]) -> list[NetworkValue]:
    """Every period's network value of `indicators` (validated values only), oldest first, with
    its coverage and target; a fixed number of queries, kept until the data changes."""
    ids = [indicator.pk for indicator in indicators]
    values, targets = network_values(ids), network_targets(ids)
    covered = coverage(indicators) if indicators else {}
    return [
        NetworkValue(
            indicator.pk,
            period,
            value,
            targets.get(indicator.pk, {}).get(period),
            covered.get((indicator.pk, period)),
        )
        for indicator in indicators
        for period, value in sorted(values.get(indicator.pk, {}).items())
    ]


def object_progress(plan_ids) -> dict[str, dict[int, float | None]]:
    """{"axes": {id: progress}, "objectives": {id: progress}} of the plans `plan_ids` (cached figures)."""
    axes: dict[int, float | None] = {}
    objectives: dict[int, float | None] = {}
    for plan in Plan.objects.filter(pk__in=list(plan_ids)):
        figures = plan_figures(plan)
        axes.update(figures["axes"])
        objectives.update(figures["objectives"])
    return {"axes": axes, "objectives": objectives}


def plan_progress_of(plan: Plan, axis_progress: dict[int, float | None]) -> float | None:
    """The plan's progress, as on its own page: the mean of its axes' (all of them: the figure is
    the plan's, whichever axes are published)."""
    known = [value for value in axis_progress.values() if value is not None]
    return sum(known) / len(known) if known else None


# ---------------------------------------------------------------- the public home


@dataclass
class KeyIndicator:
    indicator: Indicator
    latest: NetworkValue | None
    track: Track
    structure_values: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (structure, period, value)


@dataclass
class Highlight:
    day: datetime.date
    action: Action
    text: str


@dataclass
class PublicSummary:
    plan: Plan | None
    progress: float | None = None
    axes: list[Axis] = field(default_factory=list)  # each with .progress and .public_objectives
    indicators: list[KeyIndicator] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    highlights_since: datetime.date | None = None
    action_count: int = 0


HIGHLIGHTS_SHOWN = 8


def _highlights(plan: Plan, since: datetime.date) -> list[Highlight]:
    """What the journal says happened to the published actions since `since`: a status changed or
    a progress was given, by the day it reports. Never the entry's text nor its author."""
    entries = (
        Update.objects.filter(action__in=visible_actions(PUBLIC).filter(axis__chapter__plan=plan), date__gte=since)
        .filter(~Q(new_status="") | Q(new_progress__isnull=False))
        .select_related("action")
        .order_by("-date", "-created_at", "-pk")
    )
    found = []
    statuses = dict(Action.Status.choices)
    for entry in entries[: HIGHLIGHTS_SHOWN * 2]:
        if entry.changes_status:
            text = f"désormais « {statuses[entry.new_status].lower()} »"
        elif entry.new_progress is not None:
            text = f"avancement porté à {entry.new_progress} %"
        else:
            continue
        found.append(Highlight(entry.date, entry.action, text))
    return found[:HIGHLIGHTS_SHOWN]


def public_summary(today: datetime.date | None = None) -> PublicSummary:
    """What the public home shows of the current plan, published parts only; kept until the data
    changes (about fifteen queries when computed)."""
    today = today or timezone.localdate()
    return aggregates.cached(
        "public-summary", today.isoformat(), compute=lambda: _public_summary(today), depends_on=DEPENDS_ON
    )


def _public_summary(today: datetime.date) -> PublicSummary:
    plan = visible_plans(PUBLIC).current()
    if plan is None:
        return PublicSummary(None)
    figures = plan_figures(plan)
    axes = list(visible_axes(PUBLIC).filter(chapter__plan=plan).order_by("chapter__order", "order", "pk"))
    objectives: dict[int, list[Objective]] = {}
    for objective in visible_objectives(PUBLIC).filter(axis__in=[axis.pk for axis in axes]).order_by("order", "pk"):
        objective.progress = figures["objectives"].get(objective.pk)
        objectives.setdefault(objective.axis_id, []).append(objective)
    for axis in axes:
        axis.progress = figures["axes"].get(axis.pk)
        axis.public_objectives = objectives.get(axis.pk, [])
    indicators = list(visible_indicators(PUBLIC).select_related("stage", "dimension").order_by("name", "pk"))
    latest: dict[int, NetworkValue] = {}
    for value in network_values_of(indicators):
        latest[value.indicator_id] = value  # oldest first: the last one wins
    targets = network_targets([indicator.pk for indicator in indicators])
    values = network_values([indicator.pk for indicator in indicators])
    own: dict[int, list] = {}
    for indicator_id, name, period, value in (
        published_structure_values(PUBLIC)
        .order_by("indicator_id", "structure__name", "-period")
        .values_list("indicator_id", "structure__name", "period", "value")
    ):
        rows = own.setdefault(indicator_id, [])
        if not rows or rows[-1][0] != name:  # each structure's latest period only
            rows.append((name, period_label(period), value))
    key = [
        KeyIndicator(
            indicator,
            latest.get(indicator.pk),
            track_of(indicator, values.get(indicator.pk, {}), targets.get(indicator.pk, {})),
            own.get(indicator.pk, []),
        )
        for indicator in indicators
    ]
    since = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else today - datetime.timedelta(days=365)
    )
    return PublicSummary(
        plan,
        plan_progress_of(plan, figures["axes"]),
        axes,
        key,
        _highlights(plan, since),
        since,
        visible_actions(PUBLIC).filter(axis__chapter__plan=plan).count(),
    )


AXIS_ACTIONS_SHOWN = 50  # an axis of the national plan has hundreds: the rest are in the open data


def public_axis_slug(pk: int) -> str | None:
    """The slug of a published axis, None when it is not published (kept until the data changes)."""

    def compute():
        return visible_axes(PUBLIC).filter(pk=pk).values_list("slug", flat=True).first() or ""

    return aggregates.cached("public-axis-slug", pk, compute=compute, depends_on=DEPENDS_ON) or None


def public_axis(pk: int) -> Axis:
    """A published axis with its published objectives, and its first AXIS_ACTIONS_SHOWN published
    actions (each with its progress); `public_action_count` counts them all."""
    axis = visible_axes(PUBLIC).select_related("chapter__plan").get(pk=pk)
    figures = plan_figures(axis.chapter.plan)
    axis.progress = figures["axes"].get(axis.pk)
    axis.public_objectives = list(visible_objectives(PUBLIC).filter(axis=axis).order_by("order", "pk"))
    for objective in axis.public_objectives:
        objective.progress = figures["objectives"].get(objective.pk)
    actions = visible_actions(PUBLIC).filter(axis=axis)
    axis.public_action_count = actions.count()
    axis.public_actions = list(
        actions_with_progress(actions)
        .prefetch_related(Prefetch("partner_links", queryset=ActionPartner.objects.select_related("partner")))
        .order_by("order", "pk")[:AXIS_ACTIONS_SHOWN]
    )
    return axis


# Every model whose change can change a public page or an API answer keeps a history.
HISTORY_WATCHED = (
    "axes.Plan",
    "axes.Chapter",
    "axes.Axis",
    "axes.Objective",
    "actions.Action",
    "actions.ActionPartner",
    "actions.Milestone",
    "actions.Update",
    "indicators.Indicator",
    "indicators.Target",
    "indicators.Measurement",
    "network.Partner",
)


def _last_change():
    from django.apps import apps
    from django.db.models import Max

    latest = [apps.get_model(label).history.aggregate(last=Max("history_date"))["last"] for label in HISTORY_WATCHED]
    latest = [day for day in latest if day is not None]
    return max(latest) if latest else timezone.now().replace(microsecond=0)


def last_change() -> datetime.datetime:
    """When the plan's axes, objectives, actions, indicators or values last changed (their
    history), for Last-Modified; kept until the next write."""
    return aggregates.cached("public-last-change", compute=_last_change, depends_on=DEPENDS_ON)
