"""French as a French public service writes it: dates and plurals, in Python and as template filters.

One date format everywhere: « 1er décembre 2026 » and « 1er décembre 2026 à 19 h 51 » (French
writes the first day of a month « 1er », hours « 19 h 51 »), never « 01/12/2026 à 20:01 ».
The filters are template builtins (settings TEMPLATES « builtins »): every template has them
without `{% load %}`.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()
NBSP = "\u00a0"


@register.filter
def long_date(value: datetime.date | None) -> str:
    """« 1er décembre 2026 », « 2 décembre 2026 »; an aware datetime is read in local time."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}{NBSP}{date_format(value, 'F Y')}"


@register.filter
def long_datetime(value: datetime.datetime | None) -> str:
    """« 1er décembre 2026 à 19 h 51 », in local time."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{long_date(local)} à {local:%H}{NBSP}h{NBSP}{local:%M}"


@register.filter(is_safe=False)
def pluralize(value, arg: str = "s") -> str:
    """Django's `pluralize` with the French rule: 0 and 1 take the singular (« 0 terminée »,
    « 1 terminée », « 2 terminées »). As a builtin it replaces Django's in every template.
    `arg` is the plural suffix, or « singular,plural » suffixes, as with Django's."""
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular, plural = bits[:2]
    try:
        number = float(value)
    except (TypeError, ValueError):
        try:
            number = len(value)
        except TypeError:
            return ""
    return singular if abs(number) < 2 else plural
