"""A board member logs in with Debian's Chromium and opens an axis page."""

import os

import pytest

from conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the ORM calls the live
# server's fixtures make are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(locale="fr-FR")
        yield context.new_page()
        context.close()
        browser.close()


def test_board_member_logs_in_and_reads_an_axis(live_server, page, seeded_plan, board_user):
    page.goto(f"{live_server.url}/")
    assert "/connexion/" in page.url
    page.get_by_label("Nom d’utilisateur").fill(board_user.username)
    page.get_by_label("Mot de passe").fill("motdepasse-test")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("heading", name="Projet fédéral").wait_for()
    page.get_by_role("link", name="Gouvernance").click()

    page.get_by_role("heading", level=1, name="Gouvernance").wait_for()
    assert page.get_by_role("heading", name="Projets déjà engagés").is_visible()
    assert page.get_by_text("Fédération ardéchoise des Centres sociaux").is_visible()
    # Bootstrap's stylesheet came through whitenoise: the navbar is styled.
    navbar_color = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert navbar_color != "rgba(0, 0, 0, 0)"
    # Board members see no edit control.
    assert page.get_by_role("link", name="Importer un document").count() == 0
