"""Structures taking part in actions: directors propose their own structure's participation
(another structure's id gets 403); staff accept or decline with a reason.

Comments on objectives and actions live in `actions/views/comments.py`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from actions.models import Participation
from network.models import Structure
from toolkit.pagination import paginate

from ..forms import DecisionForm, ParticipationForm
from ..selectors import participations_decided, participations_pending
from ..services import (
    DECIDE_PERMISSION,
    may_speak_for,
    participation_decide,
    participation_propose,
)


def _own_structures(user):
    if user.has_perm(DECIDE_PERMISSION):
        return Structure.objects.order_by("name")
    return Structure.objects.directed_by(user).order_by("name")


@permission_required("actions.add_participation", raise_exception=True)
def participation_propose_view(request):
    own = _own_structures(request.user)
    staff = request.user.has_perm(DECIDE_PERMISSION)
    if request.method == "POST":
        form = ParticipationForm(request.POST, typed_structure=staff)
        if form.is_valid():
            structure = form.cleaned_data["structure"]
            if not may_speak_for(request.user, structure):
                raise PermissionDenied("Cette structure n’est pas la vôtre.")
            try:
                participation_propose(
                    user=request.user,
                    action=form.cleaned_data["action"],
                    structure=structure,
                    contribution=form.cleaned_data["contribution"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"Participation de « {structure} » déclarée : l’équipe fédérale va l’examiner.",
                )
                return redirect("centres:centre_detail", pk=structure.pk)
        elif "structure" in form.errors and request.POST.get("structure") and not staff:
            # An id that names no structure: the same answer as someone else's.
            raise PermissionDenied("Cette structure n’est pas la vôtre.")
    else:
        initial = {}
        if request.GET.get("action", "").isdigit():
            initial["action"] = int(request.GET["action"])
        if request.GET.get("structure", "").isdigit():
            initial["structure"] = int(request.GET["structure"])
        form = ParticipationForm(initial=initial, own_structures=own, typed_structure=staff)
    if not own.exists():
        messages.info(
            request,
            "Votre compte n’est rattaché à aucune structure : demandez-le à l’équipe fédérale.",
        )
    return render(request, "centres/participation/participation_form.html", {"form": form})


PARTICIPATIONS_PER_PAGE = 50


@require_GET
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def participation_list(request):
    """Staff: participations waiting for an answer (oldest first, 50 a page), then the latest decided."""
    page = paginate(request, participations_pending(), PARTICIPATIONS_PER_PAGE)
    return render(
        request,
        "centres/participation/participation_list.html",
        {
            "page": page,
            "pending": page.object_list,
            "decided": participations_decided(),
            "decision_form": DecisionForm(),
        },
    )


@require_POST
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def participation_decide_view(request, pk: int):
    # A page opened before the action went to the trash may still offer it: the service says why not.
    participation = get_object_or_404(Participation.all_objects.select_related("action", "structure"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez d’accepter ou de décliner.")
        return redirect("centres:participation_list")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        participation_decide(
            user=request.user,
            participation=participation,
            accept=accept,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verb = "acceptée" if accept else "déclinée"
        messages.success(request, f"Participation de « {participation.structure} » {verb}.")
    return redirect("centres:participation_list")
