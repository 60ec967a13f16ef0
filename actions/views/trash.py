"""History of the plan's objects and the trash: nothing is lost, everything can be restored."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from actions import selectors
from actions.forms import (
    TrashForm,
)
from actions.services import trash as trash_services
from actions.services.trash import TRASHABLE
from axes.models import Axis
from axes.selectors import history_entries
from toolkit.french import count


def _trashable(model: str, pk: int, *, trashed: bool = False):
    if model not in TRASHABLE:
        raise Http404
    manager = TRASHABLE[model].all_objects if trashed else TRASHABLE[model].objects
    return get_object_or_404(manager, pk=pk)


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
            "object_url": None if obj.in_trash else obj.get_absolute_url(),
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
    links = trash_services.history_links_restorable(obj=obj, history_id=history_id)
    try:
        trash_services.history_restore(obj=obj, history_id=history_id, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            "Cette version ne peut pas être rétablie : " + " ".join(error.messages),
        )
    else:
        said = {
            None: "",
            True: ", ses liens compris",
            False: " ; ses liens, que l’historique n’enregistrait pas encore, restent tels quels",
        }[links]
        messages.success(request, f"La version choisie est rétablie{said} ; l’historique garde la trace du retour.")
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
    action_count = trash_services.live_action_count(obj)
    if request.method == "POST" and form.is_valid():
        try:
            n = trash_services.plan_object_trash(
                obj=obj,
                user=request.user,
                move_actions_to=form.cleaned_data["move_actions_to"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"« {obj} » est dans la corbeille"
                + (f" avec {n - 1} élément{'s' if n > 2 else ''} rattaché{'s' if n > 2 else ''}" if n > 1 else "")
                + " : l’équipe peut l’en restaurer.",
            )
            parent = trash_services.parent_of(obj)
            return redirect(parent.get_absolute_url() if parent else "actions:plan_current")
    return render(
        request,
        "actions/object_confirm_delete.html",
        {
            "obj": obj,
            "model": model,
            "form": form,
            "action_count": action_count,
            "model_label": TRASHABLE[model]._meta.verbose_name,
            "object_url": obj.get_absolute_url(),
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
        n = trash_services.plan_object_restore(obj=obj, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("actions:trash_list")
    messages.success(
        request,
        f"« {obj} » est restauré"
        + (f" avec {count(n - 1, 'élément rattaché', 'éléments rattachés')}." if n > 1 else "."),
    )
    return redirect(obj.get_absolute_url())


@require_POST
def trash_empty(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Seul un administrateur peut vider la corbeille.")
    try:
        n = trash_services.trash_empty(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Corbeille vidée : {count(n, 'élément supprimé', 'éléments supprimés')} définitivement."
        )
    return redirect("actions:trash_list")
