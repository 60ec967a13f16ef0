from urllib.parse import urlencode

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from indicators.charts import percent as _percent
from indicators.coverage import Coverage
from toolkit.french import format_number

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


@register.simple_tag
def track_badge(track) -> str:
    """An indicator's situation (« En bonne voie », « En retard »…) as a badge in its colour
    (toolkit.colours, as in the charts) and in words."""
    return format_html('<span class="badge track-badge track-{}">{}</span>', track.status, track.label)


@register.simple_tag
def coverage_note(coverage, indicator=None, period=None, link=True) -> str:
    """What a network figure covers, to write inside the element that shows the figure (marked
    `data-network-value`): « 1 structure sur 2 · 1 manquante · somme partielle », the missing
    ones linked to the list on the indicator's page for that period (`link=False` in the PDF).

    Joined as strings, each piece escaped: the dashboard writes two thousand of them at
    national scale, and format_html per piece was a third of its rendering."""
    coverage = coverage or Coverage()
    parts = [escape(coverage.label)]
    if coverage.missing:
        text = f"{coverage.missing} manquante{'s' if coverage.missing > 1 else ''}"
        if link and indicator is not None and period:
            url = f"{indicator.get_absolute_url()}?{urlencode({'periode': period})}#manquantes"
            parts.append(f'<a href="{escape(url)}">{text}</a>')
        else:
            parts.append(text)
    if coverage.is_partial:
        parts.append('<strong class="partial">somme partielle</strong>')
    return mark_safe(f'<span class="coverage">{" · ".join(parts)}</span>')  # noqa: S308 - every piece escaped


@register.simple_tag
def breakdown_table(caption: str, shares) -> str:
    """A figure's split (by territory, by type of structure) as a small table, each group's value
    marked as a network value with its coverage. Written in Python: the dashboard has one per
    indicator and group, hundreds at national scale, and the template engine took ten times as long."""
    rows = format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<tr><th scope="row">{}</th><td data-network-value>{} {}</td></tr>'
                    if share.value is not None
                    else '<tr><th scope="row">{}</th><td>{} {}</td></tr>',
                    share.label,
                    format_number(share.value),
                    coverage_note(share.coverage, link=False),
                ),
            )
            for share in shares
        ),
    )
    return format_html(
        '<table class="table table-sm mb-1 w-auto"><caption>{}</caption><tbody>{}</tbody></table>', caption, rows
    )
