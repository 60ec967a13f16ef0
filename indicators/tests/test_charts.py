"""Charts worth showing a board (issue 15): a value axis with ticks and unit, value labels, targets
as labelled lines, a legend when there are several series, a sentence instead of an empty drawing,
text that stays readable on a phone, and the same colour per status as the badges."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from actions.templatetags.action_tags import status_badge
from indicators import charts
from indicators.selectors import Track
from indicators.templatetags.indicators_tags import track_badge
from toolkit import colours

SVG = "{http://www.w3.org/2000/svg}"
PHONE_PAGE_WIDTH = 336  # a 360 px phone less Bootstrap's container padding


def svg_of(chart) -> ET.Element:
    html = render_to_string("indicators/includes/_chart.html", {"chart": chart})
    return ET.fromstring(re.search(r"<svg.*</svg>", html, re.S).group(0))


def groups(svg: ET.Element, css: str) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if css in (g.get("class") or "").split()]


def texts(element: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


def every_kind():
    series = [("planned", "Planifiée"), ("done", "Terminée")]
    return [
        charts.progress_bars([("Accueil", 42.0), ("Jeunesse", 80.0)], title="Avancement", slug="a"),
        charts.stacked_bars(
            [("Accueil", {"planned": 3, "done": 2})],
            series,
            title="Statuts",
            slug="s",
            colours=charts.STATUS_COLOURS,
            unit="Nombre d’actions",
        ),
        charts.stacked_columns(
            [("2024", {"planned": 3}), ("2025", {"done": 7})],
            series,
            title="Années",
            slug="c",
            colours=charts.STATUS_COLOURS,
            unit="Nombre d’actions",
        ),
        charts.values_against_targets(
            ["2023", "2024", "2025"],
            [("Réseau", {"2023": Decimal(10), "2025": Decimal(30)})],
            {"2025": Decimal(25)},
            title="B",
            slug="v",
            unit="personnes",
        ),
        charts.values_against_targets(["2025"], [("Réseau", {"2025": Decimal(12)})], {}, title="B", slug="w", unit="€"),
    ]


@pytest.mark.parametrize("chart", every_kind(), ids=["progress", "stacked-bars", "columns", "trend", "one-period"])
def test_every_chart_has_a_value_axis_with_ticks_and_its_unit(chart):
    svg = svg_of(chart)
    (axis,) = groups(svg, "value-axis")
    labels = [label for label in axis.iter(f"{SVG}text") if label.get("class") == "tick"]
    assert len(labels) >= 3
    (title,) = [label for label in axis.iter(f"{SVG}text") if label.get("class") == "axis-title"]
    assert title.text in {"Avancement (%)", "Nombre d’actions", "personnes", "€"}
    assert labels[0].text == "0"
    # Ticks are round numbers in French (« 1 000 », « 2,5 »), increasing.
    values = [float(label.text.replace("\u202f", "").replace(",", ".")) for label in labels]
    assert values == sorted(values)


@pytest.mark.parametrize("chart", every_kind(), ids=["progress", "stacked-bars", "columns", "trend", "one-period"])
def test_no_chart_text_is_drawn_under_12_px_on_a_phone(chart):
    svg = svg_of(chart)
    size = float(svg.get("font-size"))
    width = float(svg.get("viewBox").split()[2])
    assert size * PHONE_PAGE_WIDTH / width >= 12
    for element in svg.iter():
        assert "font-size" not in element.attrib or element is svg, ET.tostring(element)
        assert "transform" not in element.attrib  # no scaled-down group either


def test_every_value_is_labelled_and_the_target_is_a_labelled_dashed_line():
    chart = every_kind()[3]
    svg = svg_of(chart)
    assert texts(groups(svg, "value-labels")[0]) == ["10", "30"]
    (targets,) = groups(svg, "targets")
    (line,) = targets.iter(f"{SVG}line")
    assert line.get("stroke-dasharray") and line.get("stroke") == "#000000"
    assert texts(targets) == ["cible 25"]
    # Several periods: a trend line through the values, not columns.
    assert len(list(groups(svg, "trend")[0].iter(f"{SVG}polyline"))) == 1


def test_one_period_is_a_column_with_its_value():
    svg = svg_of(every_kind()[4])
    assert not groups(svg, "trend") and len(list(groups(svg, "bars")[0].iter(f"{SVG}rect"))) == 1
    assert texts(groups(svg, "value-labels")[0]) == ["12"]


def test_a_legend_only_when_there_is_more_than_one_series():
    alone = charts.values_against_targets(["2025"], [("Réseau", {"2025": Decimal(5)})], {}, title="t", slug="t")
    assert not groups(svg_of(alone), "legend")
    with_target = every_kind()[3]
    assert texts(groups(svg_of(with_target), "legend")[0]) == ["Réseau", "Cible"]
    centre = charts.values_against_targets(
        ["2024", "2025"],
        [
            ("Notre structure", {"2024": Decimal(4), "2025": Decimal(6)}),
            ("Médiane du réseau", {"2024": Decimal(5), "2025": Decimal(5)}),
        ],
        {},
        title="t",
        slug="m",
    )
    svg = svg_of(centre)
    assert texts(groups(svg, "legend")[0]) == ["Notre structure", "Médiane du réseau"]
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2


def test_an_indicator_without_a_validated_value_says_so_instead_of_an_empty_drawing():
    chart = charts.values_against_targets(
        ["2025"], [("Réseau", {})], {"2025": Decimal(10)}, title="Bénévoles", slug="e"
    )
    html = render_to_string("indicators/includes/_chart.html", {"chart": chart})
    assert "<svg" not in html
    assert '<p class="chart-empty">Aucune valeur validée pour cet indicateur</p>' in html
    assert "<td>10</td>" in html  # the target stays in the data table


def test_a_chart_escapes_its_labels_in_the_drawing_and_in_its_table():
    chart = charts.progress_bars([("Axe <b>& co</b>", 42.0), ("Accueil", None)], title="Avancement", slug="av")
    html = render_to_string("indicators/includes/_chart.html", {"chart": chart})
    assert "<b>" not in html
    assert ">Axe &lt;b&gt;&amp; co&lt;/b&gt;</text>" in html
    assert '<tr><th scope="row">Axe &lt;b&gt;&amp; co&lt;/b&gt;</th><td>42\u202f%</td></tr>' in html
    # Geometry in SVG's own number format, never the French decimal comma of the page.
    assert not re.search(r'(x|y|width|height)="\d+,\d', html)


def test_nice_scales():
    assert charts.nice_scale(0) == (1.0, 1.0)
    assert charts.nice_scale(7) == (8, 2)
    assert charts.nice_scale(100) == (100, 20)
    assert charts.nice_scale(1234) == (1250, 250)


def rules(css: str) -> dict[str, str]:
    return {
        name: colour
        for name, colour in re.findall(r"\.((?:status|track)-\w+) \{ background-color: (#[0-9A-F]{6})", css)
    }


def test_status_colours_are_one_source_for_badges_charts_and_pdf():
    stylesheet = Path(settings.BASE_DIR, "static", "css", "status-colours.css").read_text()
    assert stylesheet == colours.css(), "static/css/status-colours.css is stale: python -m toolkit.colours"
    css = rules(stylesheet)
    # A badge's class names its colour rule, whose colour is the charts' for that status.
    chart = every_kind()[1]
    fills = {rect.get("fill") for rect in groups(svg_of(chart), "bars")[0].iter(f"{SVG}rect")}
    assert fills == {charts.STATUS_COLOURS["planned"], charts.STATUS_COLOURS["done"]}
    for status, colour in charts.STATUS_COLOURS.items():
        (badge_class,) = re.findall(r"status-(?!badge)\w+", str(status_badge(status, "x")))
        assert css[badge_class] == colour
    for status, colour in charts.TRACK_COLOURS.items():
        (badge_class,) = re.findall(r"track-(?!badge)\w+", str(track_badge(Track(status))))
        assert css[badge_class] == colour
    # Okabe–Ito (grey aside), and text on every badge at WCAG AA contrast.
    assert set(charts.STATUS_COLOURS.values()) - {colours.GREY} <= set(colours.OKABE_ITO.values())
    for colour in [*charts.STATUS_COLOURS.values(), *charts.TRACK_COLOURS.values()]:
        assert colours.contrast(colour, colours.text_on(colour)) >= 4.5


@pytest.mark.django_db
def test_a_director_sees_their_structure_beside_the_network_median(client, staff_user):
    from django.urls import reverse

    from indicators.services import measurement_record, measurement_validate
    from indicators.tests.factories import IndicatorFactory
    from network.tests.factories import StructureFactory, director_for

    indicator = IndicatorFactory(name="Bénévoles", unit="personnes")
    ours, *others = StructureFactory.create_batch(4)
    for structure, values in zip([ours, *others], [(10, 12), (30, 20), (50, 40), (1000, 60)], strict=True):
        for period, value in zip(("2024", "2025"), values, strict=True):
            measurement = measurement_record(
                user=staff_user, indicator=indicator, period=period, structure=structure, value=Decimal(value)
            )
            measurement_validate(user=staff_user, measurement=measurement)
    client.force_login(director_for(ours))
    response = client.get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    (chart,) = response.context["median_charts"]
    assert chart.rows == [["2024", "10", "40", "—"], ["2025", "12", "30", "—"]]  # medians: (30+50)/2, (20+40)/2
    svg = svg_of(chart)
    assert texts(groups(svg, "legend")[0]) == [ours.name, "Médiane du réseau"]
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    # Staff direct no structure: no such chart.
    client.force_login(staff_user)
    assert client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).context["median_charts"] == []


def test_status_counts_take_the_french_plural():
    from actions.models import Action

    chart = charts.stacked_bars(
        [("Axe", {"lead": 2, "done": 1})],
        [("lead", "Piste d’action"), ("done", "Terminée")],
        title="Actions",
        slug="statuts",
        colours=charts.STATUS_COLOURS,
        counted=Action.COUNTED_LABELS,
    )
    assert chart.description.endswith("2\u00a0pistes d’action, 1\u00a0terminée")
