"""Structures and the territory tree, for staff: create, edit, move (issue 14)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from ..forms import StructureForm, TerritoryForm
from ..models import Structure, Territory
from ..services import MANAGE_NETWORK, structure_save, territory_save


def _edit(request, *, form_class, instance, save, template: str, noun: str):
    form = form_class(request.POST or None, instance=instance)
    creating = instance.pk is None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                f"{noun} « {saved} » {'créé' if creating else 'enregistré'}{'e' if noun == 'Structure' else ''}.",
            )
            return redirect(saved.get_absolute_url())
    return render(request, template, {"form": form, "object": instance, "creating": creating})


@permission_required(MANAGE_NETWORK, raise_exception=True)
def structure_edit(request, pk=None):
    structure = get_object_or_404(Structure, pk=pk) if pk else Structure()
    return _edit(
        request,
        form_class=StructureForm,
        instance=structure,
        save=lambda *, user, data: structure_save(user=user, structure=structure, data=data),
        template="network/structure_form.html",
        noun="Structure",
    )


@permission_required(MANAGE_NETWORK, raise_exception=True)
def territory_edit(request, pk=None):
    territory = get_object_or_404(Territory, pk=pk) if pk else Territory()
    return _edit(
        request,
        form_class=TerritoryForm,
        instance=territory,
        save=lambda *, user, data: territory_save(user=user, territory=territory, data=data),
        template="network/territory_form.html",
        noun="Territoire",
    )
