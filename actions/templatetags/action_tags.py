from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_BADGE_CLASSES = {
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "lead": "text-bg-info",
    "planned": "text-bg-warning",
    "abandoned": "text-bg-dark",
}


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """An action's status as a coloured badge (a tag, not an include: lists show hundreds)."""
    return format_html(
        '<span class="badge status-badge {}">{}</span>', STATUS_BADGE_CLASSES.get(status, "text-bg-secondary"), label
    )
