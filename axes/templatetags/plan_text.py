"""Render the plan's text fields the way the document reads: paragraphs and → bullet lists."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

BULLET = re.compile(r"^\s*(?:→|-|–|•|\*)\s+")


@register.filter
def plan_text(value: str) -> str:
    """Escape the text, then turn bullet lines into <ul> and other lines into <p>."""
    html: list[str] = []
    in_list = False
    for line in (value or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = BULLET.match(line)
        if match:
            if not in_list:
                html.append("<ul>")
                in_list = True
            html.append(f"<li>{escape(line[match.end():])}</li>")
            continue
        if in_list:
            html.append("</ul>")
            in_list = False
        html.append(f"<p>{escape(line)}</p>")
    if in_list:
        html.append("</ul>")
    return mark_safe("".join(html))
