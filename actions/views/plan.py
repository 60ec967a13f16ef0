"""The plan's reading pages, for every role: the plan, an axis, an objective, with their actions."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from actions import selectors
from actions.models import Action
from axes.models import Axis, Objective, Plan

# Reading the plan


@require_GET
@permission_required("axes.view_plan", raise_exception=True)
def plan_current(request):
    plan = Plan.objects.current()
    if plan is None:
        return render(request, "actions/plan_empty.html")
    return redirect(plan)


@require_GET
@permission_required("axes.view_plan", raise_exception=True)
def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    chapters = selectors.plan_overview(plan)
    totals = dict.fromkeys(Action.Status.values, 0)
    for _chapter, axes in chapters:
        for axis in axes:
            for status, n in axis.status_counts.items():
                totals[status] += n
    return render(
        request,
        "actions/plan_detail.html",
        {
            "plan": plan,
            "chapters": chapters,
            "progress": selectors.plan_progress(plan),
            "totals": totals,
            "statuses": Action.Status.choices,
            "objective_total": sum(axis.objective_count or 0 for _, axes in chapters for axis in axes),
            "other_plans": Plan.objects.exclude(pk=plan.pk).order_by("-start_year", "title"),
        },
    )


@require_GET
@permission_required("axes.view_axis", raise_exception=True)
def axis_detail(request, pk: int, slug: str):
    try:
        axis = selectors.axis_with_progress(pk)
    except Axis.DoesNotExist as error:
        raise Http404 from error
    if axis.slug != slug:
        return redirect(axis, permanent=True)
    sections = selectors.axis_page_sections(axis, shown=AXIS_ACTIONS_SHOWN)
    return render(
        request,
        "actions/axis_detail.html",
        {
            "axis": axis,
            "plan": axis.chapter.plan,
            "objectives": selectors.objectives_for_axis_page(axis, actions_shown=OBJECTIVE_ACTIONS_SHOWN),
            "unlinked": selectors.unlinked_for_axis_page(axis, shown=AXIS_ACTIONS_SHOWN),
            **sections,
        },
    )


# A federation's axis holds a dozen actions; the national network's, hundreds. The axis page
# shows the first ones of each section in document order and links to the rest.
AXIS_ACTIONS_SHOWN = 20


OBJECTIVE_ACTIONS_SHOWN = 10


@require_GET
@permission_required("axes.view_objective", raise_exception=True)
def objective_detail(request, pk: int):
    try:
        objective = selectors.objective_page(pk)
    except Objective.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "actions/objective_detail.html",
        {
            "objective": objective,
            "axis": objective.axis,
            "plan": objective.axis.chapter.plan,
        },
    )
