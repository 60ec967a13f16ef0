"""Progress, computed in the database.

An action's progress is 100 when it is done, else the share of its milestones reached
when it has milestones, else the figure staff set by hand, else 0. An objective's
progress is the weighted mean (Action.weight) of its actions that count — planned, in
progress or done: leads, abandoned actions and the previous plan's are left out, and so
are actions in the trash. An objective with no counted action has no progress (None). An
axis's progress is the mean of its objectives that have one; the plan's, the mean of its
axes that have one. Each figure is one SQL expression: a page listing n objectives or
axes makes one query, not n.
"""

from __future__ import annotations

from django.db.models import (
    Avg,
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from axes.models import Axis, Objective, Plan

from .models import Action, Milestone


class _Sum(Func):
    # SUM without Django's GROUP BY: aggregates the whole (correlated) subquery into one row.
    function = "SUM"
    output_field = FloatField()


class _Avg(Func):
    function = "AVG"
    output_field = FloatField()


def action_progress_expression():
    """An expression giving an Action queryset's progress (float, 0–100)."""
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
    return Case(
        When(status=Action.Status.DONE, then=Value(100.0)),
        default=Coalesce(
            Subquery(milestone_share, output_field=FloatField()),
            Cast("progress", FloatField()),
            Value(0.0),
        ),
        output_field=FloatField(),
    )


def objective_progress_expression():
    """An expression giving an Objective queryset's progress (float or None)."""
    actions = (
        Action.objects.filter(objectives=OuterRef("pk"))
        .counted_in_progress()
        .order_by()
        .annotate(
            value=_Sum(action_progress_expression() * F("weight"))
            / _Sum(Cast("weight", FloatField()))
        )
        .values("value")
    )
    return Subquery(actions, output_field=FloatField())


def axis_progress_expression():
    """An expression giving an Axis queryset's progress (float or None)."""
    objectives = (
        Objective.objects.filter(axis=OuterRef("pk"))
        .order_by()
        .annotate(value=_Avg(objective_progress_expression()))
        .values("value")
    )
    return Subquery(objectives, output_field=FloatField())


def objectives_with_progress(queryset: QuerySet[Objective]) -> QuerySet[Objective]:
    """The objectives, each annotated with `progress` (float 0–100, or None when no action counts)."""
    return queryset.annotate(progress=objective_progress_expression())


def actions_with_progress(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """The actions, each annotated with `computed_progress` (float 0–100)."""
    return queryset.annotate(computed_progress=action_progress_expression())


def axes_with_progress(plan: Plan) -> QuerySet[Axis]:
    """The plan's axes in order, each annotated with `progress` (float or None)."""
    return Axis.objects.for_plan(plan).annotate(progress=axis_progress_expression())


def plan_progress(plan: Plan) -> float | None:
    """The plan's progress: the mean of its axes' progress (None when no axis has any)."""
    return axes_with_progress(plan).aggregate(value=Avg("progress"))["value"]
