"""Charts drawn on the server as SVG: the page and the PDF show the same drawing, no JavaScript.

Each builder returns a Chart: its SVG elements (`shapes`) in a viewBox WIDTH wide, a sentence
that says what it shows (its text alternative), the same data as a table, and, when there is
nothing to draw, a French sentence instead of the drawing (`empty`).

Every chart has a value axis with ticks and its unit (`<g class="axis value-axis">`; the
y-axis of the column and line charts, the horizontal axis of the bar charts, whose long labels
read better on their own line), a label on every value, targets as a dashed line that says
« cible », and a legend when it draws more than one series. Text is FONT_SIZE in the viewBox,
and the viewBox is narrow enough that on a 360 px phone (about 336 px of page) it is drawn at
12 px or more; `site.css` keeps the drawing from growing past 30 rem on wide screens and the PDF
draws it 100 mm wide. Colours: toolkit.colours (Okabe–Ito), one per status, as on the badges.

pygal was considered (a well-kept SVG chart library): its SVG carries an inline <style> that our
Content-Security-Policy refuses, its tooltips need JavaScript, and it has neither target lines
with labels nor a sentence for an empty chart; our own code stays, tested.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from toolkit.colours import GREY, NEUTRAL, SERIES, STATUS, TRACK, text_on
from toolkit.french import count, format_number

STATUS_COLOURS = STATUS
TRACK_COLOURS = TRACK
PALETTE = SERIES

WIDTH = 380
FONT_SIZE = 14
CHAR = 8.2  # mean width of a DejaVu Sans character at FONT_SIZE, to lay labels out
LINE = 18  # a line of text
BAR = 16
GAP = 10
LEFT = 6  # where horizontal bars start: room for half the « 0 » under them
EMPTY = "Aucune valeur validée pour cet indicateur"


@dataclass
class Chart:
    title: str
    description: str
    height: int
    headers: list[str]
    rows: list[list[str]]
    parts: list[str] = field(default_factory=list)
    width: int = WIDTH
    slug: str = "graphique"
    empty: str = ""  # when set, the page shows this sentence instead of a drawing

    @property
    def shapes(self) -> str:
        """The SVG elements inside <svg>, written as strings rather than by a template loop: a
        report draws some fifty charts of dozens of shapes each. Every value is a number or escaped."""
        return mark_safe("\n".join(self.parts))  # noqa: S308 - built by the helpers below, escaped

    @property
    def table(self) -> str:
        """The chart's data as an HTML table (its accessible twin), written here for the same reason."""
        head = "".join(f'<th scope="col">{escape(header)}</th>' for header in self.headers)
        body = "".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{escape(cell)}</th>' if index == 0 else f"<td>{escape(cell)}</td>"
                for index, cell in enumerate(row)
            )
            + "</tr>\n"
            for row in self.rows
        )
        return format_html(
            '<table class="table table-sm"><caption class="visually-hidden">{}</caption>'
            "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            self.title,
            mark_safe(head),  # noqa: S308 - escaped above
            mark_safe(body),  # noqa: S308 - escaped above
        )


# Drawing helpers: numbers rounded to one decimal, in SVG's own format (never a decimal comma).


def _n(value: float) -> str:
    return f"{round(value, 1):g}"


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = "", css: str = "") -> str:
    attributes = f' fill="{fill}"' if fill else ""
    attributes += f' class="{css}"' if css else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{attributes}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, *, label: str = "") -> str:
    title = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}">{title}</rect>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str = "#6c757d", width: float = 1, dash: str = ""
) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"{dashed}/>'
    )


def _fits(text: str, width: float) -> str:
    """`text`, cut with « … » to about `width` units."""
    limit = max(int(width / CHAR), 4)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def percent(value: float | None) -> str:
    """« 42 % » with a narrow no-break space, or « — »."""
    return "—" if value is None else f"{round(value)}\u202f%"


