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
            html.append(f"<li>{escape(line[match.end() :])}</li>")
            continue
        if in_list:
            html.append("</ul>")
            in_list = False
        html.append(f"<p>{escape(line)}</p>")
    if in_list:
        html.append("</ul>")
    return mark_safe("".join(html))


# Tags a Markdown rendering may keep; everything else is dropped by nh3.
MARKDOWN_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "br",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "hr",
}


def _markdown_source(value: str) -> str:
    """The document's habits made Markdown: → bullets become list items, each line a paragraph.

    Raw HTML typed in the text is escaped first, so that it shows as typed (and cannot run).
    """
    lines: list[str] = []
    previous_kind = None
    for raw in (value or "").splitlines():
        line = raw.strip()
        if not line:
            previous_kind = None
            lines.append("")
            continue
        match = BULLET.match(line)
        kind = "item" if match else ("numbered" if re.match(r"^\d+[.)]\s", line) else "text")
        if previous_kind is not None and (kind != previous_kind or kind == "text"):
            lines.append("")  # a new block: Markdown needs a blank line before a list or a paragraph
        text = escape(line[match.end() :] if match else line)
        lines.append(f"- {text}" if match else text)
        previous_kind = kind
    return "\n".join(lines)


@register.filter
def plan_markdown(value: str) -> str:
    """Render a plan text (context, stakes…) as sanitised HTML from Markdown."""
    import markdown
    import nh3

    html = markdown.markdown(_markdown_source(value), extensions=["sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, tags=MARKDOWN_TAGS, attributes={"a": {"href", "title"}}))
