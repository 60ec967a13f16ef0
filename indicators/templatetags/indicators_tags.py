from django import template

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
