"""Which objective each action serves: staff say it for a whole axis in one grid."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from actions import selectors
from actions.forms import AxisLinksForm
from actions.services import actions as action_services
from axes.models import Axis


@permission_required("actions.change_action", raise_exception=True)
def axis_links_update(request, pk: int):
    try:
        axis = Axis.objects.select_related("chapter__plan").get(pk=pk)
    except Axis.DoesNotExist as error:
        raise Http404 from error
    grid = selectors.axis_links_grid(axis)
    form = AxisLinksForm(request.POST if request.method == "POST" else None, grid=grid)
    stale = ()
    if request.method == "POST" and form.is_valid():
        try:
            changed = action_services.axis_links_update(
                axis=axis, links=form.links(), expected=form.cleaned_data["opened"], user=request.user
            )
        except action_services.LinksConflictError as error:
            form.add_error(None, str(error))
            stale = {action.pk for action in error.actions}
            form.reopen()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            n = len(changed)
            messages.success(
                request,
                f"Rattachements enregistrés : {n} action{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''}."
                if n
                else "Aucun rattachement n’a changé.",
            )
            return redirect(axis.get_absolute_url() + "#objectifs")
    return render(
        request,
        "actions/axis_links_form.html",
        {
            "axis": axis,
            "plan": axis.chapter.plan,
            "form": form,
            "objectives": grid.objectives,
            "rows": form.rows(stale=stale),
        },
    )
