from django import template

from toolkit.french import long_date, long_datetime

register = template.Library()


# The dates live in toolkit.french (template builtins); kept here for the templates that load them.
register.filter("long_date", long_date)
register.filter("long_datetime", long_datetime)


@register.simple_tag
def status_swatch(status: str) -> str:
    """A small square in an action status's colour (toolkit.colours), beside its name."""
    from django.utils.html import format_html

    return format_html('<span class="swatch status-{}" aria-hidden="true"></span>', status)


@register.simple_tag
def track_swatch(status: str) -> str:
    from django.utils.html import format_html

    return format_html('<span class="swatch track-{}" aria-hidden="true"></span>', status)
