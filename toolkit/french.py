"""French as a French public service writes it: dates and plurals, in Python and as template filters.

One date format everywhere: « 1er décembre 2026 » and « 1er décembre 2026 à 19 h 51 » (French
writes the first day of a month « 1er », hours « 19 h 51 »), never « 01/12/2026 à 20:01 ».
Spacing: a no-break space inside « » and before « : », a narrow one before ; ! ? (the app's own
strings are written so; `french_spacing` does it for the plan's texts when they are shown).
The filters are template builtins (settings TEMPLATES « builtins »): every template has them
without `{% load %}`.
"""

import datetime
import re
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeData, mark_safe

register = template.Library()
NBSP = "\u00a0"
NNBSP = "\u202f"


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


def format_number(value: Decimal | float | None) -> str:
    """A number as French writes it: « 1 200 », « 1,5 » (narrow no-break thousands separator,
    comma decimals, two at most, no trailing zeros); « — » for none."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.01"))
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", NNBSP).replace(".", ",")


def count(number: int | float, singular: str, plural: str) -> str:
    """« 0 piste d’action », « 1 piste d’action », « 2 pistes d’action »: the number and its noun,
    by the French rule (0 and 1 take the singular), for Python code that prints a count."""
    return f"{format_number(number)}{NBSP}{singular if abs(number) < 2 else plural}"


_SPACING = [
    (re.compile(r"«[ \u00a0\u202f]*"), f"«{NBSP}"),
    (re.compile(r"[ \u00a0\u202f]*»"), f"{NBSP}»"),
    # A sign at the end of a paragraph of safe HTML is followed by its closing tag (« :</p> »).
    (re.compile(r"(?<=\S) ([;!?])(?=\s|$|<)"), f"{NNBSP}\\1"),
    (re.compile(r"(?<=\S) :(?=\s|$|<)"), f"{NBSP}:"),
]


@register.filter(is_safe=True)
def french_spacing(value):
    """A text as French prints it: no-break spaces inside « » and before : ; ! ? (narrow before
    ; ! ?), so that a sign never starts a line. For the plan's texts, typed by people or read
    from the document: what is stored stays as written. A space only where one already was
    (« 10:30 », « https://… » and « ?page=2 » are untouched); safe HTML stays safe, and the
    spaces it changes are never inside a tag (a tag's attributes hold no « : » after a space)."""
    if not value:
        return value
    text = str(value)
    for pattern, replacement in _SPACING:
        text = pattern.sub(replacement, text)
    return mark_safe(text) if isinstance(value, SafeData) else text
