"""Reminders from « Qui a transmis » (issue 14, item 4): shown before they leave, sent once per
structure and period (the command's rule), and logged on the page."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from actions.tests.factories import ActionFactory
from centres.models import ReportingReminder
from centres.reporting import due_period
from indicators.models import Indicator, Measurement
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
DUE = due_period(Indicator.Frequency.YEARLY)


@pytest.fixture
def network(db):
    late = StructureFactory(name="Centre en retard")
    other_late = StructureFactory(name="Autre centre en retard")
    on_time = StructureFactory(name="Centre à jour")
    action = ActionFactory()
    action.structures.add(late, other_late, on_time)
    indicator = IndicatorFactory(name="Familles accueillies", actions=[action])
    MeasurementFactory(indicator=indicator, structure=on_time, period=DUE, status=Measurement.Status.SUBMITTED)
    director_for(late, email="direction@retard.example")
    director_for(other_late, email="direction@autre.example")
    director_for(on_time, email="direction@ajour.example")
    return {"late": late, "other_late": other_late, "on_time": on_time}


def test_page_offers_to_remind_each_late_structure_and_all_of_them(client, staff_user, network):
    client.force_login(staff_user)
    page = client.get(reverse("centres:reporting_rate")).content.decode()
    preview = reverse("centres:reminder_preview")
    assert f'href="{preview}?structure={network["late"].pk}&amp;periode={DUE}"' in page
    assert f'href="{preview}?structure={network["on_time"].pk}' not in page
    assert "Relancer les structures en retard" in page
    assert "Aucune relance envoyée pour l’instant." in page


def test_preview_shows_the_mail_and_sends_nothing(client, staff_user, network):
    client.force_login(staff_user)
    response = client.get(reverse("centres:reminder_preview"), {"structure": network["late"].pk, "periode": DUE})
    page = response.content.decode()
    assert "direction@retard.example" in page and "Familles accueillies" in page
    assert "direction@autre.example" not in page  # only the structure asked for
    assert f"Projet fédéral : vos chiffres pour {DUE}" in page and "Envoyer ce courriel" in page
    assert mail.outbox == [] and not ReportingReminder.objects.exists()


def test_send_one_structure_then_never_twice_and_the_log_says_so(client, staff_user, network):
    client.force_login(staff_user)
    data = {"structure": network["late"].pk, "periode": DUE}
    response = client.post(reverse("centres:reminder_send"), data, follow=True)
    assert [m.to for m in mail.outbox] == [["direction@retard.example"]]
    page = response.content.decode()
    assert "1 relance envoyée." in page
    log = page.split('id="relances"')[1]
    assert "Centre en retard" in log and "direction@retard.example" in log and "envoyée" in log

    again = client.post(reverse("centres:reminder_send"), data, follow=True).content.decode()
    assert len(mail.outbox) == 1 and "Déjà relancée, non renvoyée : Centre en retard" in again
    preview = client.get(reverse("centres:reminder_preview"), data).content.decode()
    assert "Aucun courriel à envoyer à cette structure." in preview and "Déjà relancées" in preview


def test_remind_all_late_sends_to_each_once_and_the_command_agrees(client, staff_user, network):
    client.force_login(staff_user)
    preview = client.get(reverse("centres:reminder_preview"), {"periode": DUE}).content.decode()
    assert "2 courriels partiront" in preview and "direction@ajour.example" not in preview
    client.post(reverse("centres:reminder_send"), {"periode": DUE})
    assert sorted(m.to[0] for m in mail.outbox) == ["direction@autre.example", "direction@retard.example"]
    call_command("send_reporting_reminders")  # the command follows the same record
    assert len(mail.outbox) == 2 and ReportingReminder.objects.count() == 2


@pytest.mark.parametrize("query", [{"periode": "2024-X9"}, {"structure": "abc"}, {"structure": "999999"}])
def test_bad_input_comes_back_with_a_french_message(client, staff_user, network, query):
    client.force_login(staff_user)
    response = client.get(reverse("centres:reminder_preview"), query, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("centres:reporting_rate")
    assert "Période invalide" in page or "Sélectionnez un choix valide" in page
    assert mail.outbox == []


def test_only_staff_remind(client, director_user, board_user, network):
    for user in (director_user, board_user):
        client.force_login(user)
        assert client.get(reverse("centres:reminder_preview")).status_code == 403
        assert client.post(reverse("centres:reminder_send"), {"periode": DUE}).status_code == 403
    assert mail.outbox == []
