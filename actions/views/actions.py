"""An action's page, its forms and the list of actions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from actions import selectors
from actions.filters import ActionFilter
from actions.forms import (
    ActionCreateForm,
    ActionForm,
    ActionPartnerForm,
    ContinuationForm,
    MilestoneForm,
    UpdateForm,
)
from actions.models import Action
from actions.services import actions as action_services
from axes.models import Axis, Plan
from axes.views import versioned_edit
from toolkit.pagination import paginate
from toolkit.tables import dataset_export

EDIT_ACTIONS = "actions.change_action"


ACTIONS_PER_PAGE = 25


# Actions


@permission_required("actions.add_action", raise_exception=True)
def action_create(request, axis_pk: int):
    axis = get_object_or_404(Axis.objects.select_related("chapter__plan"), pk=axis_pk)
    form = ActionCreateForm(request.POST if request.method == "POST" else None, axis=axis)
    if request.method == "POST" and form.is_valid():
        data = form.model_data()
        try:
            action = action_services.action_create(
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
    return versioned_edit(
        request,
        form=form,
        save=lambda f: action_services.action_update(
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
    selectors.set_progress_sources([action])
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
    return redirect(Action(pk=action_pk).get_absolute_url() + anchor)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def action_promote(request, pk: int):
    action = get_object_or_404(Action, pk=pk)
    try:
        action_services.action_promote_lead(action=action, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La piste est devenue une action planifiée.")
    return _back_to(pk)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def action_progress_switch(request, pk: int):
    """Let the milestones drive the action's progress (follows=1), or the figure entered by hand (follows=0)."""
    action = get_object_or_404(Action, pk=pk)
    follows = request.POST.get("follows") == "1"
    action = action_services.action_progress_source_set(action=action, follows_milestones=follows, user=request.user)
    if follows:
        messages.success(request, "L’avancement de l’action suit désormais ses jalons : la part des jalons atteints.")
    else:
        figure = "non renseigné" if action.progress is None else f"{action.progress} %"
        messages.success(
            request,
            f"L’avancement de l’action est désormais saisi à la main ({figure}, le dernier chiffre saisi) ; "
            "les jalons ne le changent plus. Indiquez-le par une entrée du suivi.",
        )
    return _back_to(pk)


# The action list


@require_GET
@permission_required("actions.view_action", raise_exception=True)
def action_list(request):
    filterset = ActionFilter(request.GET or None, queryset=Action.objects.for_list().with_to_update_flag())
    page = paginate(request, filterset.qs, ACTIONS_PER_PAGE)
    return render(
        request,
        "actions/action_list.html",
        {
            "filter": filterset,
            "page": page,
            "actions": page.object_list,
            "current_sort": request.GET.getlist("sort", [""])[0],
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
    from ..resources import ActionResource

    if fmt not in EXPORT_FORMATS:
        raise Http404
    # The resource loads what its columns need: hand it the bare filtered queryset.
    filterset = ActionFilter(request.GET or None, queryset=Action.objects.all())
    dataset = ActionResource().export(queryset=filterset.qs, force_native_type=fmt == "xlsx")
    content_type, extension = EXPORT_FORMATS[fmt]
    response = HttpResponse(dataset_export(dataset, fmt, title="Actions"), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="actions-{stamp}.{extension}"'
    return response
