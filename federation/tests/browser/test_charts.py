"""Charts as a board member reads them (issue 15), on a desktop screen and a 390 px phone: the
dashboard and an indicator page never scroll sideways, every chart has its value axis (a y-axis
for columns and lines), and no chart text is rendered under 12 px (its computed font size times
the scale at which the browser draws its SVG)."""

import pytest
from django.urls import reverse

from conftest import browser_login, save_screenshot
from indicators.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each chart on the page: its id, whether it has a value axis and a y-axis, and the smallest
# text it draws, in CSS pixels as rendered.
MEASURE = """() => [...document.querySelectorAll('figure.chart')].map(figure => {
  const svg = figure.querySelector('svg');
  if (!svg) return {id: figure.id, empty: figure.querySelector('.chart-empty')?.textContent};
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {
    id: figure.id,
    valueAxis: svg.querySelectorAll('g.value-axis text.tick').length,
    yAxis: !!svg.querySelector('g.y-axis'),
    unit: svg.querySelector('g.value-axis text.axis-title')?.textContent,
    smallest: Math.min(...sizes),
    texts: sizes.length,
  };
})"""


def charts_on(page) -> list[dict]:
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("width", [1366, 390])
def test_dashboard_and_indicator_charts_are_readable_without_sideways_scroll(
    browser, live_server, seeded_plan, board_user, staff_user, width
):
    from demo.indicators import seed_plan_indicators

    staff_user.username = "equipe"  # the demo indicators are entered by the staff's demo account
    staff_user.save(update_fields=["username"])
    seed_plan_indicators(plan=seeded_plan)
    indicator = Indicator.objects.for_plan(seeded_plan).filter(measurements__isnull=False).first()

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        browser_login(page, live_server, board_user.username)
        for name, path, columns in (
            ("tableau-de-bord", reverse("board:dashboard"), {"chronologie"}),
            ("indicateur", indicator.get_absolute_url(), {"valeurs-cibles"}),
        ):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
            charts = charts_on(page)
            drawn = [chart for chart in charts if "empty" not in chart]
            assert drawn, name
            for chart in drawn:
                assert chart["valueAxis"] >= 2 and chart["unit"], chart
                assert chart["smallest"] >= 12, chart
                if chart["id"] in columns:
                    assert chart["yAxis"], chart
            save_screenshot(page, f"graphiques-{name}-{width}")
    finally:
        context.close()
