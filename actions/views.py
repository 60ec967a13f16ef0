"""The plan's pages: reading for every role, editing for « Équipe fédérale ».

Reading needs the `view_*` permissions (the three roles); every write needs a change
permission, checked on the server, so a forged POST from a reader gets 403 and changes
nothing. Views fetch through selectors/queryset methods and write through services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from axes import services as plan_services
from axes.document import DocumentError
from axes.forms import AxisForm, ChapterForm, ObjectiveForm, PlanForm
from axes.models import Axis, Chapter, Objective, Plan
from axes.selectors import history_entries
from axes.services import ConflictError

from . import selectors, services
from .filters import ActionFilter
from .forms import (
    ActionCreateForm,
    ActionForm,
    ActionPartnerForm,
    ContinuationForm,
    MilestoneForm,
    PlanImportForm,
    TrashForm,
    UpdateForm,
)
from .models import Action, ActionPartner, Continuation, Milestone
from .services import TRASHABLE, document_fingerprint, plan_import

SESSION_KEY = "plan_import"
EDIT_PLAN = "axes.change_axis"
EDIT_ACTIONS = "actions.change_action"
ACTIONS_PER_PAGE = 25


def _axis_url(axis: Axis) -> str:
    return reverse("actions:axis_detail", args=[axis.pk, axis.slug])


def _url_of(obj) -> str:
    """Where an object of the plan is shown."""
    if isinstance(obj, Plan):
        return reverse("actions:plan_detail", args=[obj.pk])
    if isinstance(obj, Chapter):
        return reverse("actions:plan_detail", args=[obj.plan_id]) + f"#chapitre-{obj.pk}"
    if isinstance(obj, Axis):
        return _axis_url(obj)
    if isinstance(obj, Objective):
        return reverse("actions:objective_detail", args=[obj.pk])
    return obj.get_absolute_url()


def _trashable(model: str, pk: int, *, trashed: bool = False):
    if model not in TRASHABLE:
        raise Http404
    manager = TRASHABLE[model].all_objects if trashed else TRASHABLE[model].objects
    return get_object_or_404(manager, pk=pk)


def _versioned_edit(request, *, form, save, template: str, context: dict, success_url: str | None = None):
    """Validate `form`, call `save(form)`; on a conflict keep the input and show what changed."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ConflictError as error:
            conflict = error
            form.add_error(None, str(error))
            form.accept_current_version(error.obj.version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect(success_url or _url_of(obj))
    return render(request, template, {**context, "form": form, "conflict": conflict})


# Reading the plan


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
        return redirect("actions:axis_detail", pk=axis.pk, slug=axis.slug, permanent=True)
    sections = selectors.axis_page_sections(axis, shown=AXIS_ACTIONS_SHOWN)
    return render(
        request,
        "actions/axis_detail.html",
        {
            "axis": axis,
            "plan": axis.chapter.plan,
            "objectives": selectors.objectives_for_axis_page(axis, actions_shown=OBJECTIVE_ACTIONS_SHOWN),
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


@require_GET
@permission_required("axes.view_objective", raise_exception=True)
def objective_fragment(request, pk: int):
    """The objective's text as shown on the axis page (htmx: cancelling an in-place edit)."""
    objective = get_object_or_404(Objective, pk=pk)
    return render(request, "actions/includes/_objective_text.html", {"objective": objective})


# Editing the plan's structure


@permission_required("axes.add_plan", raise_exception=True)
def plan_create(request):
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        plan = plan_services.plan_create(user=request.user, **data)
        messages.success(request, "Projet créé.")
        return redirect("actions:plan_detail", pk=plan.pk)
    return render(request, "actions/plan_form.html", {"form": form})


@permission_required("axes.change_plan", raise_exception=True)
def plan_update(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanForm(request.POST if request.method == "POST" else None, instance=Plan.objects.get(pk=pk))
    return _versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.plan_update(
            plan=plan,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="actions/plan_form.html",
        context={"plan": plan},
    )


@permission_required("axes.add_chapter", raise_exception=True)
def chapter_create(request, plan_pk: int):
    plan = get_object_or_404(Plan, pk=plan_pk)
    form = ChapterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        chapter = plan_services.chapter_create(plan=plan, title=form.cleaned_data["title"], user=request.user)
        messages.success(request, "Chapitre ajouté.")
        return redirect(_url_of(chapter))
    return render(request, "actions/chapter_form.html", {"form": form, "plan": plan})


@permission_required("axes.change_chapter", raise_exception=True)
def chapter_update(request, pk: int):
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=pk)
    form = ChapterForm(request.POST if request.method == "POST" else None, instance=Chapter.objects.get(pk=pk))
    return _versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.chapter_update(
            chapter=chapter,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="actions/chapter_form.html",
        context={"chapter": chapter, "plan": chapter.plan},
    )


@permission_required("axes.add_axis", raise_exception=True)
def axis_create(request, chapter_pk: int):
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=chapter_pk)
    form = AxisForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        axis = plan_services.axis_create(
            chapter=chapter,
            title=data["title"],
            context=data["context"],
            stakes=data["stakes"],
            user=request.user,
        )
        rest = {k: v for k, v in data.items() if k not in ("title", "context", "stakes") and v}
        if rest:
            plan_services.axis_update(axis=axis, data=rest, expected_version=None, user=request.user)
        messages.success(request, "Axe ajouté.")
        return redirect(_axis_url(axis))
    return render(
        request,
        "actions/axis_form.html",
        {"form": form, "chapter": chapter, "plan": chapter.plan},
    )


@permission_required("axes.change_axis", raise_exception=True)
def axis_update(request, pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=pk)
    form = AxisForm(request.POST if request.method == "POST" else None, instance=Axis.objects.get(pk=pk))
    return _versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.axis_update(
            axis=axis,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="actions/axis_form.html",
        context={"axis": axis, "chapter": axis.chapter, "plan": axis.chapter.plan},
    )


@permission_required("axes.add_objective", raise_exception=True)
def objective_create(request, axis_pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=axis_pk)
    form = ObjectiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        plan_services.objective_create(axis=axis, text=form.cleaned_data["text"], user=request.user)
        messages.success(request, "Objectif ajouté.")
        return redirect(_axis_url(axis) + "#objectifs")
    return render(
        request,
        "actions/objective_form.html",
        {"form": form, "axis": axis, "plan": axis.chapter.plan},
    )


@permission_required("axes.change_objective", raise_exception=True)
def objective_update(request, pk: int):
    """Edit an objective's text: a page, or in place on the axis page through htmx."""
    objective = get_object_or_404(Objective.objects.select_related("axis__chapter__plan"), pk=pk)
    form = ObjectiveForm(request.POST if request.method == "POST" else None, instance=Objective.objects.get(pk=pk))
    if not request.htmx:
        return _versioned_edit(
            request,
            form=form,
            save=lambda f: plan_services.objective_update(
                objective=objective,
                data=f.model_data(),
                expected_version=f.cleaned_data["version"],
                user=request.user,
                reason=f.cleaned_data["reason"],
            ),
            template="actions/objective_form.html",
            context={
                "objective": objective,
                "axis": objective.axis,
                "plan": objective.axis.chapter.plan,
            },
        )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            objective = plan_services.objective_update(
                objective=objective,
                data=form.model_data(),
                expected_version=form.cleaned_data["version"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ConflictError as error:
            conflict = error
            form.add_error(None, str(error))
            form.accept_current_version(error.obj.version)
        else:
            return render(
                request,
                "actions/includes/_objective_text.html",
                {"objective": objective, "saved": True},
            )
    return render(
        request,
        "actions/includes/_objective_inline_form.html",
        {"form": form, "objective": objective, "conflict": conflict},
    )


MOVABLE = {
    "chapter": (Chapter, "axes.change_chapter"),
    "axis": (Axis, "axes.change_axis"),
    "objective": (Objective, "axes.change_objective"),
}


@require_POST
def plan_object_move(request, model: str, pk: int, direction: str):
    if model not in MOVABLE or direction not in ("up", "down"):
        raise Http404
    model_class, permission = MOVABLE[model]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    obj = get_object_or_404(model_class, pk=pk)
    plan_services.plan_object_move(obj=obj, direction=direction, user=request.user)
    if isinstance(obj, Objective):
        return redirect(_axis_url(obj.axis) + "#objectifs")
    if isinstance(obj, Axis):
        return redirect(_url_of(obj.chapter))
    return redirect(_url_of(obj))


# Actions


@permission_required("actions.add_action", raise_exception=True)
def action_create(request, axis_pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=axis_pk)
    form = ActionCreateForm(request.POST if request.method == "POST" else None, axis=axis)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        try:
            action = services.action_create(
                axis=axis,
                status=form.cleaned_data["status"],
                objectives=form.cleaned_data["objectives"],
                structures=form.cleaned_data["structures"],
                user=request.user,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action créée.")
            return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "axis": axis, "plan": axis.chapter.plan},
    )


@permission_required(EDIT_ACTIONS, raise_exception=True)
def action_update(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("axis__chapter__plan"), pk=pk)
    form = ActionForm(
        request.POST if request.method == "POST" else None, instance=Action.objects.get(pk=pk), axis=action.axis
    )
    return _versioned_edit(
        request,
        form=form,
        save=lambda f: services.action_update(
            action=action,
            data=f.model_data(),
            objectives=f.cleaned_data["objectives"],
            structures=f.cleaned_data["structures"],
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="actions/action_form.html",
        context={
            "action": action,
            "axis": action.axis,
            "plan": action.axis.chapter.plan,
        },
    )


def _action_page(request, action_pk: int, *, status: int = 200, **forms):
    try:
        action = selectors.actions_with_progress(Action.objects.for_detail()).get(pk=action_pk)
    except Action.DoesNotExist as error:
        raise Http404 from error
    context = {"action": action, "axis": action.axis, "plan": action.axis.chapter.plan}
    if request.user.has_perm(EDIT_ACTIONS):
        context.update(
            update_form=forms.get("update_form") or UpdateForm(action=action),
            milestone_form=forms.get("milestone_form") or MilestoneForm(),
            partner_form=forms.get("partner_form") or ActionPartnerForm(),
        )
        if action.status == Action.Status.PREVIOUS_PLAN:
            current = Plan.objects.current()
            objectives = selectors.objectives_of_plan(current.pk if current else 0)
            context["continuation_form"] = forms.get("continuation_form") or ContinuationForm(objectives=objectives)
    return render(request, "actions/action_detail.html", context, status=status)


@require_GET
@permission_required("actions.view_action", raise_exception=True)
def action_detail(request, pk: int):
    return _action_page(request, pk)


def _back_to(action_pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("actions:action_detail", args=[action_pk]) + anchor)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def action_promote(request, pk: int):
    action = get_object_or_404(Action, pk=pk)
    try:
        services.action_promote_lead(action=action, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La piste est devenue une action planifiée.")
    return _back_to(pk)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def update_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = UpdateForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.update_create(action=action, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Entrée ajoutée au suivi.")
            return _back_to(action_pk, "#suivi")
    return _action_page(request, action_pk, update_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, "Jalon ajouté.")
        return _back_to(action_pk, "#jalons")
    return _action_page(request, action_pk, milestone_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_toggle(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(action__deleted_at__isnull=True), pk=pk)
    services.milestone_set_done(milestone=milestone, done=not milestone.done, user=request.user)
    return _back_to(milestone.action_id, "#jalons")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_delete(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(action__deleted_at__isnull=True), pk=pk)
    services.milestone_delete(milestone=milestone, user=request.user)
    messages.success(request, "Jalon supprimé.")
    return _back_to(milestone.action_id, "#jalons")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def partner_add(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = ActionPartnerForm(request.POST)
    if form.is_valid():
        services.action_partner_set(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, "Partenaire enregistré.")
        return _back_to(action_pk, "#partenaires")
    return _action_page(request, action_pk, partner_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def partner_remove(request, pk: int):
    link = get_object_or_404(ActionPartner.objects.filter(action__deleted_at__isnull=True), pk=pk)
    services.action_partner_remove(link=link, user=request.user)
    messages.success(request, "Partenaire retiré de l'action.")
    return _back_to(link.action_id, "#partenaires")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def continuation_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    current = Plan.objects.current()
    form = ContinuationForm(
        request.POST,
        objectives=selectors.objectives_of_plan(current.pk if current else 0),
    )
    if form.is_valid():
        try:
            services.continuation_set(previous_action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Suite enregistrée.")
            return _back_to(action_pk, "#suites")
    return _action_page(request, action_pk, continuation_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def continuation_delete(request, pk: int):
    link = get_object_or_404(Continuation, pk=pk)
    services.continuation_delete(continuation=link, user=request.user)
    messages.success(request, "Lien retiré.")
    return _back_to(link.previous_action_id, "#suites")


# The action list


@require_GET
@permission_required("actions.view_action", raise_exception=True)
def action_list(request):
    filterset = ActionFilter(request.GET or None, queryset=Action.objects.for_list())
    page = Paginator(filterset.qs, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    current_sort = sort_query.pop("sort", [""])[0]
    return render(
        request,
        "actions/action_list.html",
        {
            "filter": filterset,
            "page": page,
            "actions": page.object_list,
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "current_sort": current_sort,
            "sort_columns": SORT_COLUMNS,
        },
    )


SORT_COLUMNS = [
    ("title", "Intitulé"),
    ("axis", "Axe"),
    ("status", "Statut"),
    ("start_year", "Années"),
    ("lead_person", "Référent·e"),
]

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


@require_GET
@permission_required("actions.view_action", raise_exception=True)
def action_export(request, fmt: str):
    """The filtered action list as a file, through the import-export resource (same columns as the import)."""
    from .resources import ActionResource

    if fmt not in EXPORT_FORMATS:
        raise Http404
    # The resource loads what its columns need: hand it the bare filtered queryset.
    filterset = ActionFilter(request.GET or None, queryset=Action.objects.all())
    dataset = ActionResource().export(queryset=filterset.qs)
    content_type, extension = EXPORT_FORMATS[fmt]
    response = HttpResponse(dataset.export(extension), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="actions-{stamp}.{extension}"'
    return response


# History


def _check_model_permission(request, model_class, action: str) -> None:
    opts = model_class._meta
    if not request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied


@require_GET
def object_history(request, model: str, pk: int):
    if model not in TRASHABLE:
        raise Http404
    _check_model_permission(request, TRASHABLE[model], "view")
    obj = _trashable(model, pk, trashed=True)
    return render(
        request,
        "actions/object_history.html",
        {
            "obj": obj,
            "model": model,
            "model_label": TRASHABLE[model]._meta.verbose_name,
            "entries": history_entries(obj),
            "object_url": None if obj.in_trash else _url_of(obj),
            "perms_change": request.user.has_perm(f"{obj._meta.app_label}.change_{obj._meta.model_name}"),
        },
    )


@require_POST
def object_history_restore(request, model: str, pk: int, history_id: int):
    if model not in TRASHABLE:
        raise Http404
    _check_model_permission(request, TRASHABLE[model], "change")
    obj = _trashable(model, pk)
    if not obj.history.filter(history_id=history_id).exists():
        raise Http404
    try:
        services.history_restore(obj=obj, history_id=history_id, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            "Cette version ne peut pas être rétablie : " + " ".join(error.messages),
        )
    else:
        messages.success(
            request,
            "La version choisie est rétablie ; l'historique garde la trace du retour.",
        )
    return redirect("actions:object_history", model=model, pk=pk)


# The trash


def _trash_context_axes(obj):
    return Axis.objects.select_related("chapter__plan").exclude(pk=obj.pk if isinstance(obj, Axis) else None)


def object_delete(request, model: str, pk: int):
    """Confirm, then put an object (and its children) in the trash."""
    if model not in TRASHABLE:
        raise Http404
    _check_model_permission(request, TRASHABLE[model], "delete")
    obj = _trashable(model, pk)
    # An empty POST is a valid answer here (nothing to move): bind it even when empty.
    form = TrashForm(request.POST if request.method == "POST" else None, axes=_trash_context_axes(obj))
    action_count = services.live_action_count(obj)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.plan_object_trash(
                obj=obj,
                user=request.user,
                move_actions_to=form.cleaned_data["move_actions_to"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"« {obj} » est dans la corbeille"
                + (f" avec {n - 1} élément{'s' if n > 2 else ''} rattaché{'s' if n > 2 else ''}" if n > 1 else "")
                + " : l'équipe peut l'en restaurer.",
            )
            parent = services.parent_of(obj)
            return redirect(_url_of(parent) if parent else "actions:plan_current")
    return render(
        request,
        "actions/object_confirm_delete.html",
        {
            "obj": obj,
            "model": model,
            "form": form,
            "action_count": action_count,
            "model_label": TRASHABLE[model]._meta.verbose_name,
            "object_url": _url_of(obj),
        },
    )


@require_GET
@permission_required("axes.delete_axis", raise_exception=True)
def trash_list(request):
    sections = selectors.trash_contents()
    return render(
        request,
        "actions/trash_list.html",
        {
            "sections": sections,
            "is_empty": not any(objects for _, _, objects in sections),
        },
    )


@require_POST
def trash_restore(request, model: str, pk: int):
    if model not in TRASHABLE:
        raise Http404
    _check_model_permission(request, TRASHABLE[model], "delete")
    obj = _trashable(model, pk, trashed=True)
    try:
        n = services.plan_object_restore(obj=obj, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("actions:trash_list")
    messages.success(
        request,
        f"« {obj} » est restauré" + (f" avec {n - 1} élément(s) rattaché(s)." if n > 1 else "."),
    )
    return redirect(_url_of(obj))


@require_POST
def trash_empty(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Seul un administrateur peut vider la corbeille.")
    try:
        n = services.trash_empty(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Corbeille vidée : {n} élément(s) supprimé(s) définitivement.")
    return redirect("actions:trash_list")


# Importing a plan document


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
                {
                    "report": report,
                    "fingerprint": document_fingerprint(text),
                    "filename": request.FILES["document"].name,
                },
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
        messages.error(
            request,
            "L'aperçu a expiré ou ne correspond plus au document : déposez-le à nouveau.",
        )
        return redirect("actions:plan_import")
    try:
        report = plan_import(source=pending["text"], plan_title=pending["title"])
    except DocumentError as error:  # the parser changed between preview and confirmation
        messages.error(request, str(error))
        return redirect("actions:plan_import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Document importé : {report.created} éléments créés, {report.updated} modifiés, {report.unchanged} inchangés.",
    )
    return redirect("actions:plan_detail", pk=report.plan.pk)
