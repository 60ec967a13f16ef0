"""Issue 14, « Done when »: from an empty database, staff set the federation up without opening
/admin/ (plan imported, two territories, three structures, two directors invited, two indicators
with targets); the directors choose their passwords and report; staff validate in bulk and send a
reminder from « Qui a transmis »; the director sees the notification."""

import re

import pytest
from django.conf import settings
from django.core import mail

from centres.models import ReportingReminder
from centres.reporting import due_period
from conftest import browser_login, browser_logout, save_screenshot, search_and_choose
from indicators.models import Indicator, Measurement
from network.models import Structure, Territory
from notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"(/compte/activer/[^/\s]+/)")
PASSWORD = "Tilleuls-2026-solide"


def _invite(page, base, first, last, email, structure):
    page.goto(f"{base}/gestion/personnes/inviter/")
    page.fill("input[name=first_name]", first)
    page.fill("input[name=last_name]", last)
    page.fill("input[name=email]", email)
    page.get_by_label("Direction de centre").check()
    # The structures' <select> is searched as typed (Tom Select).
    search_and_choose(page, "structures", structure[:12], structure)
    page.keyboard.press("Escape")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _structure(page, base, name, territory):
    page.goto(f"{base}/gestion/structures/nouvelle/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=kind]", label="Centre social")
    page.select_option("select[name=territory]", label=territory)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _indicator(page, base, code, name, unit):
    page.goto(f"{base}/indicateurs/nouveau/")
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", name)
    page.fill("input[name=unit]", unit)
    page.select_option("select[name=objectives]", index=0)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return Indicator.objects.get(code=code)


def test_staff_set_up_the_federation_and_directors_report(live_server, page, staff_user):
    base = live_server.url
    period = due_period(Indicator.Frequency.YEARLY)
    browser_login(page, live_server, staff_user.username)

    # The plan, imported from the document.
    page.goto(f"{base}{_url('actions:plan_import')}")
    page.set_input_files("input[name=document]", str(settings.SEED_PLAN_DOCUMENT))
    page.get_by_role("button", name="Voir l’aperçu").click()
    page.get_by_role("button", name="Confirmer l’import").click()
    page.wait_for_load_state()

    # Two territories, three structures.
    for name in ("Drôme", "Ardèche"):
        page.goto(f"{base}/gestion/territoires/nouveau/")
        page.fill("input[name=name]", name)
        page.select_option("select[name=kind]", label="Département")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    assert Territory.objects.count() == 2
    _structure(page, base, "Centre social des Tilleuls", "Drôme")
    _structure(page, base, "Centre social du Vivarais", "Ardèche")
    _structure(page, base, "Centre social de la Plaine", "Drôme")
    assert Structure.objects.count() == 3

    # Two directors invited; their links come from the outbox.
    _invite(page, base, "Alice", "Martin", "alice@tilleuls.example", "Centre social des Tilleuls")
    _invite(page, base, "Bruno", "Roux", "bruno@vivarais.example", "Centre social du Vivarais")
    links = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox if LINK.search(m.body)}
    assert set(links) == {"alice@tilleuls.example", "bruno@vivarais.example"}

    # Two indicators, with targets for the network and two structures (a structure with a
    # target is expected to report). The grid's « Ajouter » form, submitted as it builds its address.
    families = _indicator(page, base, "familles", "Familles accompagnées", "familles")
    volunteers = _indicator(page, base, "benevoles", "Bénévoles actifs", "bénévoles")
    columns = "".join(
        f"&colonne={pk}"
        for pk in Structure.objects.filter(name__in=["Centre social des Tilleuls", "Centre social du Vivarais"])
        .order_by("name")
        .values_list("pk", flat=True)
    )
    for indicator, targets in ((families, ("1 200", "700", "500")), (volunteers, ("300", "150", "150"))):
        page.goto(f"{base}/indicateurs/{indicator.pk}/cibles/?periodes={period}{columns}")
        cells = page.locator("table input[type=text]")
        for index, target in enumerate(targets):
            cells.nth(index).fill(target)
        page.get_by_role("button", name="Enregistrer les cibles").click()
        page.wait_for_load_state()
        assert indicator.targets.count() == 3
    save_screenshot(page, "issue14-cibles")
    browser_logout(page)

    # The directors choose their passwords and report (one value each, the second one late).
    for email, value in (("alice@tilleuls.example", "1 200"), ("bruno@vivarais.example", "45")):
        page.goto(f"{base}{links[email]}")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.get_by_role("button", name="Enregistrer mon mot de passe").click()
        page.wait_for_load_state()
        browser_login(page, live_server, email, PASSWORD)
        page.get_by_role("link", name="Mon centre").click()
        page.get_by_role("link", name="Saisir Familles accompagnées").click()
        page.get_by_label("Valeur", exact=True).fill(value)
        page.get_by_role("button", name="Enregistrer et transmettre").click()
        page.get_by_text("Valeur transmise à l’équipe fédérale").or_(
            page.get_by_text("Valeur transmise à l’équipe fédérale")
        ).wait_for()
        browser_logout(page)
    assert Measurement.objects.filter(status=Measurement.Status.SUBMITTED).count() == 2

    # Staff validate both together, then remind the late structures from « Qui a transmis ».
    browser_login(page, live_server, staff_user.username)
    page.goto(f"{base}/indicateurs/valeurs/a-valider/")
    page.get_by_label("Tout sélectionner").check()
    save_screenshot(page, "issue14-validation-groupee")
    page.get_by_role("button", name="Valider la sélection").click()
    page.get_by_text("2 valeurs validées.").wait_for()
    assert Measurement.objects.filter(status=Measurement.Status.VALIDATED).count() == 2
    page.goto(f"{base}/suivi-des-saisies/")
    page.get_by_role("link", name="Relancer les structures en retard").click()
    page.get_by_role("button", name=re.compile("Envoyer")).click()
    page.locator("#relances").wait_for()
    save_screenshot(page, "issue14-relances")
    assert ReportingReminder.objects.filter(structure__name="Centre social des Tilleuls").exists()
    browser_logout(page)

    # The director sees the notification.
    browser_login(page, live_server, "alice@tilleuls.example", PASSWORD)
    page.locator("#menu-utilisateur").click()  # the unread count is on it
    page.locator("#menu-notifications").click()
    page.get_by_text("Valeur validée : Familles accompagnées").wait_for()
    save_screenshot(page, "issue14-notifications-direction")
    assert Notification.objects.filter(recipient__username="alice@tilleuls.example").exists()
    assert not page.url.startswith(f"{base}/admin")


def _url(name):
    from django.urls import reverse

    return reverse(name)
