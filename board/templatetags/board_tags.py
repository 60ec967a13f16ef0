import datetime

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def long_date(value: datetime.date | None) -> str:
    """« 1er décembre 2026 », « 2 décembre 2026 » (French writes the first of a month « 1er »)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}\u00a0{date_format(value, 'F Y')}"


@register.filter
def long_datetime(value: datetime.datetime | None) -> str:
    """« 1er décembre 2026 à 19 h 51 »."""
    if not value:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{long_date(local)} à {local:%H}\u00a0h\u00a0{local:%M}"


@register.simple_tag
def status_swatch(status: str) -> str:
    """A small square in an action status's colour (toolkit.colours), beside its name."""
    from django.utils.html import format_html

    return format_html('<span class="swatch status-{}" aria-hidden="true"></span>', status)


@register.simple_tag
def track_swatch(status: str) -> str:
    from django.utils.html import format_html

    return format_html('<span class="swatch track-{}" aria-hidden="true"></span>', status)
