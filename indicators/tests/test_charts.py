"""Charts draw what they are given, escaped, with their data table beside them."""

from django.template.loader import render_to_string

from indicators import charts


def test_a_chart_escapes_its_labels_in_the_drawing_and_in_its_table():
    chart = charts.progress_bars([("Axe <b>& co</b>", 42.0), ("Accueil", None)], title="Avancement", slug="av")
    html = render_to_string("indicators/includes/_chart.html", {"chart": chart})
    assert "<b>" not in html
    assert '<text x="0" y="18" text-anchor="start">Axe &lt;b&gt;&amp; co&lt;/b&gt;</text>' in html
    assert '<tr><th scope="row">Axe &lt;b&gt;&amp; co&lt;/b&gt;</th><td>42\u202f%</td></tr>' in html
    assert '<tr><th scope="row">Accueil</th><td>—</td></tr>' in html
    # Geometry in SVG's own number format, never the French decimal comma of the page.
    widths = [rect["w"] for rect in chart.rects if rect["fill"] == charts.PALETTE[0]]
    assert (
        f'width="{widths[0]}"' in html
        and "." in str(widths[0])
        and f'width="{str(widths[0]).replace(".", ",")}"' not in html
    )


def test_targets_are_dashed_lines_and_the_legend_says_so():
    chart = charts.values_against_targets(
        ["2023", "2024"], [("Réseau", {"2023": 10, "2024": 20})], {"2024": 25}, title="Bénévoles", slug="b", unit=""
    )
    html = render_to_string("indicators/includes/_chart.html", {"chart": chart})
    assert 'stroke="#000" stroke-width="2" stroke-dasharray="4 2"' in html  # the target line
    assert 'stroke-dasharray="3 2"' in html  # its legend entry
    assert ">Bénévoles</caption>" in html
