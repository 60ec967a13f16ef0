"""Editing the plan's structure (projects, chapters, axes, objectives), for « Équipe fédérale ».

The plan's reading pages show its actions, so they live in `actions` (README « Architecture »).
Every write needs a change permission, checked on the server: a forged POST from a reader gets
403 and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services as plan_services
from .forms import AxisForm, ChapterForm, ObjectiveForm, PlanForm
from .models import Axis, Chapter, Objective, Plan
from .services import ConflictError


def versioned_edit(request, *, form, save, template: str, context: dict, success_url: str | None = None):
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
            return redirect(success_url or obj.get_absolute_url())
    return render(request, template, {**context, "form": form, "conflict": conflict})


@require_GET
@permission_required("axes.view_objective", raise_exception=True)
def objective_fragment(request, pk: int):
    """The objective's text as shown on the axis page (htmx: cancelling an in-place edit)."""
    objective = get_object_or_404(Objective, pk=pk)
    return render(request, "axes/includes/_objective_text.html", {"objective": objective})


# Editing the plan's structure


@permission_required("axes.add_plan", raise_exception=True)
def plan_create(request):
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        plan = plan_services.plan_create(user=request.user, **data)
        messages.success(request, "Projet créé.")
        return redirect(plan)
    return render(request, "axes/plan_form.html", {"form": form})


@permission_required("axes.change_plan", raise_exception=True)
def plan_update(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanForm(request.POST if request.method == "POST" else None, instance=Plan.objects.get(pk=pk))
    return versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.plan_update(
            plan=plan,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="axes/plan_form.html",
        context={"plan": plan},
    )


@permission_required("axes.add_chapter", raise_exception=True)
def chapter_create(request, plan_pk: int):
    plan = get_object_or_404(Plan, pk=plan_pk)
    form = ChapterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        chapter = plan_services.chapter_create(plan=plan, title=form.cleaned_data["title"], user=request.user)
        messages.success(request, "Chapitre ajouté.")
        return redirect(chapter.get_absolute_url())
    return render(request, "axes/chapter_form.html", {"form": form, "plan": plan})


@permission_required("axes.change_chapter", raise_exception=True)
def chapter_update(request, pk: int):
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=pk)
    form = ChapterForm(request.POST if request.method == "POST" else None, instance=Chapter.objects.get(pk=pk))
    return versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.chapter_update(
            chapter=chapter,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="axes/chapter_form.html",
        context={"chapter": chapter, "plan": chapter.plan},
    )


@permission_required("axes.add_axis", raise_exception=True)
def axis_create(request, chapter_pk: int):
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=chapter_pk)
    form = AxisForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        axis = plan_services.axis_create(chapter=chapter, user=request.user, **form.model_data())
        messages.success(request, "Axe ajouté.")
        return redirect(axis.get_absolute_url())
    return render(
        request,
        "axes/axis_form.html",
        {"form": form, "chapter": chapter, "plan": chapter.plan},
    )


@permission_required("axes.change_axis", raise_exception=True)
def axis_update(request, pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=pk)
    form = AxisForm(request.POST if request.method == "POST" else None, instance=Axis.objects.get(pk=pk))
    return versioned_edit(
        request,
        form=form,
        save=lambda f: plan_services.axis_update(
            axis=axis,
            data=f.model_data(),
            expected_version=f.cleaned_data["version"],
            user=request.user,
            reason=f.cleaned_data["reason"],
        ),
        template="axes/axis_form.html",
        context={"axis": axis, "chapter": axis.chapter, "plan": axis.chapter.plan},
    )


@permission_required("axes.add_objective", raise_exception=True)
def objective_create(request, axis_pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=axis_pk)
    form = ObjectiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        plan_services.objective_create(axis=axis, text=form.cleaned_data["text"], user=request.user)
        messages.success(request, "Objectif ajouté.")
        return redirect(axis.get_absolute_url() + "#objectifs")
    return render(
        request,
        "axes/objective_form.html",
        {"form": form, "axis": axis, "plan": axis.chapter.plan},
    )


@permission_required("axes.change_objective", raise_exception=True)
def objective_update(request, pk: int):
    """Edit an objective's text: a page, or in place on the axis page through htmx."""
    objective = get_object_or_404(Objective.objects.select_related("axis__chapter__plan"), pk=pk)
    form = ObjectiveForm(request.POST if request.method == "POST" else None, instance=Objective.objects.get(pk=pk))
    if not request.htmx:
        return versioned_edit(
            request,
            form=form,
            save=lambda f: plan_services.objective_update(
                objective=objective,
                data=f.model_data(),
                expected_version=f.cleaned_data["version"],
                user=request.user,
                reason=f.cleaned_data["reason"],
            ),
            template="axes/objective_form.html",
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
                "axes/includes/_objective_text.html",
                {"objective": objective, "saved": True},
            )
    return render(
        request,
        "axes/includes/_objective_inline_form.html",
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
        return redirect(obj.axis.get_absolute_url() + "#objectifs")
    if isinstance(obj, Axis):
        return redirect(obj.chapter.get_absolute_url())
    return redirect(obj.get_absolute_url())
