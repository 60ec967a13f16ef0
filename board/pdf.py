"""The progress report as a PDF (WeasyPrint), from the report page's template: the same figures and
charts, after a cover that names the federation, the plan, its period and the board meeting, and a
one-page summary. Written by the background task of « Rapports au conseil » (board.reports)."""

import contextlib
import gc
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from actions.models import Action
from axes.models import Plan
from indicators.selectors import Track

from .dashboard import report as report_data
from .models import BoardMeeting

GC_THRESHOLD_WHILE_RENDERING = 50_000  # allocations between two young-generation collections
FEDERATION_NAME = "Fédération des centres sociaux"


@dataclass
class Summary:
    """The cover's one-page summary, from the report's own data (no query)."""

    actions: list[tuple[str, str, int]]  # (status, label, count) in the plan's order
    actions_total: int
    tracks: list[tuple[str, str, int]]  # (status, label, count)
    indicators_total: int
    figures: int  # indicators with a validated network value
    complete: int  # … whose figure counts every expected structure
    partial_sums: int  # … a sum over part of them
    without_expected: int  # … for which no structure is expected (entered for the network, say)


def summary(data: dict) -> Summary:
    counts: Counter = Counter()
    for block in data["blocks"]:
        counts.update(block.status_counts)
    lines = data["indicator_lines"]
    complete = partial = without_expected = figures = 0
    for line in lines:
        if line.track.period is None:
            continue
        figures += 1
        cover = line.coverage.get(line.track.period)
        if cover is None or cover.network_entered or not cover.expected:
            without_expected += 1
        elif cover.missing <= 0:
            complete += 1
        elif cover.is_partial:
            partial += 1
    return Summary(
        actions=[(status, label, counts.get(status, 0)) for status, label in Action.Status.choices],
        actions_total=sum(counts.values()),
        tracks=[(status, label, data["tracks_total"].get(status, 0)) for status, label in Track.LABELS.items()],
        indicators_total=len(lines),
        figures=figures,
        complete=complete,
        partial_sums=partial,
        without_expected=without_expected,
    )


def render_report_pdf(
    plan: Plan, *, meeting: BoardMeeting | None = None, on_step: Callable[[int, str], None] | None = None
) -> bytes:
    """The report as a PDF: cover and summary, then the page's sections with their charts."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    data = report_data(plan)
    html = render_to_string(
        "board/report.html",
        {
            **data,
            "for_pdf": True,
            "meeting": meeting,
            "summary": summary(data),
            "federation_name": getattr(settings, "FEDERATION_NAME", FEDERATION_NAME),
        },
    )
    if on_step:
        on_step(40, "Mise en page du PDF")
    stylesheets = [CSS(filename=finders.find(name)) for name in ("board/report.css", "css/status-colours.css")]
    with _rare_garbage_collection():
        return HTML(string=french_spacing(html), base_url=None, url_fetcher=_no_fetch).write_pdf(
            stylesheets=stylesheets
        )


_TEXT = re.compile(r">([^<]+)<")
_ENTITY = re.compile(r"(&#?\w+;)")
_ESCAPED_APOSTROPHE = re.compile(r"(?<=\w)(?:&#x27;|&#39;|')(?=\w)")
_RULES = [
    (re.compile(r"«[ \u00a0]*"), "«\u00a0"),
    (re.compile(r"[ \u00a0]*»"), "\u00a0»"),
    # A narrow no-break space before ; ! ? and a no-break space before : (French typography).
    (re.compile(r"(?<=\S) ?([;!?])(?=\s|$)"), "\u202f\\1"),
    (re.compile(r"(?<=\S) :(?=\s|$)"), "\u00a0:"),
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
]


def french_spacing(html: str) -> str:
    """No « stranded at a line's end: no-break spaces inside « » and before ; : ! ?, typographic
    apostrophes; in the text between tags only (never in attributes, scripts have none here)."""

    def fix(match: re.Match) -> str:
        text = _ESCAPED_APOSTROPHE.sub("’", match.group(1))
        parts = _ENTITY.split(text)  # never touch an entity's own « ; »
        for index in range(0, len(parts), 2):
            for pattern, replacement in _RULES:
                parts[index] = pattern.sub(replacement, parts[index])
        return f">{''.join(parts)}<"

    return _TEXT.sub(fix, html)


@contextlib.contextmanager
def _rare_garbage_collection():
    """WeasyPrint builds hundreds of thousands of small objects (styles, boxes) that all live until
    the PDF is written: the cyclic collector, run every 700 allocations, scanned them again and
    again for nothing (a sixth of the layout time). Collect once before (the report's data is
    garbage by then, its memory is reused), rarely during, and once after."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.set_threshold(GC_THRESHOLD_WHILE_RENDERING, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.collect()


def _no_fetch(url, *args, **kwargs):
    # The report embeds everything it shows; never let a PDF reach the network or the disk.
    raise ValueError(f"Ressource externe refusée : {url}")
