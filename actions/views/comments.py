"""Comments on actions and objectives: every role writes, authors correct, staff moderate."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_POST

from axes.models import Objective
from notifications.services import follow_set
from toolkit.redirects import safe_next

from ..forms import CommentForm
from ..models import Action, Comment
from ..services.comments import comment_edit, comment_moderate, comment_post


def _back(request, subject) -> str:
    try:
        default = subject.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        default = "/"
    return safe_next(request, default)


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
        raise PermissionDenied("On ne modifie que ses propres commentaires, dans l’heure qui suit.")
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
        "actions/comment_form.html",
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


def _follow(request, subject):
    follow = request.POST.get("suivre") == "1"
    follow_set(user=request.user, obj=subject, follow=follow)
    messages.success(
        request,
        "Vous serez prévenu de chaque nouveau commentaire." if follow else "Vous ne suivez plus cette discussion.",
    )
    return redirect(_back(request, subject))


@require_POST
@permission_required("actions.view_action", raise_exception=True)
def action_follow(request, pk: int):
    return _follow(request, get_object_or_404(Action, pk=pk))


@require_POST
@permission_required("axes.view_objective", raise_exception=True)
def objective_follow(request, pk: int):
    return _follow(request, get_object_or_404(Objective, pk=pk))
