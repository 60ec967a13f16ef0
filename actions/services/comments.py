"""Comments on actions and objectives: post, correct, moderate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Comment
from axes.models import Objective
from notifications.models import Kind
from notifications.services import Event, followers_of, notify

MODERATE_PERMISSION = "actions.moderate_comment"


def _clean_text(text: str) -> str:
    # The text is stored as typed and escaped when shown; NUL bytes are refused by PostgreSQL.
    return (text or "").replace("\x00", "").strip()


@transaction.atomic
def comment_post(*, user, text: str, action: Action | None = None, objective: Objective | None = None) -> Comment:
    if not user.has_perm("actions.add_comment"):
        raise PermissionDenied("Vous ne pouvez pas commenter.")
    subject = action or objective
    if subject is not None and subject.in_trash:
        raise ValidationError(f"« {subject} » est dans la corbeille : on ne peut plus le commenter.")
    comment = Comment(author=user, text=_clean_text(text), action=action, objective=objective)
    if not comment.text:
        raise ValidationError({"text": "Écrivez votre commentaire."})
    comment.full_clean()
    comment._history_user = user
    comment.save()
    _tell_the_thread(comment, subject)
    return comment


def _tell_the_thread(comment: Comment, subject) -> None:
    """Those who wrote on the same action or objective, and those who follow it, are told."""
    others = Comment.objects.filter(action=comment.action, objective=comment.objective, hidden=False).exclude(
        pk=comment.pk
    )
    people = {c.author for c in others.select_related("author") if c.author_id}
    people.update(followers_of(subject))
    excerpt = comment.text if len(comment.text) <= 300 else comment.text[:300] + "…"
    notify(
        recipients=people,
        actor=comment.author,
        event=Event(
            kind=Kind.COMMENT,
            key=f"comment:{comment.pk}",
            title=f"Nouveau commentaire sur « {subject} »",
            body=f"{comment.author.get_full_name() or comment.author.username} : {excerpt}",
            url=f"{subject.get_absolute_url()}#commentaire-{comment.pk}",
        ),
    )


@transaction.atomic
def comment_edit(*, user, comment: Comment, text: str) -> Comment:
    """Authors correct their own comment within an hour of writing it."""
    if not comment.editable_by(user):
        raise PermissionDenied("On ne modifie que ses propres commentaires, dans l’heure qui suit.")
    comment.text = _clean_text(text)
    if not comment.text:
        raise ValidationError({"text": "Écrivez votre commentaire."})
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment._history_user = user
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_moderate(*, user, comment: Comment, hidden: bool) -> Comment:
    """Staff hide a comment from everyone else, or show it again."""
    if not user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Seule l’équipe fédérale modère les commentaires.")
    comment.hidden = hidden
    comment.hidden_by = user if hidden else None
    comment._history_user = user
    comment.save(update_fields=["hidden", "hidden_by"])
    return comment
