"""The progress report as a PDF (WeasyPrint) for a board meeting: what a board reads, not the whole page.

A cover that names the federation, the plan, its period and the meeting; a one-page summary (per
axis: progress, actions in progress and done, indicators off track); the page's four summary
charts; then per axis its progress, objectives, actions by status (the few most recently
followed of each) and the charts of its first indicators in the report's order (off track
first), each with its latest value and what that value covers. The axis's other indicators are
counted, those off track named; their values and charts are in the online report, as the PDF
says. The charts are the page's own SVG (indicators/charts.py, the same include). Written by the
background task of « Rapports au conseil » (board.reports).

Why not the whole page: at national scale (200 indicators, 12 axes) the page printed to 146
pages and took the worker 15 s and 400 MB; the goals are 5 s and 250 MB (issue 15). What each
part costs is measured in docs/performances.md.
"""

import contextlib
import dataclasses
import gc
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from django.conf import settings
from django.template.loader import render_to_string

from actions.models import Action
from axes.models import Plan
from indicators.selectors import Track
from toolkit.french import french_spacing as spaced

from .dashboard import AxisBlock, IndicatorLine, StatusGroup
from .dashboard import report as report_data
from .models import BoardMeeting

GC_THRESHOLD_WHILE_RENDERING = 50_000  # allocations between two young-generation collections
FEDERATION_NAME = "Fédération des centres sociaux"
# What the PDF details per axis; the rest is counted, named when off track, and online.
PDF_CHARTS_PER_AXIS = 2  # the first in the report's order: off track first
PDF_ACTIONS_PER_STATUS = 3  # in progress, planned, done: the most recently followed


@dataclass
class AxisPages:
    """One axis in the PDF: the page's block, its actions cut shorter, its first indicators charted."""

    block: AxisBlock
    detailed: list[StatusGroup]  # statuses whose most recently followed actions are listed
    counted: list[StatusGroup]  # statuses given by their number only
    charted: list[IndicatorLine]
    others: list[IndicatorLine]  # the axis's other indicators: no chart in the PDF

    @property
    def actions_total(self) -> int:
        return sum(self.block.status_counts.values())

    @property
    def lines(self) -> list[IndicatorLine]:
        return self.charted + self.others

    @property
    def tracks(self) -> list[tuple[str, int]]:
        """[(label in lower case, count)] of the axis's indicators, statuses with none left out."""
        counts = Counter(line.track.status for line in self.lines)
        return [(label.lower(), counts[status]) for status, label in Track.LABELS.items() if counts[status]]

    @property
    def off_track(self) -> int:
        return sum(1 for line in self.lines if line.track.status == Track.OFF_TRACK)

    @property
    def others_off_track(self) -> list[IndicatorLine]:
        return [line for line in self.others if line.track.status == Track.OFF_TRACK]


@dataclass
class PdfContents:
    axes: list[AxisPages]
    indicators_total: int  # the plan's indicators
    charted: int  # … with a chart in the PDF (an indicator serving two axes counts once)
    followed_total: int  # every indicator followed (the online report's table)
    left_out: int = field(init=False)
    charts_per_axis: int = PDF_CHARTS_PER_AXIS
    actions_per_status: int = PDF_ACTIONS_PER_STATUS

    def __post_init__(self):
        self.left_out = self.indicators_total - self.charted


def pdf_contents(data: dict) -> PdfContents:
    """What the PDF shows of the report's `data` (board.dashboard.report), and what it leaves out."""
    axes = []
    for block in data["blocks"]:
        detailed, counted = [], []
        for group in block.actions_by_status:
            if group.actions:
                shown = group.actions[:PDF_ACTIONS_PER_STATUS]
                detailed.append(dataclasses.replace(group, actions=shown, omitted=group.total - len(shown)))
            else:
                counted.append(group)
        axes.append(
            AxisPages(
                block,
                detailed,
                counted,
                # The report's order, off track first; its first indicators carry their chart.
                charted=block.indicators[:PDF_CHARTS_PER_AXIS],
                others=block.indicators[PDF_CHARTS_PER_AXIS:] + block.other_indicators,
            )
        )
    charted = {line.indicator.pk for axis in axes for line in axis.charted}
    return PdfContents(
        axes,
        indicators_total=len(data["indicator_lines"]),
        charted=len(charted),
        followed_total=sum(stage.count for stage in data["followed"]),
    )


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


def report_html(plan: Plan, *, meeting: BoardMeeting | None = None) -> str:
    """The HTML WeasyPrint lays out (French spacing applied)."""
    data = report_data(plan)
    html = render_to_string(
        "board/report_pdf.html",
        {
            **data,
            "meeting": meeting,
            "summary": summary(data),
            "pdf": pdf_contents(data),
            "federation_name": getattr(settings, "FEDERATION_NAME", FEDERATION_NAME),
        },
    )
    return french_spacing(html)


