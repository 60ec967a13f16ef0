"""Each role's main journey in Chromium: accessible (axe-core), usable by keyboard, on a
phone and at 200% zoom. Screenshots land in artifacts/screenshots/ (not committed)."""

import pytest
from django.urls import reverse

from axes.models import Axis
from conftest import assert_accessible, browser_login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def main_pages(plan) -> list[tuple[str, str]]:
    """(name, path) of the pages every role reads."""
    axes = list(Axis.objects.for_plan(plan))
    return [
        ("projet", reverse("actions:plan_detail", args=[plan.pk])),
        *[(f"axe-{axis.slug}", reverse("actions:axis_detail", args=[axis.pk, axis.slug])) for axis in axes],
    ]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("role", ["staff_user", "director_user", "board_user"])
def test_role_journey_is_accessible(live_server, page, seeded_plan, role, request):
    user = request.getfixturevalue(role)
    page.goto(f"{live_server.url}/connexion/")
    assert_accessible(page)
    browser_login(page, live_server, user.username)
    for name, path in main_pages(seeded_plan):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        save_screenshot(page, f"{role}-{name}")
    if role == "staff_user":
        page.goto(f"{live_server.url}{reverse('actions:plan_import')}")
        assert_accessible(page)
        save_screenshot(page, f"{role}-import")


def test_login_and_menu_by_keyboard_only(live_server, page, seeded_plan, board_user):
    page.goto(f"{live_server.url}/connexion/")
    # The username field has the focus when the page opens.
    page.keyboard.type(board_user.username)
    page.keyboard.press("Tab")
    page.keyboard.type("motdepasse-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('actions:plan_detail', args=[seeded_plan.pk])}")

    # The first Tab reaches the skip link, which moves the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # Tab on until the first axis link, then follow it with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Impact social":
            break
    else:
        pytest.fail("Le lien de l'axe « Impact social » n'est pas atteignable au clavier.")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Impact social").wait_for()


def test_layout_holds_on_a_phone(live_server, browser, seeded_plan, director_user):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, director_user.username)
    for name, path in main_pages(seeded_plan):
        page.goto(f"{live_server.url}{path}")
        assert no_horizontal_scroll(page), f"{name} déborde à 360 px"
        save_screenshot(page, f"telephone-{name}")
    # The collapsed menu opens with its button.
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("link", name="Le projet").wait_for(state="visible")
    context.close()


def test_layout_holds_at_200_percent_zoom(live_server, browser, seeded_plan, staff_user):
    # 1280×900 at 200% zoom is a 640×450 CSS viewport at device scale factor 2.
    context = browser.new_context(locale="fr-FR", viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    browser_login(page, live_server, staff_user.username)
    for name, path in main_pages(seeded_plan):
        page.goto(f"{live_server.url}{path}")
        assert no_horizontal_scroll(page), f"{name} déborde à 200 %"
    save_screenshot(page, "zoom-200")
    context.close()
