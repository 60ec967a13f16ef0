"""Reading the plan with its actions, and importing a plan document."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from axes.document import DocumentError
from axes.models import Axis, Objective, Plan

from .forms import PlanImportForm
from .models import Action
from .services import document_fingerprint, plan_import

SESSION_KEY = "plan_import"


@require_GET
@permission_required("axes.view_plan", raise_exception=True)
def plan_current(request):
    plan = Plan.objects.current()
    if plan is None:
        return render(request, "actions/plan_empty.html")
    return redirect("actions:plan_detail", pk=plan.pk)


@require_GET
@permission_required("axes.view_plan", raise_exception=True)
def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    axes = list(Axis.objects.for_plan(plan).annotate(objective_count=Count("objectives")))
    counts = Action.objects.filter(axis__chapter__plan=plan).status_counts_by_axis()
    chapters: dict = {}
    for axis in axes:
        axis.status_counts = counts.get(axis.pk, dict.fromkeys(Action.Status.values, 0))
        chapters.setdefault(axis.chapter, []).append(axis)
    totals = Action.objects.filter(axis__chapter__plan=plan).status_counts()
    return render(
        request,
        "actions/plan_detail.html",
        {
            "plan": plan,
            "chapters": chapters.items(),
            "totals": totals,
            "statuses": Action.Status.choices,
            "objective_total": sum(axis.objective_count for axis in axes),
        },
    )


@require_GET
@permission_required("axes.view_axis", raise_exception=True)
def axis_detail(request, pk: int, slug: str):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=pk)
    if axis.slug != slug:
        return redirect("actions:axis_detail", pk=axis.pk, slug=axis.slug, permanent=True)
    actions = list(Action.objects.for_axis_page(axis))
    by_status: dict[str, list[Action]] = {status: [] for status in Action.Status.values}
    for action in actions:
        by_status[action.status].append(action)
    return render(
        request,
        "actions/axis_detail.html",
        {
            "axis": axis,
            "plan": axis.chapter.plan,
            "objectives": Objective.objects.filter(axis=axis).order_by("order", "pk"),
            "previous_actions": by_status[Action.Status.PREVIOUS_PLAN],
            "current_actions": (
                by_status[Action.Status.IN_PROGRESS] + by_status[Action.Status.PLANNED] + by_status[Action.Status.DONE]
            ),
            "leads": by_status[Action.Status.LEAD],
            "abandoned": by_status[Action.Status.ABANDONED],
        },
    )


@permission_required("axes.import_plan", raise_exception=True)
def plan_import_upload(request):
    """Step 1: upload a document; show what the import would create or change."""
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["document"]
            title = form.cleaned_data["plan_title"] or None
            report = plan_import(source=text, plan_title=title, dry_run=True)
            request.session[SESSION_KEY] = {
                "text": text,
                "title": title,
                "fingerprint": document_fingerprint(text),
                "filename": request.FILES["document"].name,
            }
            return render(
                request,
                "actions/plan_import_preview.html",
                {"report": report, "fingerprint": document_fingerprint(text), "filename": request.FILES["document"].name},
            )
    else:
        form = PlanImportForm()
    return render(request, "actions/plan_import_form.html", {"form": form})


@require_POST
@permission_required("axes.import_plan", raise_exception=True)
def plan_import_confirm(request):
    """Step 2: import the previewed document, provided it is still the one in the session."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["fingerprint"] != request.POST.get("fingerprint"):
        messages.error(request, "L'aperçu a expiré ou ne correspond plus au document : déposez-le à nouveau.")
        return redirect("actions:plan_import")
    try:
        report = plan_import(source=pending["text"], plan_title=pending["title"])
    except DocumentError as error:  # the parser changed between preview and confirmation
        messages.error(request, str(error))
        return redirect("actions:plan_import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Document importé : {report.created} éléments créés, {report.updated} modifiés, "
        f"{report.unchanged} inchangés.",
    )
    return redirect("actions:plan_detail", pk=report.plan.pk)