def nice_scale(largest: float, *, most: int = 5) -> tuple[float, float]:
    """(top, step): a round top at or above `largest` and a round step (1, 2 or 5 × 10^k), with at
    most `most` steps; (1, 1) for nothing."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if step < 1 and largest >= 1:
        step = 1.0
    return math.ceil(largest / step - 1e-9) * step, step


def _tick_label(value: float, suffix: str = "") -> str:
    number = Decimal(str(round(value, 6)))
    return format_number(number) + suffix


def _legend(items: list[tuple[str, str, bool]], y: float) -> tuple[list[str], float]:
    """A legend of (name, colour, dashed) entries, wrapped over as many lines as it needs; the
    parts and the y under it."""
    parts = ['<g class="legend">']
    x = 0.0
    for name, colour, dashed in items:
        width = 20 + len(name) * CHAR + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + LINE + 4
        if dashed:
            parts.append(_line(x, y - 5, x + 14, y - 5, stroke=colour, width=2, dash="4 2"))
        else:
            parts.append(_rect(x, y - 12, 14, 14, colour))
        parts.append(_text(x + 20, y, name))
        x += width
    parts.append("</g>")
    return parts, y + GAP


def _horizontal_value_axis(
    top: float, bottom: float, left: float, right: float, largest: float, unit: str, suffix: str = ""
):
    """Vertical grid lines with ticks under the bars, and the unit on the right: (parts, scale, y under)."""
    high, step = nice_scale(largest)
    scale = (right - left) / high
    parts = ['<g class="axis value-axis">']
    parts.append(_line(left, bottom, right, bottom, stroke="#495057"))
    count = int(round(high / step))
    for index in range(count + 1):
        value = index * step
        x = left + value * scale
        # Grid lines only: the bars themselves start at zero, and a dark line there would cross
        # the rows' names written above them.
        parts.append(_line(x, top if index else bottom, x, bottom + 4, stroke="#dee2e6" if index else "#495057"))
        parts.append(_text(x, bottom + LINE, _tick_label(value, suffix), anchor="middle", css="tick"))
    parts.append(_text(right, bottom + 2 * LINE + 2, unit, anchor="end", css="axis-title"))
    parts.append("</g>")
    return parts, scale, bottom + 2 * LINE + 8


def _vertical_value_axis(
    top: float, bottom: float, left: float, right: float, low: float, high: float, step: float, unit: str
):
    """A y-axis: its line, ticks with their labels and grid lines, its unit above."""
    scale = (bottom - top) / ((high - low) or 1)
    parts = ['<g class="axis value-axis y-axis">']
    parts.append(_line(left, top, left, bottom, stroke="#495057"))
    count = int(round((high - low) / step))
    for index in range(count + 1):
        value = low + index * step
        y = bottom - (value - low) * scale
        parts.append(_line(left - 4, y, right, y, stroke="#dee2e6" if index else "#495057"))
        parts.append(_text(left - 6, y + 5, _tick_label(value), anchor="end", css="tick"))
    parts.append(_text(0, top - 24, unit, css="axis-title"))
    parts.append("</g>")
    return parts, scale


def progress_bars(rows: list[tuple[str, float | None]], *, title: str, slug: str) -> Chart:
    """Horizontal bars, 0–100 %, one per row (e.g. progress per axis): each row's name on its own
    line, its bar under it, the figure at the bar's end."""
    chart = Chart(
        title=title,
        description=" ; ".join(f"{label} : {percent(value)}" for label, value in rows) or "Aucune donnée.",
        height=0,
        headers=["", "Avancement"],
        rows=[[label, percent(value)] for label, value in rows],
        slug=slug,
    )
    if not rows:
        chart.empty = "Aucun axe à montrer."
        return chart
    plot_right = WIDTH - 52
    row_height = LINE + BAR + GAP
    bottom = 4 + row_height * len(rows)
    axis, scale, chart.height = _horizontal_value_axis(0, bottom, LEFT, plot_right, 100, "Avancement (%)", "")
    chart.parts += axis
    chart.parts.append('<g class="bars">')
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_height
        chart.parts.append(_text(0, y + 14, _fits(label, WIDTH)))
        chart.parts.append(_rect(LEFT, y + LINE + 2, plot_right - LEFT, BAR, NEUTRAL))
        chart.parts.append(
            _rect(LEFT, y + LINE + 2, (value or 0) * scale, BAR, SERIES[0], label=f"{label} : {percent(value)}")
        )
        chart.parts.append(_text(LEFT + (value or 0) * scale + 4, y + LINE + 15, percent(value), css="value-label"))
    chart.parts.append("</g>")
    return chart


