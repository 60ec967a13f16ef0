"""The PDF of the progress report: what makes it fast enough at national scale, and what it must still say."""

import gc
import io

import pytest
from pypdf import PdfReader
from weasyprint.layout import table as weasyprint_table

from board import dashboard
from board.pdf import render_report_pdf
from indicators.tests.factories import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(staff_user):
    return build_plan(dashboard.REPORT_CHARTS_PER_AXIS + 2, staff_user)  # some indicators in the « others » table


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


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
    assert "Autres indicateurs de l’axe (2, sans graphique)" in text
    assert "Cible du réseau" in text and "Dernière période" in text


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


def test_the_pdf_gives_every_indicator_its_chart_and_its_table(plan):
    # Issue 15: the PDF carries the page's charts again (it used to say they were online only).
    text = pdf_text(render_report_pdf(plan))
    assert "graphiques figurent dans le rapport en ligne" not in text
    assert text.count("Valeur du réseau (personnes) Cible du réseau") == 3 * dashboard.REPORT_CHARTS_PER_AXIS
    assert text.count("valeurs validées et cibles") == 3 * dashboard.REPORT_CHARTS_PER_AXIS  # one chart each
    assert "Synthèse" in text and "Avancement par axe" in text  # the summary charts stay
