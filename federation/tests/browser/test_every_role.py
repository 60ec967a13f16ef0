"""Each role's main journey in Chromium, on the demo data a newcomer gets from `make run`:
every page accessible (axe-core), usable by keyboard, on a phone and at 200% zoom.
Screenshots land in artifacts/screenshots/ (not committed)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from axes.models import Axis, Objective, Plan
from conftest import assert_accessible, browser_login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Plan.objects.current()


def reader_pages(plan) -> list[tuple[str, str]]:
    """(name, path) of the pages every role reads."""
    axes = list(Axis.objects.for_plan(plan))
    action = Action.objects.filter(axis__chapter__plan=plan).order_by("pk").first()
    objective = Objective.objects.filter(axis__chapter__plan=plan).order_by("pk").first()
    return [
        ("projet", reverse("actions:plan_detail", args=[plan.pk])),
        *[(f"axe-{axis.slug}", reverse("actions:axis_detail", args=[axis.pk, axis.slug])) for axis in axes],
        ("objectif", reverse("actions:objective_detail", args=[objective.pk])),
        ("actions", reverse("actions:action_list")),
        ("action", reverse("actions:action_detail", args=[action.pk])),
        ("tableau-de-bord", reverse("board:dashboard")),
        ("changements", reverse("board:changes")),
        ("indicateurs", reverse("indicators:indicator_list")),
        ("rapport", reverse("board:report")),
        ("reseau", reverse("centres:territory_list")),
        ("recherche", reverse("search") + "?q=federation"),
        ("aide", reverse("help")),
    ]


ROLE_PAGES = {
    "equipe": [
        ("import", "actions:plan_import"),
        ("corbeille", "actions:trash_list"),
        ("valeurs-a-valider", "indicators:measurement_review"),
        ("suivi-des-saisies", "centres:reporting_rate"),
        ("listes", "exchange_index"),
    ],
    "direction": [("mon-centre", "centres:centre_home")],
    "conseil": [],
}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("username", ["equipe", "direction", "conseil"])
def test_role_journey_is_accessible(live_server, page, demo, username):
    page.goto(f"{live_server.url}/connexion/")
    assert_accessible(page)
    browser_login(page, live_server, username, password="demo")
    pages = reader_pages(demo) + [(name, reverse(url_name)) for name, url_name in ROLE_PAGES[username]]
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{name}: {response.status}"
        assert page.locator("h1").count() == 1, name
        assert no_horizontal_scroll(page), f"{name} déborde à 1280 px"
        assert_accessible(page)
        save_screenshot(page, f"{username}-{name}")


def test_login_and_menu_by_keyboard_only(live_server, page, demo):
    page.goto(f"{live_server.url}/connexion/")
    # The username field has the focus when the page opens (waited for: on a busy machine the
    # first letter typed before the browser gave it the focus was lost, « onseil »).
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type("conseil")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('actions:plan_detail', args=[demo.pk])}")

    # The first Tab reaches the skip link, which moves the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    # Tab on until the first axis link, then follow it with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Impact social":
            break
    else:
        pytest.fail("Le lien de l'axe « Impact social » n'est pas atteignable au clavier.")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Impact social").wait_for()


def test_main_menu_by_keyboard_only(live_server, page, demo):
    browser_login(page, live_server, "equipe", password="demo")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Tableau de bord":
            break
    else:
        pytest.fail("Le lien « Tableau de bord » du menu n'est pas atteignable au clavier.")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('board:dashboard')}")


def test_layout_holds_on_a_phone(live_server, browser, demo):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    browser_login(page, live_server, "direction", password="demo")
    for name, path in reader_pages(demo) + [("mon-centre", reverse("centres:centre_home"))]:
        page.goto(f"{live_server.url}{path}")
        assert no_horizontal_scroll(page), f"{name} déborde à 360 px"
        save_screenshot(page, f"telephone-{name}")
    # The collapsed menu opens with its button.
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("link", name="Le projet").wait_for(state="visible")
    context.close()


def test_layout_holds_at_200_percent_zoom(live_server, browser, demo):
    # 1280×900 at 200% zoom is a 640×450 CSS viewport at device scale factor 2.
    context = browser.new_context(locale="fr-FR", viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    browser_login(page, live_server, "equipe", password="demo")
    for name, path in reader_pages(demo):
        page.goto(f"{live_server.url}{path}")
        assert no_horizontal_scroll(page), f"{name} déborde à 200 %"
    save_screenshot(page, "zoom-200")
    context.close()
