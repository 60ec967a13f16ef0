"""The progress report as a PDF (WeasyPrint), from the report page's template."""

import contextlib
import gc

from django.template.loader import render_to_string

from axes.models import Plan

from .dashboard import report as report_data

GC_THRESHOLD_WHILE_RENDERING = 50_000  # allocations between two young-generation collections


def render_report_pdf(plan: Plan) -> bytes:
    """The report as a PDF (WeasyPrint), from the page's template: the same figures and summary
    charts; each indicator as its table of values and targets (its chart is on the page only)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string("board/report.html", {**report_data(plan), "for_pdf": True})
    stylesheet = CSS(filename=finders.find("board/report.css"))
    with _rare_garbage_collection():
        return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf(stylesheets=[stylesheet])


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
