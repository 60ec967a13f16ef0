import pytest
from django.core import mail
from django.core.management import CommandError, call_command

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
    on_time = StructureFactory(name="Centre à jour")
    silent = StructureFactory(name="Centre sans adresse")
    action = ActionFactory()
    action.structures.add(late, on_time, silent)
    first = IndicatorFactory(name="Familles accueillies", actions=[action])
    second = IndicatorFactory(name="Ateliers menés", actions=[action])
    for indicator in (first, second):
        MeasurementFactory(indicator=indicator, structure=on_time, period=DUE, status=Measurement.Status.SUBMITTED)
    MeasurementFactory(indicator=first, structure=late, period=DUE, status=Measurement.Status.DRAFT)
    director_for(late, email="direction@retard.example")
    director_for(late, email="adjointe@retard.example")
    director_for(on_time, email="direction@ajour.example")
    director_for(silent, email="")
    return {"late": late, "on_time": on_time, "silent": silent}


def test_late_structures_directors_get_one_mail_listing_what_is_missing(network):
    call_command("send_reporting_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["adjointe@retard.example", "direction@retard.example"]
    assert "Familles accueillies" in message.body and "Ateliers menés" in message.body
    assert "Centre en retard" in message.body and "/mon-centre/" in message.body
    assert ReportingReminder.objects.get().structure == network["late"]


def test_no_structure_is_reminded_twice_for_one_period(network):
    call_command("send_reporting_reminders")
    call_command("send_reporting_reminders")
    assert len(mail.outbox) == 1
    assert ReportingReminder.objects.filter(structure=network["late"], period=DUE).count() == 1


def test_a_new_period_gets_its_own_reminder(network):
    call_command("send_reporting_reminders")
    call_command("send_reporting_reminders", period=str(int(DUE) - 1))
    # The previous year: nobody submitted, so the « à jour » centre is late too.
    assert len(mail.outbox) == 3
    assert set(ReportingReminder.objects.filter(structure=network["late"]).values_list("period", flat=True)) == {
        DUE,
        str(int(DUE) - 1),
    }


def test_dry_run_sends_nothing_and_records_nothing(network, capsys):
    call_command("send_reporting_reminders", "--dry-run")
    assert mail.outbox == [] and not ReportingReminder.objects.exists()
    assert "Centre en retard" in capsys.readouterr().out


def test_structure_without_address_is_reported_not_recorded(network, capsys):
    call_command("send_reporting_reminders")
    assert "Centre sans adresse" in capsys.readouterr().err
    assert not ReportingReminder.objects.filter(structure=network["silent"]).exists()


def test_failed_sending_records_nothing_and_says_so(network, settings):
    settings.EMAIL_BACKEND = "centres.tests.test_reminders.FailingBackend"
    with pytest.raises(CommandError, match="serveur SMTP injoignable"):
        call_command("send_reporting_reminders")
    assert not ReportingReminder.objects.exists()
    # Nothing left: once the server answers, the next run sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reporting_reminders")
    assert len(mail.outbox) == 1
    assert ReportingReminder.objects.get().delivery == ReportingReminder.Delivery.SENT


def test_bad_period_is_refused_in_french():
    with pytest.raises(CommandError, match="Période invalide"):
        call_command("send_reporting_reminders", period="l'an dernier")


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("serveur SMTP injoignable")
