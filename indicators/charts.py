"""Charts as plain geometry, drawn as SVG (`Chart.shapes`, in `indicators/includes/_chart.html`).

Each builder returns a Chart: shapes in a fixed viewBox, a sentence that says what the
chart shows (its text alternative) and the same data as a table. The page and the PDF
draw the same SVG; no JavaScript anywhere.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import format_number

PALETTE = ["#1f5fa8", "#e07b00", "#2e8540", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b"]
STATUS_COLOURS = {
    "previous_plan": "#7f8c8d",
    "lead": "#b7950b",
    "planned": "#8e44ad",
    "in_progress": "#1f5fa8",
    "done": "#2e8540",
    "abandoned": "#c0392b",
}
TRACK_COLOURS = {"on_track": "#2e8540", "off_track": "#c0392b", "no_target": "#b7950b", "no_data": "#7f8c8d"}

WIDTH = 640
LABEL_WIDTH = 220
ROW_HEIGHT = 26
BAR_HEIGHT = 16


@dataclass
class Chart:
    title: str
    description: str
    height: int
    headers: list[str]
    rows: list[list[str]]
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    width: int = WIDTH
    slug: str = "graphique"

    @property
    def shapes(self) -> str:
        """The SVG elements inside <svg>, written here rather than by a template loop: a report
        draws some fifty charts of dozens of shapes each."""
        parts = []
        for item in self.legend:
            if item.get("dash"):
                parts.append(
                    f'<line x1="{item["x"]}" y1="7" x2="{item["x"] + 10}" y2="7" stroke="{escape(item["fill"])}" '
                    'stroke-width="2" stroke-dasharray="3 2"/>'
                )
            else:
                parts.append(f'<rect x="{item["x"]}" y="2" width="10" height="10" fill="{escape(item["fill"])}"/>')
            parts.append(f'<text x="{item["tx"]}" y="11">{escape(item["text"])}</text>')
        for rect in self.rects:
            parts.append(
                f'<rect x="{rect["x"]}" y="{rect["y"]}" width="{rect["w"]}" height="{rect["h"]}" '
                f'fill="{escape(rect["fill"])}"/>'
            )
        for line in self.lines:
            style = (
                'stroke="#000" stroke-width="2" stroke-dasharray="4 2"'
                if line.get("target")
                else 'stroke="#6c757d" stroke-width="1"'
            )
            parts.append(f'<line x1="{line["x1"]}" y1="{line["y1"]}" x2="{line["x2"]}" y2="{line["y2"]}" {style}/>')
        for text in self.texts:
            parts.append(
                f'<text x="{text["x"]}" y="{text["y"]}" text-anchor="{escape(text["anchor"])}">'
                f"{escape(text['text'])}</text>"
            )
        return mark_safe("\n".join(parts))  # noqa: S308 - every value above is a number or escaped

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


def percent(value: float | None) -> str:
    """« 42 % » with a narrow no-break space, or « — »."""
    return "—" if value is None else f"{round(value)}\u202f%"


def _wrap_label(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def progress_bars(rows: list[tuple[str, float | None]], *, title: str, slug: str) -> Chart:
    """Horizontal bars, 0–100 %, one per row (e.g. progress per axis)."""
    plot = WIDTH - LABEL_WIDTH - 60
    chart = Chart(
        title=title,
        description="; ".join(f"{label} : {percent(value)}" for label, value in rows) or "Aucune donnée.",
        height=ROW_HEIGHT * len(rows) + 10,
        headers=["", "Avancement"],
        rows=[[label, percent(value)] for label, value in rows],
        slug=slug,
    )
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW_HEIGHT
        chart.texts.append({"x": 0, "y": y + 13, "text": _wrap_label(label), "anchor": "start"})
        chart.rects.append({"x": LABEL_WIDTH, "y": y, "w": plot, "h": BAR_HEIGHT, "fill": "#e9ecef"})
        width = plot * (value or 0) / 100
        chart.rects.append({"x": LABEL_WIDTH, "y": y, "w": round(width, 1), "h": BAR_HEIGHT, "fill": PALETTE[0]})
        chart.texts.append({"x": LABEL_WIDTH + plot + 6, "y": y + 13, "text": percent(value), "anchor": "start"})
    return chart


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    title: str,
    slug: str,
    colours: dict[str, str],
) -> Chart:
    """Horizontal stacked bars: for each row, counts per series (e.g. actions by status per axis)."""
    plot = WIDTH - LABEL_WIDTH - 40
    largest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    legend_height = 22
    chart = Chart(
        title=title,
        description="; ".join(
            f"{label} : " + ", ".join(f"{counts.get(key, 0)} {name.lower()}" for key, name in series if counts.get(key))
            if any(counts.values())
            else f"{label} : aucune"
            for label, counts in rows
        )
        or "Aucune donnée.",
        height=legend_height + ROW_HEIGHT * len(rows) + 10,
        headers=["", *[name for _key, name in series], "Total"],
        rows=[
            [label, *[str(counts.get(key, 0)) for key, _name in series], str(sum(counts.values()))]
            for label, counts in rows
        ],
        slug=slug,
    )
    chart.legend = _legend(series, colours)
    for index, (label, counts) in enumerate(rows):
        y = legend_height + 5 + index * ROW_HEIGHT
        chart.texts.append({"x": 0, "y": y + 13, "text": _wrap_label(label), "anchor": "start"})
        x = LABEL_WIDTH
        for key, _name in series:
            n = counts.get(key, 0)
            if n:
                width = plot * n / largest
                chart.rects.append(
                    {"x": round(x, 1), "y": y, "w": round(width, 1), "h": BAR_HEIGHT, "fill": colours[key]}
                )
                x += width
        chart.texts.append({"x": round(x, 1) + 6, "y": y + 13, "text": str(sum(counts.values())), "anchor": "start"})
    return chart


def _legend(series: list[tuple[str, str]], colours: dict[str, str]) -> list[dict]:
    legend, x = [], 0
    for key, name in series:
        legend.append({"x": x, "fill": colours[key], "text": name, "tx": x + 14})
        x += 14 + 7 * len(name) + 16
    return legend


def stacked_columns(
    columns: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str]],
    *,
    title: str,
    slug: str,
    colours: dict[str, str],
) -> Chart:
    """Vertical stacked columns (e.g. actions running each year, by status)."""
    top, plot_height, bottom = 30, 160, 24
    largest = max((sum(counts.values()) for _label, counts in columns), default=0) or 1
    step = (WIDTH - 40) / max(len(columns), 1)
    chart = Chart(
        title=title,
        description="; ".join(f"{label} : {sum(counts.values())}" for label, counts in columns) or "Aucune donnée.",
        height=top + plot_height + bottom,
        headers=["", *[name for _key, name in series], "Total"],
        rows=[
            [label, *[str(counts.get(key, 0)) for key, _name in series], str(sum(counts.values()))]
            for label, counts in columns
        ],
        slug=slug,
    )
    chart.legend = _legend(series, colours)
    chart.lines.append({"x1": 30, "y1": top + plot_height, "x2": WIDTH, "y2": top + plot_height})
    for index, (label, counts) in enumerate(columns):
        x = 34 + index * step
        width = max(step * 0.7, 2)
        y = top + plot_height
        for key, _name in series:
            n = counts.get(key, 0)
            if n:
                height = plot_height * n / largest
                y -= height
                chart.rects.append(
                    {
                        "x": round(x, 1),
                        "y": round(y, 1),
                        "w": round(width, 1),
                        "h": round(height, 1),
                        "fill": colours[key],
                    }
                )
        total = sum(counts.values())
        if total:
            chart.texts.append(
                {"x": round(x + width / 2, 1), "y": round(y - 3, 1), "text": str(total), "anchor": "middle"}
            )
        chart.texts.append(
            {"x": round(x + width / 2, 1), "y": top + plot_height + 16, "text": label, "anchor": "middle"}
        )
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
) -> Chart:
    """Grouped columns per period (network, then structures), with the target as a dash.

    `series` is [(name, {period: value})]; the first is usually the network.
    """
    period_labels = period_labels or {}
    top, plot_height, bottom = 30, 170, 24
    numbers = [value for _name, values in series for value in values.values()] + list(targets.values())
    largest = max((float(n) for n in numbers), default=0) or 1
    group = (WIDTH - 50) / max(len(periods), 1)
    bar = max(min(group * 0.8 / max(len(series), 1), 40), 2)
    suffix = f" {unit}" if unit else ""

    def describe(period):
        parts = [f"{name} {format_number(values[period])}{suffix}" for name, values in series if period in values]
        if period in targets:
            parts.append(f"cible {format_number(targets[period])}{suffix}")
        return f"{period_labels.get(period, period)} : " + (", ".join(parts) or "aucune valeur validée")

    chart = Chart(
        title=title,
        description="; ".join(describe(period) for period in periods) or "Aucune valeur validée.",
        height=top + plot_height + bottom,
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
    colours = {name: PALETTE[index % len(PALETTE)] for index, (name, _values) in enumerate(series)}
    chart.legend = _legend([(name, name) for name, _values in series], colours) + (
        [{"x": 14 + sum(14 + 7 * len(name) + 16 for name, _v in series), "fill": "#000", "text": "Cible", "dash": True}]
        if targets
        else []
    )
    for item in chart.legend:
        item.setdefault("tx", item["x"] + 14)
    baseline = top + plot_height
    chart.lines.append({"x1": 40, "y1": baseline, "x2": WIDTH, "y2": baseline})
    for index, period in enumerate(periods):
        x0 = 44 + index * group
        for position, (name, values) in enumerate(series):
            if period in values:
                height = plot_height * float(values[period]) / largest
                chart.rects.append(
                    {
                        "x": round(x0 + position * bar, 1),
                        "y": round(baseline - height, 1),
                        "w": round(bar - 1, 1),
                        "h": round(height, 1),
                        "fill": colours[name],
                    }
                )
        if period in targets:
            y = round(baseline - plot_height * float(targets[period]) / largest, 1)
            chart.lines.append(
                {"x1": round(x0 - 3, 1), "y1": y, "x2": round(x0 + bar * len(series) + 3, 1), "y2": y, "target": True}
            )
        chart.texts.append(
            {
                "x": round(x0 + bar * len(series) / 2, 1),
                "y": baseline + 16,
                "text": period_labels.get(period, period),
                "anchor": "middle",
            }
        )
    chart.texts.append({"x": 0, "y": top - 4, "text": format_number(Decimal(str(largest))) + suffix, "anchor": "start"})
    return chart
