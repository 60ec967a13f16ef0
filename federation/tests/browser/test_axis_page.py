"""A board member logs in with Debian's Chromium and opens an axis page."""

import pytest

from conftest import assert_accessible, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_logs_in_and_reads_an_axis(live_server, page, seeded_plan, board_user):
    page.goto(f"{live_server.url}/")
    assert "/connexion/" in page.url
    browser_login(page, live_server, board_user.username)

    page.get_by_role("heading", name="Projet fédéral").wait_for()
    page.get_by_role("link", name="Gouvernance").click()

    page.get_by_role("heading", level=1, name="Gouvernance").wait_for()
    assert page.get_by_role("heading", name="Projets déjà engagés").is_visible()
    partners = page.locator(".action-meta", has_text="Partenaires")
    assert partners.filter(has_text="Fédération ardéchoise des Centres sociaux").first.is_visible()
    # Bootstrap's stylesheet came through whitenoise: the navbar is styled.
    navbar_color = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_color != "rgba(0, 0, 0, 0)"
    # Board members see no edit control.
    assert page.get_by_role("link", name="Importer un document").count() == 0
    assert_accessible(page)
