"""A director's visit with Debian's Chromium: « Mon centre », a participation, a value
entered and submitted; then staff validate it and it shows on the dashboard."""

import pytest

from actions.models import Action
from centres.reporting import due_period
from conftest import assert_accessible, browser_login, browser_logout, save_screenshot, search_and_choose
from indicators.models import Indicator, Measurement
from indicators.tests.factories import IndicatorFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_reports_a_value_that_staff_validate(live_server, page, seeded_plan, staff_user):
    structure = StructureFactory(name="Centre social des Tilleuls")
    director = director_for(structure, username="direction-tilleuls")
    in_progress = list(Action.objects.filter(axis__chapter__plan=seeded_plan, status=Action.Status.IN_PROGRESS))
    reported, to_join = in_progress[0], in_progress[1]
    reported.structures.add(structure)
    IndicatorFactory(name="Familles accompagnées", unit="familles", actions=[reported])
    period = due_period(Indicator.Frequency.YEARLY)

    browser_login(page, live_server, director.username)
    page.get_by_role("link", name="Mon centre").click()
    page.get_by_role("heading", level=1, name="Mon centre · Centre social des Tilleuls").wait_for()
    assert page.get_by_role("row", name="Familles accompagnées").is_visible()
    assert_accessible(page)

    # Declare the centre's participation in another action.
    page.get_by_role("link", name="Déclarer une participation à une action").click()
    # The action is chosen by searching it (Tom Select's combobox, fed by the autocomplete endpoint).
    search_and_choose(page, "action", to_join.title[:15], to_join.title)
    assert page.locator("select[name=action]").input_value() == str(to_join.pk)
    page.get_by_label("Ce que votre centre fait pour cette action").fill("Nous accueillons les réunions.")
    assert_accessible(page)
    page.get_by_role("button", name="Déclarer la participation").click()
    page.get_by_text("l’équipe fédérale va l’examiner").wait_for()
    assert page.get_by_role("row").filter(has_text=str(to_join)[:40]).filter(has_text="Proposée").count() == 1

    # Enter a value and submit it.
    page.get_by_role("link", name="Saisir Familles accompagnées").click()
    page.get_by_label("Valeur", exact=True).fill("37")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer et transmettre").click()
    page.get_by_text("Valeur transmise à l’équipe fédérale").wait_for()
    save_screenshot(page, "mon-centre-valeur-transmise")
    measurement = Measurement.objects.get(structure=structure, period=period)
    assert measurement.status == Measurement.Status.SUBMITTED and measurement.value == 37

    # Staff validate it; it counts on the dashboard.
    browser_logout(page)
    browser_login(page, live_server, staff_user.username)
    page.goto(f"{live_server.url}/indicateurs/valeurs/a-valider/")
    row = page.get_by_role("row").filter(has_text="Centre social des Tilleuls")
    row.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.VALIDATED
    page.get_by_role("link", name="Tableau de bord").click()
    # The indicator's own row (a breakdown row under it repeats its name).
    line = page.get_by_role("row").filter(has=page.get_by_role("link", name="Familles accompagnées"))
    assert "37" in line.inner_text()
    save_screenshot(page, "tableau-de-bord-apres-validation")
