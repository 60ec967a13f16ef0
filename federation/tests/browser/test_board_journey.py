"""The board member's journey before a meeting: dashboard, changes since a date, the PDF."""

import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone

from axes.models import Axis
from board.models import BoardMeeting
from board.reports import report_request
from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_reads_the_dashboard_the_changes_and_downloads_the_report(
    live_server, page, seeded_plan, board_user, staff_user
):
    from demo.indicators import seed_plan_indicators

    staff_user.username = "equipe"  # the demo indicators are entered by the staff's demo account
    staff_user.save(update_fields=["username"])
    seed_plan_indicators(plan=seeded_plan)
    titles = list(Axis.objects.for_plan(seeded_plan).values_list("title", flat=True))
    meeting = BoardMeeting.objects.create(date=timezone.localdate())
    report = report_request(user=staff_user, meeting=meeting, plan=seeded_plan)  # generated at once in tests

    browser_login(page, live_server, board_user.username)
    page.get_by_role("link", name="Tableau de bord").click()
    page.get_by_role("heading", level=1, name="Tableau de bord du conseil d’administration").wait_for()
    for title in titles:
        assert page.get_by_role("heading", level=3, name=title).is_visible()
    # Each chart has its data one click away.
    summary = page.get_by_text("Données du graphique « Avancement par axe »")
    summary.click()
    assert page.locator("#avancement-axes table").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ce qui a changé depuis").click()
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    page.get_by_label("Depuis le").fill(week_ago.isoformat())
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", level=1, name="Ce qui a changé depuis le").wait_for()
    assert "since=" in page.url
    assert page.get_by_role("heading", name="Valeurs d’indicateurs validées").is_visible()
    assert page.get_by_role("heading", name="En résumé").is_visible()
    # The details of each axis are folded: the first one opens on a click.
    indicator = page.get_by_role("row").get_by_role("link", name="Actions menées — " + titles[0])
    assert not indicator.is_visible()
    page.locator("summary", has_text=titles[0]).click()
    assert indicator.is_visible()

    # The report the team generated for the meeting, archived, downloaded from « Rapports au conseil ».
    page.get_by_role("link", name="Tableau de bord").click()
    page.get_by_role("link", name="Rapports au conseil (PDF archivés)").click()
    page.get_by_role("heading", level=1, name="Rapports au conseil").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF (").click()
    download = download_info.value
    assert download.suggested_filename == f"rapport-conseil-{meeting.date:%Y-%m-%d}-{report.pk}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    for title in titles:
        assert " ".join(title.split()) in text
