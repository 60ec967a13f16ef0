"""Structures taking part in actions, and comments on objectives and actions.

Directors propose their own structure's participation (another structure's id gets
403); staff accept or decline; every role comments, authors edit within an hour, staff
moderate. Comment text is shown escaped: it is never trusted as HTML.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from axes.models import Objective
from federation.models import Structure

from .models import Action, Comment, Participation
from .participation_forms import CommentForm, DecisionForm, ParticipationForm
from .participation_selectors import participations_decided, participations_pending
from .participation_services import (
    DECIDE_PERMISSION,
    comment_edit,
    comment_moderate,
    comment_post,
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
                raise PermissionDenied("Cette structure n'est pas la vôtre.")
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
                    f"Participation de « {structure} » déclarée : l'équipe fédérale va l'examiner.",
                )
                return redirect("reporting:centre_detail", pk=structure.pk)
        elif "structure" in form.errors and request.POST.get("structure") and not staff:
            # An id that names no structure: the same answer as someone else's.
            raise PermissionDenied("Cette structure n'est pas la vôtre.")
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
            "Votre compte n'est rattaché à aucune structure : demandez-le à l'équipe fédérale.",
        )
    return render(request, "actions/participation/participation_form.html", {"form": form})


PARTICIPATIONS_PER_PAGE = 50


@require_GET
@permission_required(DECIDE_PERMISSION, raise_exception=True)
def participation_list(request):
    """Staff: participations waiting for an answer (oldest first, 50 a page), then the latest decided."""
    page = Paginator(participations_pending(), PARTICIPATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/participation/participation_list.html",
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
    participation = get_object_or_404(Participation.objects.select_related("action", "structure"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez d'accepter ou de décliner.")
        return redirect("actions:participation_list")
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
        messages.success(request, f"Participation de « {participation.structure} » {verb}.")
    return redirect("actions:participation_list")


def _back(request, subject) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    try:
        return subject.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return "/"


def _post_comment(request, **subject):
    form = CommentForm(request.POST)
    thing = next(iter(subject.values()))
    if form.is_valid():
        try:
            comment_post(user=request.user, text=form.cleaned_data["text"], **subject)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Commentaire publié.")
    else:
        messages.error(request, "Écrivez votre commentaire (5 000 caractères au plus).")
    return redirect(_back(request, thing))


@require_POST
@permission_required("actions.add_comment", raise_exception=True)
def action_comment_create(request, pk: int):
    return _post_comment(request, action=get_object_or_404(Action, pk=pk))


@require_POST
@permission_required("actions.add_comment", raise_exception=True)
def objective_comment_create(request, pk: int):
    return _post_comment(request, objective=get_object_or_404(Objective, pk=pk))


@permission_required("actions.add_comment", raise_exception=True)
def comment_edit_view(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("action", "objective"), pk=pk)
    if not comment.editable_by(request.user):
        raise PermissionDenied("On ne modifie que ses propres commentaires, dans l'heure qui suit.")
    form = CommentForm(request.POST or None, instance=None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(user=request.user, comment=comment, text=form.cleaned_data["text"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Commentaire modifié.")
            return redirect(_back(request, comment.subject))
    return render(
        request,
        "actions/participation/comment_form.html",
        {"form": form, "comment": comment},
    )


@require_POST
@permission_required("actions.moderate_comment", raise_exception=True)
def comment_moderate_view(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("action", "objective"), pk=pk)
    hidden = request.POST.get("hidden") == "1"
    comment_moderate(user=request.user, comment=comment, hidden=hidden)
    messages.success(request, "Commentaire masqué." if hidden else "Commentaire rétabli.")
    return redirect(_back(request, comment.subject))
