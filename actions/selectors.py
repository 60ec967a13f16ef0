"""Progress, computed in the database. The rules, one per level, as the pages tell them
(actions/includes/_progress_rule.html):

- an action: 100 when it is done; else, when it has milestones and its progress follows them
  (`Action.progress_follows_milestones`, the default), the share of its milestones reached;
  else the figure staff entered by hand; else 0 (shown as « non renseigné »);
- an objective: the weighted mean (Action.weight) of its linked actions that count — planned,
  in progress or done: leads, abandoned actions and the previous plan's are left out, and so
  are actions in the trash. An objective with no counted action has no progress (None);
- an axis: the weighted mean of ALL its counted actions, linked to an objective or not (an
  action serving two objectives counts once; one serving none counts too); None without any;
- the plan: the mean of its axes that have a progress.

Actions' and objectives' figures are SQL expressions (a page listing n of them makes one
query, not n); a whole plan's objectives and axes are computed from one read of its actions,
kept until the plan or an action changes (`plan_figures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from axes.models import Axis, Chapter, Objective, Plan
from toolkit import aggregates
from toolkit.french import long_date

from .models import Action, Continuation, Milestone, Participation, Update


class _Sum(Func):
    # SUM without Django's GROUP BY: aggregates the whole (correlated) subquery into one row.
    function = "SUM"
    output_field = FloatField()


class _Avg(Func):
    function = "AVG"
    output_field = FloatField()


def _milestone_count(**filters):
    return Subquery(
        Milestone.objects.filter(action=OuterRef("pk"), **filters)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )


def action_progress_expression():
    """An expression giving an Action queryset's progress (float, 0–100): see the module's rules."""
    milestone_share = (
        Milestone.objects.filter(action=OuterRef("pk"))
        .order_by()
        .annotate(
            share=_Avg(
                Case(
                    When(done=True, then=Value(100.0)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        )
        .values("share")
    )
    entered = Coalesce(Cast("progress", FloatField()), Value(0.0))
    return Case(
        When(status=Action.Status.DONE, then=Value(100.0)),
        # No milestone: the subquery is NULL and the figure entered by hand applies.
        When(
            progress_follows_milestones=True,
            then=Coalesce(Subquery(milestone_share, output_field=FloatField()), entered),
        ),
        default=entered,
        output_field=FloatField(),
    )


def objective_progress_expression():
    """An expression giving an Objective queryset's progress (float or None)."""
    actions = (
        Action.objects.filter(objectives=OuterRef("pk"))
        .counted_in_progress()
        .order_by()
        .annotate(value=_Sum(action_progress_expression() * F("weight")) / _Sum(Cast("weight", FloatField())))
        .values("value")
    )
    return Subquery(actions, output_field=FloatField())


def objectives_with_progress(queryset: QuerySet[Objective]) -> QuerySet[Objective]:
    """The objectives, each annotated with `progress` (float 0–100, or None when no action counts)."""
    return queryset.annotate(progress=objective_progress_expression())


