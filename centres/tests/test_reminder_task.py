"""The reminders as a background task: a worker that dies while sending never sends twice."""

import pytest
from django.core import mail
from django.core.management import call_command

from actions.tests.factories import ActionFactory
from centres.models import ReportingReminder
from centres.reporting import due_period
from indicators.models import Indicator
from indicators.tests.factories import IndicatorFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
DUE = due_period(Indicator.Frequency.YEARLY)


@pytest.fixture
def three_late_centres(db):
    action = ActionFactory()
    indicator = IndicatorFactory(name="Familles accueillies", actions=[action])
    centres = [StructureFactory(name=name) for name in ("Centre A", "Centre B", "Centre C")]
    action.structures.add(*centres)
    for centre in centres:
        director_for(centre, email=f"direction@{centre.name[-1].lower()}.example")
    assert indicator.pk
    return centres


def test_the_command_queues_a_task_that_the_worker_runs(three_late_centres, capsys):
    call_command("send_reporting_reminders")  # immediate backend in tests: runs at once
    assert len(mail.outbox) == 3
    assert "3 relances envoyées" in capsys.readouterr().out
    assert set(ReportingReminder.objects.values_list("delivery", flat=True)) == {ReportingReminder.Delivery.SENT}


def test_an_interrupted_reminder_is_reported_until_staff_delete_it(three_late_centres, capsys):
    structure = three_late_centres[0]
    ReportingReminder.objects.create(structure=structure, period=DUE, delivery=ReportingReminder.Delivery.SENDING)
    call_command("send_reporting_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == ["direction@b.example", "direction@c.example"]
    assert "Envoi interrompu, non renvoyé : Centre A" in capsys.readouterr().err
    # Staff checked with the centre and deleted the record: the next run sends it.
    ReportingReminder.objects.filter(structure=structure).delete()
    call_command("send_reporting_reminders")
    assert sorted(m.to[0] for m in mail.outbox)[0] == "direction@a.example"
    assert len(mail.outbox) == 3