def _count(n: int, key: str, name: str, counted: dict[str, tuple[str, str]] | None) -> str:
    """« 2 pistes d’action »: a series' count with its noun, singular and plural from `counted`
    (Action.COUNTED_LABELS for statuses), else the series' name as it is."""
    singular, plural = (counted or {}).get(key) or (name.lower(), name.lower())
    return count(n, singular, plural)


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    title: str,
    slug: str,
    colours: dict[str, str],
    unit: str = "Nombre",
    counted: dict[str, tuple[str, str]] | None = None,
) -> Chart:
    """Horizontal stacked bars: for each row, counts per series (e.g. actions by status per axis),
    each part's count written in it when it fits, the total at the bar's end."""
    chart = Chart(
        title=title,
        description=" ; ".join(
            f"{label} : "
            + ", ".join(_count(counts[key], key, name, counted) for key, name in series if counts.get(key))
            if any(counts.values())
            else f"{label} : aucune"
            for label, counts in rows
        )
        or "Aucune donnée.",
        height=0,
        headers=["", *[name for _key, name in series], "Total"],
        rows=[
            [label, *[str(counts.get(key, 0)) for key, _name in series], str(sum(counts.values()))]
            for label, counts in rows
        ],
        slug=slug,
    )
    largest = max((sum(counts.values()) for _label, counts in rows), default=0)
    if not largest:
        chart.empty = "Rien à compter pour l’instant."
        return chart
    legend, top = _legend([(name, colours[key], False) for key, name in series], FONT_SIZE)
    chart.parts += legend
    plot_right = WIDTH - 44
    row_height = LINE + BAR + GAP
    bottom = top + row_height * len(rows)
    axis, scale, chart.height = _horizontal_value_axis(top, bottom, LEFT, plot_right, largest, unit)
    chart.parts += axis
    chart.parts.append('<g class="bars">')
    for index, (label, counts) in enumerate(rows):
        y = top + index * row_height
        chart.parts.append(_text(0, y + 14, _fits(label, WIDTH)))
        x = float(LEFT)
        for key, name in series:
            n = counts.get(key, 0)
            if not n:
                continue
            width = n * scale
            chart.parts.append(
                _rect(x, y + LINE + 2, width, BAR, colours[key], label=f"{label} : {_count(n, key, name, counted)}")
            )
            if width >= len(str(n)) * CHAR + 4:
                chart.parts.append(
                    _text(
                        x + width / 2,
                        y + LINE + 15,
                        str(n),
                        anchor="middle",
                        fill=text_on(colours[key]),
                        css="value-label",
                    )
                )
            x += width
        chart.parts.append(_text(x + 4, y + LINE + 15, str(sum(counts.values())), css="value-label total"))
    chart.parts.append("</g>")
    return chart