def render_report_pdf(
    plan: Plan, *, meeting: BoardMeeting | None = None, on_step: Callable[[int, str], None] | None = None
) -> bytes:
    """The report as a PDF (see the module's docstring for what it holds)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = charts_as_images(report_html(plan, meeting=meeting))
    if on_step:
        on_step(40, "Mise en page du PDF")
    stylesheets = [CSS(filename=finders.find(name)) for name in ("board/report.css", "css/status-colours.css")]
    with _rare_garbage_collection(), svg_text_in_runs():
        return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf(stylesheets=stylesheets)


_SVG = re.compile(r"<svg [^>]*>.*?</svg>", re.DOTALL)
_CHART_URL = "data:image/svg+xml;charset=utf-8,"


def charts_as_images(html: str) -> str:
    """Each inline <svg> (the charts, indicators/charts.py) as an <img> of the same SVG, given as a
    data: URL. WeasyPrint then reads it with its XML parser, not its HTML parser, and gives its
    thousands of shapes no CSS cascade: a tenth of the PDF's time at national scale (2.7 → 2.4 s of
    CPU), same drawing."""

    def image(match: re.Match) -> str:
        return f'<img class="chart-image" alt="" src="{_CHART_URL}{quote(match.group(0))}">'

    return _SVG.sub(image, html)


_TEXT = re.compile(r">([^<]+)<")
_ENTITY = re.compile(r"(&#?\w+;)")
_ESCAPED_APOSTROPHE = re.compile(r"(?<=\w)(?:&#x27;|&#39;|')(?=\w)")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def french_spacing(html: str) -> str:
    """No « stranded at a line's end: the spacing rules of toolkit.french.french_spacing, and
    typographic apostrophes, in the text between tags only (never in attributes; entities, whose
    own « ; » must stay, are left as they are)."""

    def fix(match: re.Match) -> str:
        text = _ESCAPED_APOSTROPHE.sub("’", match.group(1))
        parts = _ENTITY.split(text)
        for index in range(0, len(parts), 2):
            parts[index] = _APOSTROPHE.sub("’", spaced(parts[index]))
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


class _OneRun(str):
    """A text that WeasyPrint's SVG code iterates as one piece instead of character by character."""

    def __iter__(self):
        yield str(self)


_PLACED_ONE_BY_ONE = ("dx", "dy", "rotate", "textLength", "letter-spacing")


@contextlib.contextmanager
def svg_text_in_runs():
    """WeasyPrint (≤ 68) lays out and draws an SVG <text> one character at a time, a Pango layout
    each: the charts' labels were half of the PDF's drawing time (some 15,000 characters). When
    nothing places the characters one by one (a single x and y, none of _PLACED_ONE_BY_ONE, as
    indicators/charts.py writes them), the text is drawn as one run, as browsers do: same place,
    same font, Pango's own kerning. Other texts, and tspans, go the usual way. WeasyPrint's
    pull request 2754 proposes the same upstream."""
    import weasyprint.svg as weasy_svg

    original = weasy_svg.text

    def text(svg, node, font_size):
        element = getattr(node, "_etree_node", None)
        run = element.text if element is not None else None
        placed = node.attrib
        if (
            node.tag != "text"
            or not run
            or len(element)  # children (tspans) continue from where the text ends
            or any(name in placed for name in _PLACED_ONE_BY_ONE)
            or len(placed.get("x", "").split()) > 1
            or len(placed.get("y", "").split()) > 1
        ):
            return original(svg, node, font_size)
        element.text = _OneRun(run)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = run

    tags = [tag for tag, function in weasy_svg.TAGS.items() if function is original]
    weasy_svg.text = text  # draw_node recognises text nodes by comparing with this name
    weasy_svg.TAGS.update(dict.fromkeys(tags, text))
    try:
        yield
    finally:
        weasy_svg.text = original
        weasy_svg.TAGS.update(dict.fromkeys(tags, original))


def _no_fetch(url, *args, **kwargs):
    # The report embeds everything it shows (its charts as data: URLs); never let a PDF reach the
    # network or the disk.
    if url.startswith(_CHART_URL):
        svg = unquote(url.removeprefix(_CHART_URL)).encode()
        try:
            from weasyprint.urls import URLFetcherResponse
        except ImportError:  # WeasyPrint < 68 reads a dict
            return {"string": svg, "mime_type": "image/svg+xml"}
        return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
    raise ValueError(f"Ressource externe refusée : {url}")
