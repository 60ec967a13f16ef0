"""The PDF of the progress report: what makes it fast enough at national scale, and what it must still say."""

import gc
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.layout import table as weasyprint_table
from weasyprint.text import line_break

from board import pdf
from board.pdf import render_report_pdf
from indicators.models import Indicator
from indicators.services import target_set
from indicators.tests.factories import AXIS_TITLES, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(staff_user):
    return build_plan(pdf.PDF_CHARTS_PER_AXIS + 2, staff_user)  # two indicators per axis without a chart


def pdf_pages(document: bytes) -> list[str]:
    # Words WeasyPrint hyphenated at a line's end (« couver‐ ture ») read whole again.
    return [
        " ".join(page.extract_text().split()).replace("\u2010 ", "") for page in PdfReader(io.BytesIO(document)).pages
    ]


def pdf_text(document: bytes) -> str:
    return " ".join(pdf_pages(document))


def test_only_the_summary_tables_are_measured_cell_by_cell(plan, monkeypatch):
    # Measuring every cell of the per-axis tables was a sixth of the layout time at national scale:
    # they have fixed column widths in print; only the four summary charts' small tables are measured.
    measured = []
    original = weasyprint_table.auto_table_layout
    monkeypatch.setattr(
        weasyprint_table, "auto_table_layout", lambda *args, **kwargs: measured.append(1) or original(*args, **kwargs)
    )
    text = pdf_text(render_report_pdf(plan))
    assert len(measured) == 4
    assert "Réalisé" in text and "Objectifs opérationnels" in text  # the fixed-width tables are there


def test_the_garbage_collector_stays_out_of_the_way_and_is_restored(plan):
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.callbacks.append(count)
    try:
        render_report_pdf(plan)
    finally:
        gc.callbacks.remove(count)
    # Once before, once after, and a handful in between (hundreds with the default threshold).
    assert len(collections) < 30
    assert gc.get_threshold() == thresholds


def test_the_pdf_charts_the_first_indicators_of_each_axis_and_counts_and_names_the_others(plan, staff_user):
    # Issue 15: the PDF carries the page's charts, for the indicators that matter (off track first,
    # PDF_CHARTS_PER_AXIS per axis); what it leaves out it says, with the count.
    late = Indicator.objects.filter(objectives__axis__title=AXIS_TITLES[0]).order_by("name")
    for indicator in late:  # 90 against 1,000: off track
        target_set(user=staff_user, indicator=indicator, period="2024", value=Decimal(1000))
    text = pdf_text(render_report_pdf(plan))
    charted = 3 * pdf.PDF_CHARTS_PER_AXIS  # build_plan: three axes of four indicators
    assert text.count("valeurs validées et cibles") == charted  # one chart each, its caption
    assert text.count("Dernière valeur du réseau (2024) : 90 personnes 2 structures") == charted
    assert f"{charted} indicateurs du projet sur 12 ont ainsi un graphique ; les 6 autres n’en ont pas ici" in text
    others = [indicator.name for indicator in late][pdf.PDF_CHARTS_PER_AXIS :]
    assert (
        f"2 autres indicateurs de l’axe sans graphique dans ce document, dont 2 en retard : {' ; '.join(others)}."
        in text
    )
    assert text.count("2 autres indicateurs de l’axe sans graphique dans ce document.") == 2  # none late there
    assert "Indicateurs (4 : 4 en retard)" in text and "Indicateurs (4 : 4 en bonne voie)" in text
    assert "Les valeurs, les graphiques et la couverture de chacun des 12 indicateurs suivis" in text
    assert "Synthèse" in text and "Avancement par axe" in text  # the summary charts stay
    assert "Nombre d’actions" in text  # the SVG's own text (the statuses chart's value axis), drawn


def test_the_summary_holds_on_one_page(plan):
    pages = pdf_pages(render_report_pdf(plan))
    assert "essentiel en une page" in pages[1][:30]  # pypdf reads « L ’essentiel » (kerning)
    assert "Couverture des chiffres." in pages[1] and "Ce que contient ce document." in pages[1]
    assert pages[2].startswith("Synthèse")


@pytest.mark.parametrize(
    ("attributes", "runs"),
    [
        ('x="5" y="20"', 1),  # one run: the whole label laid out and drawn at once
        ('x="5" y="20" dx="0 1 2"', 7),  # characters placed one by one (7): WeasyPrint's own way
    ],
)
def test_svg_labels_are_drawn_in_one_run_unless_placed_character_by_character(monkeypatch, attributes, runs):
    calls = []
    original = line_break.split_first_line
    monkeypatch.setattr(
        line_break,
        "split_first_line",
        lambda text, *args, **kwargs: calls.append(text) or original(text, *args, **kwargs),
    )
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 50" width="300"><text {attributes}>Réseau!</text></svg>'
    with pdf.svg_text_in_runs():
        document = HTML(string=svg).write_pdf()
    assert len(calls) == 1 + runs  # once to measure the text, then once per run drawn
    assert "Réseau!" in pdf_text(document).replace(" ", "")  # drawn, either way
    import weasyprint.svg

    assert weasyprint.svg.TAGS["text"] is weasyprint.svg.text  # put back as it was
    assert weasyprint.svg.text.__module__ == "weasyprint.svg.text"


def test_charts_reach_weasyprint_as_svg_images_and_nothing_else_is_fetched(plan):
    html = pdf.report_html(plan)
    charts = html.count("<svg ")
    assert charts == 4 + 3 * pdf.PDF_CHARTS_PER_AXIS
    images = pdf.charts_as_images(html)
    assert "<svg" not in images and images.count('<img class="chart-image"') == charts
    with pytest.raises(ValueError, match="Ressource externe refusée"):
        pdf._no_fetch("https://example.org/logo.png")
