from django import template
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from notifications.services import is_following
from toolkit.colours import STATUS

from ..models import Action, Comment
from ..selectors import action_participations

register = template.Library()


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """An action's status as a badge in its colour (toolkit.colours, as in the charts) and in words
    (a tag, not an include: lists show hundreds)."""
    css = f"status-{status}" if status in STATUS else "text-bg-secondary"
    return format_html('<span class="badge status-badge {}">{}</span>', css, label)


@register.inclusion_tag("actions/includes/_participants.html", takes_context=True)
def action_participants(context, action: Action):
    user = context["request"].user
    return {
        "action": action,
        "participations": list(action_participations(action)),
        "can_propose": user.has_perm("actions.add_participation"),
        "request": context["request"],
    }


@register.inclusion_tag("actions/includes/_comments.html", takes_context=True)
def comment_thread(context, subject):
    """The comments on an action or an objective, with the form to add one."""
    request = context["request"]
    user = request.user
    if isinstance(subject, Action):
        comments = list(Comment.objects.for_thread(user=user, action=subject))
        post_url = reverse("actions:action_comment_create", args=[subject.pk])
        follow_url = reverse("actions:action_follow", args=[subject.pk])
        anchor = f"action-{subject.pk}"
    else:
        comments = list(Comment.objects.for_thread(user=user, objective=subject))
        post_url = reverse("actions:objective_comment_create", args=[subject.pk])
        follow_url = reverse("actions:objective_follow", args=[subject.pk])
        anchor = f"objectif-{subject.pk}"
    now = timezone.now()
    return {
        "comments": comments,
        "editable_ids": {comment.pk for comment in comments if comment.editable_by(user, now)},
        "can_comment": user.has_perm("actions.add_comment"),
        "can_moderate": user.has_perm("actions.moderate_comment"),
        "post_url": post_url,
        "follow_url": follow_url,
        "following": is_following(user, subject),
        "anchor": anchor,
        "request": request,
    }


@register.filter(is_safe=True)
def typographic(html: str) -> str:
    """Straight apostrophes as typographic ones (’), for an include shown on a page that uses them
    (the printed report). Only for markup whose attributes are double-quoted, as the project's are."""
    return html.replace("'", "’")


REFERENT_ACTIONS_SHOWN = 30


@register.inclusion_tag("actions/includes/_referent_actions.html")
def referent_actions(person):
    """The current actions `person` is the referent of, those « à mettre à jour » first (the rule
    of the action list's filter), for their page under « Personnes » (issue 14)."""
    actions = (
        Action.objects.filter(lead_person=person)
        .exclude(status__in=[Action.Status.PREVIOUS_PLAN, Action.Status.DONE, Action.Status.ABANDONED])
        .with_to_update_flag()
    )
    counts = actions.aggregate(total=Count("pk"), to_update=Count("pk", filter=Q(needs_update=True)))
    return {
        "person": person,
        "actions": actions.select_related("axis").order_by("-needs_update", "axis__order", "order", "pk")[
            :REFERENT_ACTIONS_SHOWN
        ],
        **counts,
    }