def actions_with_progress(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """The actions, each annotated with `computed_progress` (float 0–100) and the counts its
    source needs: `milestone_count`, `milestones_reached` (see `set_progress_sources`)."""
    return queryset.annotate(
        computed_progress=action_progress_expression(),
        milestone_count=_milestone_count(),
        milestones_reached=_milestone_count(done=True),
    )


@dataclass(frozen=True)
class ProgressSource:
    """Where an action's progress figure comes from, as the pages say it (« jalons : 1 sur 2
    atteints », « indiqué au suivi du 3 mars 2026 par Élise Martin », « saisi le 3 mars 2026 par
    Élise Martin » (on the action's form), « terminée », « non renseigné »)."""

    kind: str  # "done", "milestones", "entered", "unset" or "none" (previous plan: no progress)
    label: str

    def __str__(self) -> str:
        return self.label


def _milestones_label(reached: int, total: int) -> str:
    return f"jalons : {reached} sur {total} atteint{'s' if total > 1 else ''}"


def _name(user) -> str:
    return user.get_full_name() or user.username


def _entered_label(record, entry: Update | None, progress: int) -> str:
    """« indiqué au suivi du 25 octobre 2026 par … » when the figure in force came from a journal
    entry (the day the entry reports), else « saisi le 3 mars 2026 par … » from the action's history."""
    if record is None or record.progress != progress:
        return "saisi à la main"  # no history row says when (rows written around the services)
    # The journal's update_create writes the action with the reason « Suivi : … », just after the entry.
    from_journal = (record.history_change_reason or "").startswith("Suivi")
    if (
        entry is not None
        and entry.new_progress == progress
        and (from_journal or entry.created_at >= record.history_date)
    ):
        day = long_date(entry.date)
        return f"indiqué au suivi du {day} par {_name(entry.author)}" if entry.author else f"indiqué au suivi du {day}"
    day = long_date(record.history_date)
    user = record.history_user
    return f"saisi le {day} par {_name(user)}" if user else f"saisi le {day}"


def set_progress_sources(actions: Sequence[Action]) -> None:
    """Set `progress_source` (a ProgressSource) on each action, read with `actions_with_progress`.

    A figure entered by hand is dated and signed from the action's history (the first record of
    the last run of records holding the figure in force) and, when it came from the journal, from
    the journal entry that gave it (the latest typed that set a progress). Two queries for the
    whole list, however long.
    """
    history = Action.history.model
    differs_later = history.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date")).filter(
        Q(progress__isnull=True) | Q(progress__lt=OuterRef("progress")) | Q(progress__gt=OuterRef("progress"))
    )
    # What update_create applies is the entry typed last, whatever day it reports.
    latest_entry = (
        Update.objects.filter(action=OuterRef("action_id"), new_progress__isnull=False)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    since: dict[int, object] = {}
    entries: dict[int, Update] = {}
    if actions:
        ids = [action.pk for action in actions]
        records = (
            history.objects.filter(id__in=ids, progress__isnull=False)
            .filter(~Exists(differs_later))
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            since.setdefault(record.id, record)
        for entry in Update.objects.filter(action_id__in=ids, pk=Subquery(latest_entry)).select_related("author"):
            entries[entry.action_id] = entry
    for action in actions:
        if action.status == Action.Status.PREVIOUS_PLAN:
            source = ProgressSource("none", "")
        elif action.status == Action.Status.DONE:
            source = ProgressSource("done", "terminée")
        elif action.progress_follows_milestones and action.milestone_count:
            source = ProgressSource("milestones", _milestones_label(action.milestones_reached, action.milestone_count))
        elif action.progress is None:
            source = ProgressSource("unset", "non renseigné")
        else:
            label = _entered_label(since.get(action.pk), entries.get(action.pk), action.progress)
            source = ProgressSource("entered", label)
        action.progress_source = source


def milestones_reached(action: Action) -> tuple[int, int]:
    """(milestones reached, milestones) of one action."""
    counts = Milestone.objects.filter(action=action).aggregate(
        total=Count("pk"), reached=Count("pk", filter=Q(done=True))
    )
    return counts["reached"], counts["total"]


def _plan_figures(plan: Plan) -> dict[str, dict]:
    """The plan's figures in three queries:
    - "objectives": {objective id: progress} for its live objectives — the weighted mean of
      their linked counted actions' progress (see the module's rules), None without any;
    - "axes": {axis id: progress} for its live axes — the weighted mean of all the axis's
      counted actions, linked to an objective or not, None without any;
    - "objective_counts": {axis id: number of live objectives};
    - "status_counts": {axis id: {status: number of live actions}}.
    The counted actions are read once with their progress and their links (one row per link,
    one with no objective for an action that serves none) and grouped here: a correlated
    subquery per objective read the plan's actions once per objective."""
    objective_axis = dict(
        Objective.objects.filter(axis__chapter__plan=plan, axis__deleted_at__isnull=True)
        .order_by()
        .values_list("pk", "axis_id")
    )
    # [sum of progress × weight, sum of weights], per objective and per axis.
    by_objective: dict[int, list[float]] = {}
    by_axis: dict[int, list[float]] = {}
    seen: set[int] = set()
    rows = (
        actions_with_progress(
            Action.objects.counted_in_progress().filter(axis__chapter__plan=plan, axis__deleted_at__isnull=True)
        )
        .order_by()
        .values_list("pk", "axis_id", "objectives", "computed_progress", "weight")
    )
    for action_id, axis_id, objective_id, progress, weight in rows:
        if action_id not in seen:  # an action serving two objectives counts once in its axis
            seen.add(action_id)
            sums = by_axis.setdefault(axis_id, [0.0, 0.0])
            sums[0] += progress * weight
            sums[1] += weight
        if objective_id in objective_axis:  # a live objective of the plan (the trash is left out)
            sums = by_objective.setdefault(objective_id, [0.0, 0.0])
            sums[0] += progress * weight
            sums[1] += weight

    def mean(sums: list[float] | None) -> float | None:
        return sums[0] / sums[1] if sums and sums[1] else None

    objective_counts: dict[int, int] = {}
    for axis_id in objective_axis.values():
        objective_counts[axis_id] = objective_counts.get(axis_id, 0) + 1
    return {
        "objectives": {pk: mean(by_objective.get(pk)) for pk in objective_axis},
        "axes": {axis_id: mean(sums) for axis_id, sums in by_axis.items()},
        "objective_counts": objective_counts,
        "status_counts": Action.objects.filter(axis__chapter__plan=plan).status_counts_by_axis(),
    }


def plan_figures(plan: Plan) -> dict[str, dict]:
    """The plan's progress and counts (see `_plan_figures`): they read every action of the
    plan, so they are kept until the plan or an action changes (toolkit.aggregates)."""
    return aggregates.cached("plan", plan.pk, compute=lambda: _plan_figures(plan), depends_on=["axes", "actions"])


def progress_by_axis(plan: Plan) -> dict[int, float | None]:
    """{axis id: progress}; an axis without counted actions is absent (no progress)."""
    return plan_figures(plan)["axes"]


def progress_by_objective(plan: Plan) -> dict[int, float | None]:
    """{objective id: progress} for the plan's live objectives."""
    return plan_figures(plan)["objectives"]


def axes_with_progress(plan: Plan) -> list[Axis]:
    """The plan's axes in order, each with `progress` (float or None) set."""
    progress = progress_by_axis(plan)
    axes = list(Axis.objects.for_plan(plan))
    for axis in axes:
        axis.progress = progress.get(axis.pk)
    return axes


def plan_progress(plan: Plan) -> float | None:
    """The plan's progress: the mean of its axes' progress (None when no axis has any)."""
    known = [value for value in progress_by_axis(plan).values() if value is not None]
    return sum(known) / len(known) if known else None


# What the pages read


def axis_with_progress(pk: int) -> Axis:
    """One live axis, its chapter and plan joined, with `progress` set."""
    axis = Axis.objects.select_related("chapter__plan").get(pk=pk)
    axis.progress = progress_by_axis(axis.chapter.plan).get(axis.pk)
    return axis


def plan_overview(plan: Plan) -> list[tuple[Chapter, list[Axis]]]:
    """The plan's chapters in order (empty ones too), each with its axes, on which `progress`,
    `objective_count` and `status_counts` ({status: n}) are set from the plan's figures."""
    figures = plan_figures(plan)
    empty = dict.fromkeys(Action.Status.values, 0)
    by_chapter: dict[int, list[Axis]] = {}
    for axis in Axis.objects.for_plan(plan):
        axis.progress = figures["axes"].get(axis.pk)
        axis.objective_count = figures["objective_counts"].get(axis.pk, 0)
        axis.status_counts = figures["status_counts"].get(axis.pk, empty)
        by_chapter.setdefault(axis.chapter_id, []).append(axis)
    chapters = Chapter.objects.filter(plan=plan).order_by("order", "pk")
    return [(chapter, by_chapter.get(chapter.pk, [])) for chapter in chapters]


@dataclass
class Section:
    """The actions of one section of an axis page: the first `shown`, and how many in all."""

    actions: list[Action]
    total: int
    statuses: list[str]

    @property
    def omitted(self) -> int:
        return self.total - len(self.actions)


AXIS_PAGE_SECTIONS = {
    "previous_actions": [Action.Status.PREVIOUS_PLAN],
    "current_actions": [Action.Status.IN_PROGRESS, Action.Status.PLANNED, Action.Status.DONE],
    "leads": [Action.Status.LEAD],
    "abandoned": [Action.Status.ABANDONED],
}


def axis_page_sections(axis: Axis, *, shown: int) -> dict[str, Section]:
    """{section: Section} for the axis page, each section's actions in status then document
    order. Only the shown actions are loaded with their partners and continuations."""
    rank = {status: n for statuses in AXIS_PAGE_SECTIONS.values() for n, status in enumerate(statuses)}
    rows = sorted(
        Action.objects.filter(axis=axis).order_by("order", "pk").values_list("pk", "status"),
        key=lambda row: rank.get(row[1], 0),  # stable: document order within a status
    )
    ids = {name: [pk for pk, status in rows if status in statuses] for name, statuses in AXIS_PAGE_SECTIONS.items()}
    loaded = Action.objects.for_axis_page(axis).in_bulk([pk for pks in ids.values() for pk in pks[:shown]])
    return {
        name: Section([loaded[pk] for pk in pks[:shown]], len(pks), AXIS_PAGE_SECTIONS[name])
        for name, pks in ids.items()
    }


def unlinked_for_axis_page(axis: Axis, *, shown: int) -> Section:
    """The axis's counted actions that serve no objective (« à rattacher à un objectif »), the
    first `shown` in document order: they count in the axis's progress, in no objective's."""
    unlinked = Action.objects.filter(axis=axis).counted_in_progress().serving_no_objective().order_by("order", "pk")
    return Section(list(unlinked[:shown]), unlinked.count(), list(Action.COUNTED_STATUSES))


# The actions the links grid shows: those that count in the progress, and the leads, which may
# already say which objective they would serve. The previous plan's actions are linked to the
# current objectives by their continuations, abandoned ones serve nothing.
LINKABLE_STATUSES = (*Action.COUNTED_STATUSES, Action.Status.LEAD)


@dataclass
class LinksGrid:
    """The axis's objectives (columns) and linkable actions (rows), each action with `linked`:
    the ids of the axis's objectives it serves."""

    objectives: list[Objective]
    actions: list[Action]

    def links(self) -> dict[int, set[int]]:
        return {action.pk: set(action.linked) for action in self.actions}


def axis_links_grid(axis: Axis) -> LinksGrid:
    """The links grid of an axis, in three queries whatever its size."""
    objectives = list(Objective.objects.filter(axis=axis).order_by("order", "pk"))
    actions = list(
        Action.objects.filter(axis=axis, status__in=LINKABLE_STATUSES).only("pk", "title", "status", "order", "axis")
    )
    linked: dict[int, set[int]] = {}
    for action_id, objective_id in Action.objectives.through.objects.filter(
        action__axis=axis, objective__axis=axis, objective__deleted_at__isnull=True
    ).values_list("action_id", "objective_id"):
        linked.setdefault(action_id, set()).add(objective_id)
    # The projects first, then the leads, each in document order (as the axis page shows them).
    actions.sort(key=lambda action: (action.status == Action.Status.LEAD, action.order, action.pk))
    for action in actions:
        action.linked = linked.get(action.pk, set())
    return LinksGrid(objectives, actions)


def objectives_for_axis_page(axis: Axis, *, actions_shown: int) -> list[Objective]:
    """The axis's objectives in order, with `progress`, `action_count`, their first
    `actions_shown` actions (`first_actions`) and the previous-plan actions that lead to them
    (continuations) loaded."""
    action_count = (
        Action.objects.filter(objectives=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    objectives = list(
        Objective.objects.filter(axis=axis)
        .order_by("order", "pk")
        .annotate(action_count=Subquery(action_count))
        .prefetch_related(
            Prefetch(
                "actions", queryset=Action.objects.order_by("order", "pk")[:actions_shown], to_attr="first_actions"
            ),
            Prefetch(
                "continuations",
                queryset=Continuation.objects.select_related("previous_action__axis"),
            ),
        )
    )
    progress = progress_by_objective(axis.chapter.plan)
    for objective in objectives:
        objective.progress = progress.get(objective.pk)
    return objectives


def objective_page(pk: int) -> Objective:
    objective = Objective.objects.select_related("axis__chapter__plan").get(pk=pk)
    objective.progress = progress_by_objective(objective.axis.chapter.plan).get(objective.pk)
    objective.action_list = list(
        actions_with_progress(objective.actions.all()).select_related("lead_person").order_by("axis", "order", "pk")
    )
    set_progress_sources(objective.action_list)
    objective.continuation_list = list(objective.continuations.select_related("previous_action__axis"))
    return objective


def objectives_of_plan(plan_id: int) -> QuerySet[Objective]:
    return (
        Objective.objects.filter(axis__chapter__plan_id=plan_id)
        .select_related("axis")
        .order_by("axis__chapter__order", "axis__order", "order", "pk")
    )


def trash_contents() -> list[tuple[str, str, list]]:
    """[(model key, French plural, trashed objects)] with parent and who deleted them joined.

    Each object gets `came_with_parent`: True when it went to the trash with its parent
    (it comes back with it, and has no restore button of its own).
    """
    sections = [
        ("plan", Plan, [], None),
        ("chapter", Chapter, ["plan"], "plan"),
        ("axis", Axis, ["chapter"], "chapter"),
        ("objective", Objective, ["axis"], "axis"),
        ("action", Action, ["axis"], "axis"),
    ]
    result = []
    for key, model, related, parent in sections:
        objects = list(model.all_objects.trashed().select_related("deleted_by", *related).order_by("-deleted_at", "pk"))
        for obj in objects:
            parent_obj = getattr(obj, parent) if parent else None
            obj.came_with_parent = bool(parent_obj and parent_obj.deleted_at == obj.deleted_at)
            obj.parent_in_trash = bool(parent_obj and parent_obj.deleted_at)
        result.append((key, str(model._meta.verbose_name_plural), objects))
    return result


def action_participations(action: Action):
    """An action's participations for its page: accepted, then proposed; declined left out."""
    return (
        Participation.objects.filter(action=action)
        .exclude(status=Participation.Status.DECLINED)
        .select_related("structure")
        .order_by("status", "structure__name")
    )
