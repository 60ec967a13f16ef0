"""A staff member's week, in Debian's Chromium: an objective edited in place, an action
moved to « en cours » through its journal, and the axis's progress following."""

import os

import pytest

from actions.models import Action
from actions.services.actions import action_create
from axes.models import Axis
from conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.console_errors = errors
        yield page
        context.close()
        browser.close()


def axis_progress(page) -> str:
    return page.locator(".axis-progress [role=progressbar]").get_attribute("aria-valuenow")


def test_staff_member_week(live_server, page, seeded_plan, staff_user):
    axis = Axis.objects.get(title="Gouvernance")
    objective = axis.objectives.get()
    action = action_create(axis=axis, title="Former les administrateurs", objectives=[objective], user=staff_user)
    axis_url = f"{live_server.url}/axes/{axis.pk}/{axis.slug}/"

    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(staff_user.username)
    page.get_by_label("Mot de passe").fill("motdepasse-test")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Projet fédéral").wait_for()

    # Monday: the objective's wording is edited in place, without leaving the axis page.
    page.goto(axis_url)
    assert axis_progress(page) == "0"
    page.locator(f"#objective-{objective.pk}").get_by_role("button", name="Modifier").click()
    editor = page.locator(f"form#objective-{objective.pk}")
    editor.get_by_label("Objectif").fill("Renforcer la gouvernance partagée des centres")
    editor.get_by_label("Motif de la modification").fill("Relecture du bureau")
    editor.get_by_role("button", name="Enregistrer").click()
    page.locator(f"div#objective-{objective.pk}", has_text="Renforcer la gouvernance partagée").wait_for()
    assert page.url == axis_url  # no page load: htmx swapped the fragment
    objective.refresh_from_db()
    assert objective.text == "Renforcer la gouvernance partagée des centres"
    assert objective.history.first().history_change_reason == "Relecture du bureau"

    # Wednesday: the action starts; the journal records it with its progress.
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    page.get_by_label("Ce qui s’est passé").fill("Premier module de formation tenu à Valence.")
    page.get_by_label("Nouveau statut").select_option(label="En cours")
    page.get_by_label("Avancement (%)").fill("40")
    page.get_by_role("button", name="Ajouter au suivi").click()
    page.get_by_text("Entrée ajoutée au suivi.").wait_for()
    assert page.get_by_text("Premier module de formation tenu à Valence.").is_visible()
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.updates.get().author == staff_user

    # Friday: the axis page shows the progress that followed. An axis counts all its counted actions:
    # the document's two projects under way (no progress entered: 0 %) and this one at 40 %.
    page.goto(axis_url)
    assert axis_progress(page) == "13"
    assert page.locator(".axis-progress .progress-value").inner_text() == "13 %"
    assert not [e for e in page.console_errors if "Content Security Policy" in e or "htmx" in e.lower()]