def stacked_columns(
    columns: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    title: str,
    slug: str,
    colours: dict[str, str],
    unit: str = "Nombre",
    counted: dict[str, tuple[str, str]] | None = None,
) -> Chart:
    """Vertical stacked columns (e.g. actions running each year, by status), their total above."""
    chart = Chart(
        title=title,
        description=" ; ".join(f"{label} : {sum(counts.values())}" for label, counts in columns) or "Aucune donnée.",
        height=0,
        headers=["", *[name for _key, name in series], "Total"],
        rows=[
            [label, *[str(counts.get(key, 0)) for key, _name in series], str(sum(counts.values()))]
            for label, counts in columns
        ],
        slug=slug,
    )
    largest = max((sum(counts.values()) for _label, counts in columns), default=0)
    if not largest:
        chart.empty = "Rien à compter pour l’instant."
        return chart
    legend, y = _legend([(name, colours[key], False) for key, name in series], FONT_SIZE)
    chart.parts += legend
    high, step = nice_scale(largest)
    left = 8 + len(_tick_label(high)) * CHAR
    top, plot_height = y + LINE + 24, 170
    bottom = top + plot_height
    axis, scale = _vertical_value_axis(top, bottom, left, WIDTH, 0, high, step, unit)
    chart.parts += axis
    slot = (WIDTH - left - 4) / len(columns)
    width = max(slot * 0.7, 2)
    every = max(1, math.ceil((4 * CHAR + 6) / slot))  # a year's label every `every` columns
    chart.parts.append('<g class="bars">')
    for index, (label, counts) in enumerate(columns):
        x = left + 4 + index * slot
        y = bottom
        for key, name in series:
            n = counts.get(key, 0)
            if n:
                y -= n * scale
                chart.parts.append(
                    _rect(x, y, width, n * scale, colours[key], label=f"{label} : {_count(n, key, name, counted)}")
                )
        total = sum(counts.values())
        if total and slot >= len(str(total)) * CHAR:
            chart.parts.append(_text(x + width / 2, y - 4, str(total), anchor="middle", css="value-label total"))
        if index % every == 0:
            chart.parts.append(
                _text(x + width / 2, bottom + LINE, _fits(label, slot * every), anchor="middle", css="tick")
            )
    chart.parts.append("</g>")
    chart.height = round(bottom + LINE + 8)
    return chart


