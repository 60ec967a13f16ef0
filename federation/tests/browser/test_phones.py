"""Phones (issue 15, item 3): every page usable from 360 px wide, on the demo data of `make run`.

The page itself never scrolls sideways (document width ≤ the screen's, measured without the
mobile browser's zoom-out that would hide it); a wide table scrolls inside its own box; the
buttons a person needs sit on the screen.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from axes.models import Plan
from conftest import browser_login, save_screenshot
from federation.tests.routes import EXPECTED, ROUTES
from indicators.models import Indicator
from network.models import Structure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_ACCOUNTS = {"board": "conseil", "director_a": "direction", "staff": "equipe", "superuser": "admin"}
# Routes that answer a file or JSON, not a page.
NOT_PAGES = {"health", "indicators:measurement_evidence", "audit_person_export"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Plan.objects.current()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def phone(browser, live_server, username: str | None, width: int, static: dict | None = None):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 780})
    if static is not None:
        # The live server is single-threaded and sends static files uncached: each page's
        # stylesheets and scripts are fetched once for the whole crawl, then served from memory.
        def serve_static(route):
            if route.request.url not in static:
                response = route.fetch()
                static[route.request.url] = (response.status, response.headers, response.body())
            status, headers, body = static[route.request.url]
            route.fulfill(status=status, headers=headers, body=body)

        context.route("**/static/**", serve_static)
    page = context.new_page()
    if username:
        browser_login(page, live_server, username, password="demo")
    return context, page


def is_page(name: str) -> bool:
    return not (
        name in NOT_PAGES
        or "export" in name
        or name.startswith(("autocomplete_", "publication:api_"))
        or name.endswith(("_pdf", "_download"))
    )


def demo_world(plan) -> dict:
    """The permission matrix's world, made of the demo's accounts and structures."""
    users = {key: get_user_model().objects.get(username=name) for key, name in DEMO_ACCOUNTS.items()}
    users["anonymous"] = None
    users["director_b"] = get_user_model().objects.get(username="direction2")
    structures = {key: Structure.objects.directed_by(users[key]).first() for key in ("director_a", "director_b")}
    return {
        "plan": plan,
        "users": users,
        "structure_a": structures["director_a"],
        "structure_b": structures["director_b"],
    }


def page_urls(world) -> dict[str, tuple[str, str]]:
    """name -> (url, access level) of every page answering GET, its arguments built once."""
    urls = {}
    for name, (build, methods) in ROUTES.items():
        if "get" not in methods or "ok" not in EXPECTED[methods["get"]].values() or not is_page(name):
            continue
        # The matrix's builders each make their own indicator under a fixed code: rename the last one.
        for indicator in Indicator.objects.filter(code__startswith="matrice"):
            Indicator.objects.filter(pk=indicator.pk).update(code=f"ancien-{indicator.pk}")
        try:
            with transaction.atomic():
                urls[name] = (reverse(name, kwargs=build(world) if build else None), methods["get"])
        except (IntegrityError, ValidationError):  # the demo, or another builder, made that object already
            continue
    return urls


def test_no_page_scrolls_sideways_at_360_px(live_server, browser, demo):
    """Every page each role reaches (the permission matrix's routes), one browser context per role."""
    urls = page_urls(demo_world(demo))
    too_wide, visited, static = {}, 0, {}
    for role in ["anonymous", "board", "director_a", "staff", "superuser"]:
        # Administrators see what staff see: only their own pages are visited as them.
        wanted = {
            name: url
            for name, (url, level) in urls.items()
            if EXPECTED[level][role] == "ok" and (role != "superuser" or EXPECTED[level]["staff"] != "ok")
        }
        context, page = phone(browser, live_server, DEMO_ACCOUNTS.get(role), 360, static)
        for name, url in wanted.items():
            response = page.goto(f"{live_server.url}{url}")
            assert response.status < 400, f"{role} {name}: {response.status}"
            visited += 1
            if page_width(page) > 360:
                too_wide[f"{role} {name}"] = page_width(page)
                save_screenshot(page, f"trop-large-{role}-{name}")
        context.close()
    assert visited > 60
    assert not too_wide, f"Pages plus larges que 360 px : {too_wide}"


def test_a_director_enters_and_transmits_a_value_from_a_phone(live_server, browser, demo):
    context, page = phone(browser, live_server, "direction", 390)
    page.goto(f"{live_server.url}{reverse('centres:centre_home')}")
    assert page_width(page) <= 390
    to_do = page.locator("table.table-cards tbody tr").filter(has=page.get_by_role("link", name="Saisir"))
    row = to_do.first
    indicator = row.locator("th").inner_text().split(" (")[0]
    enter = row.get_by_role("link", name="Saisir")
    box = enter.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"« Saisir » hors de l'écran : {box}"
    save_screenshot(page, "telephone-mon-centre-390")
    enter.click()
    page.get_by_label("Valeur", exact=True).fill("12")
    assert page_width(page) <= 390
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state()

    row = page.locator("table.table-cards tbody tr").filter(has=page.get_by_role("rowheader", name=indicator))
    assert "Brouillon" in row.inner_text()
    transmit = row.get_by_role("button", name="Transmettre")
    box = transmit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"« Transmettre » hors de l'écran : {box}"
    transmit.click()
    page.wait_for_load_state()
    row = page.locator("table.table-cards tbody tr").filter(has=page.get_by_role("rowheader", name=indicator))
    assert "Transmise" in row.inner_text()
    assert "12" in row.inner_text()
    assert page_width(page) <= 390
    context.close()


def test_a_board_member_reads_the_dashboard_from_a_phone(live_server, browser, demo):
    context, page = phone(browser, live_server, "conseil", 390)
    page.goto(f"{live_server.url}{reverse('board:dashboard')}")
    assert page_width(page) <= 390
    save_screenshot(page, "telephone-tableau-de-bord-390")
    # The followed indicators' table scrolls in its own box; its first column (the indicator)
    # stays in view while the « Situation » column is brought in.
    table = page.locator("table.followed").first
    situation = table.get_by_role("columnheader", name="Situation")
    situation.scroll_into_view_if_needed()
    box = situation.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"« Situation » hors de l'écran : {box}"
    first_cell = table.locator("tbody th[scope=row]").first
    cell = first_cell.bounding_box()
    assert cell["x"] >= 0 and cell["x"] < box["x"], "la première colonne n'est plus visible"
    assert page_width(page) <= 390
    context.close()
