from django import template
from django.utils.html import format_html

from indicators.charts import percent as _percent
from indicators.models import format_number

register = template.Library()


@register.filter
def fr_number(value) -> str:
    """1 234,5 — French grouping and decimal comma; « — » for nothing."""
    return format_number(value)


@register.filter
def percent(value) -> str:
    """42 % (narrow no-break space), or « — »."""
    return _percent(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


TRACK_BADGE_CLASSES = {"on_track": "text-bg-success", "off_track": "text-bg-danger", "no_target": "text-bg-warning"}


@register.simple_tag
def track_badge(track) -> str:
    """An indicator's situation (« En bonne voie », « En retard »…) as a coloured badge."""
    css = TRACK_BADGE_CLASSES.get(track.status, "text-bg-secondary")
    return format_html('<span class="badge track-badge {}">{}</span>', css, track.label)