def values_against_targets(
    periods: list[str],
    series: list[tuple[str, dict[str, Decimal]]],
    targets: dict[str, Decimal],
    *,
    title: str,
    slug: str,
    unit: str = "",
    period_labels: dict[str, str] | None = None,
    empty: str = EMPTY,
) -> Chart:
    """Values of one or more series over periods, against the targets: a trend line per series
    when there are several periods, columns for one; each value labelled; each target a dashed
    line that says « cible ». `series` is [(name, {period: value})], the first drawn first (the
    network, or the structure beside the network's median)."""
    period_labels = period_labels or {}
    suffix = f" {unit}" if unit else ""

    def describe(period):
        parts = [f"{name} {format_number(values[period])}{suffix}" for name, values in series if period in values]
        if period in targets:
            parts.append(f"cible {format_number(targets[period])}{suffix}")
        return f"{period_labels.get(period, period)} : " + (", ".join(parts) or "aucune valeur validée")

    chart = Chart(
        title=title,
        description=" ; ".join(describe(period) for period in periods) or f"{empty}.",
        height=0,
        headers=["Période", *[name for name, _values in series], "Cible"],
        rows=[
            [
                period_labels.get(period, period),
                *[format_number(values.get(period)) for _name, values in series],
                format_number(targets.get(period)),
            ]
            for period in periods
        ],
        slug=slug,
    )
    if not any(values for _name, values in series):
        chart.empty = empty
        return chart
    colours = {name: SERIES[index % len(SERIES)] for index, (name, _values) in enumerate(series)}
    items = [(name, colours[name], False) for name, _values in series] + (
        [("Cible", "#000000", True)] if targets else []
    )
    y = FONT_SIZE
    if len(items) > 1:
        legend, y = _legend(items, FONT_SIZE)
        chart.parts += legend
    numbers = [float(v) for _name, values in series for v in values.values()] + [float(v) for v in targets.values()]
    high, step = nice_scale(max(max(numbers), 0))
    low = 0.0
    if min(numbers) < 0:
        low = -nice_scale(-min(numbers))[0]
        step = max(step, nice_scale(high - low)[1])
    left = 8 + max(len(_tick_label(high)), len(_tick_label(low))) * CHAR
    top, plot_height = y + LINE + 30, 170  # room above the top tick for its value's label
    bottom = top + plot_height
    axis, scale = _vertical_value_axis(top, bottom, left, WIDTH, low, high, step, unit or "Valeur")
    chart.parts += axis
    slot = (WIDTH - left - 8) / max(len(periods), 1)
    every = max(1, math.ceil((max((len(period_labels.get(p, p)) for p in periods), default=4) * CHAR + 6) / slot))

    def y_of(value) -> float:
        return bottom - (float(value) - low) * scale

    def centre(index: int) -> float:
        return left + 8 + slot * index + slot / 2

    labelled = series if len(series) <= 2 else series[:1]  # beyond two lines, labels would overlap
    if len(periods) > 1:
        chart.parts.append('<g class="series trend">')
        for name, values in series:
            points = [(centre(i), y_of(values[p])) for i, p in enumerate(periods) if p in values]
            if len(points) > 1:
                path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
                chart.parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colours[name]}" stroke-width="2.5"/>'
                )
            for (x, y), period in zip(points, [p for p in periods if p in values], strict=True):
                chart.parts.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colours[name]}">'
                    f"<title>{escape(name)} {escape(period_labels.get(period, period))} : "
                    f"{escape(format_number(values[period]))}{escape(suffix)}</title></circle>"
                )
        chart.parts.append("</g>")
        bar = 0.0
    else:
        bar = min(slot * 0.8 / len(series), 48)
        chart.parts.append('<g class="series bars">')
        for position, (name, values) in enumerate(series):
            for i, period in enumerate(periods):
                if period in values:
                    x = centre(i) - bar * len(series) / 2 + position * bar
                    y = y_of(values[period])
                    base = y_of(0)
                    chart.parts.append(_rect(x, min(y, base), bar - 2, abs(base - y), colours[name], label=name))
        chart.parts.append("</g>")
    chart.parts.append('<g class="value-labels">')
    for position, (_name, values) in enumerate(labelled):
        for i, period in enumerate(periods):
            if period not in values or i % every and len(periods) > 1:
                continue
            x = centre(i) if not bar else centre(i) - bar * len(series) / 2 + position * bar + (bar - 2) / 2
            # The second line's labels go under its points, the first's above.
            dy = 16 + 4 if position and len(periods) > 1 else -8
            chart.parts.append(
                _text(
                    x,
                    y_of(values[period]) + dy,
                    format_number(values[period]),
                    anchor="middle",
                    fill="#212529",
                    css="value-label",
                )
            )
    chart.parts.append("</g>")
    if targets:
        chart.parts.append('<g class="targets">')
        half = max(slot * 0.42, 14)
        for i, period in enumerate(periods):
            if period in targets:
                y = y_of(targets[period])
                chart.parts.append(
                    _line(centre(i) - half, y, centre(i) + half, y, stroke="#000000", width=2, dash="5 3")
                )
                if i % every == 0 or len(periods) == 1:
                    chart.parts.append(
                        _text(
                            centre(i) + half,
                            min(y + 16, bottom - 4),  # under its line: values are labelled above their points
                            f"cible {format_number(targets[period])}",
                            anchor="end",
                            css="target-label",
                        )
                    )
        chart.parts.append("</g>")
    chart.parts.append('<g class="periods">')
    for i, period in enumerate(periods):
        if i % every == 0:
            chart.parts.append(
                _text(
                    centre(i),
                    bottom + LINE,
                    _fits(period_labels.get(period, period), slot * every),
                    anchor="middle",
                    css="tick",
                )
            )
    chart.parts.append("</g>")
    chart.height = round(bottom + LINE + 8)
    return chart


__all__ = ["GREY", "PALETTE", "STATUS_COLOURS", "TRACK_COLOURS", "Chart", "percent", "nice_scale"]
