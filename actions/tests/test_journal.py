"""The dated journal: an entry has the day of what it reports, never in the future, and is listed
by that day; when it was typed, and by whom, stay beside it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import Update
from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from toolkit.french import long_date

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_an_entry_reports_today_unless_told_and_keeps_when_it_was_typed(staff_user):
    action = ActionFactory()
    today = update_create(action=action, author=staff_user, text="Réunion tenue")
    past = update_create(action=action, author=staff_user, text="Retenue au bureau", date=days_ago(8))

    assert today.date == timezone.localdate()
    assert past.date == days_ago(8)
    # Typed now, whatever the day it reports.
    assert timezone.localdate(past.created_at) == timezone.localdate()
    assert past.history.get().history_user == staff_user


def test_an_entry_dated_in_the_future_is_refused_and_nothing_written(staff_user):
    action = ActionFactory(progress=10)
    with pytest.raises(ValidationError) as refusal:
        update_create(action=action, author=staff_user, text="Demain", new_progress=50, date=days_ago(-1))
    assert "est dans le futur" in str(refusal.value)
    assert Update.objects.count() == 0
    action.refresh_from_db()
    assert action.progress == 10


def test_the_journal_form_refuses_a_future_date_in_french(client, staff_user):
    action = ActionFactory()
    client.force_login(staff_user)
    tomorrow = days_ago(-1)

    response = client.post(
        reverse("actions:update_create", args=[action.pk]), {"date": tomorrow.isoformat(), "text": "Demain"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Le {long_date(tomorrow)} est dans le futur\u00a0: une entrée du suivi rapporte ce qui s’est passé" in page
    assert Update.objects.count() == 0


def test_the_journal_form_offers_today_and_no_later_day(client, staff_user):
    action = ActionFactory()
    client.force_login(staff_user)
    page = client.get(action.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="date" value="{today}"' in page
    assert f'max="{today}"' in page


def test_a_past_date_through_the_form_is_recorded(client, staff_user):
    action = ActionFactory()
    client.force_login(staff_user)
    day = days_ago(30)
    response = client.post(
        reverse("actions:update_create", args=[action.pk]), {"date": day.isoformat(), "text": "Retenue au bureau"}
    )
    assert response.status_code == 302
    assert Update.objects.get().date == day


def test_the_action_page_lists_entries_by_their_date_and_shows_it_beside_when_they_were_typed(client, staff_user):
    action = ActionFactory()
    # Typed in this order: the oldest news last.
    update_create(action=action, author=staff_user, text="Entrée B", date=days_ago(10))
    update_create(action=action, author=staff_user, text="Entrée A", date=days_ago(2))
    update_create(action=action, author=staff_user, text="Entrée C", date=days_ago(40))
    update_create(action=action, author=staff_user, text="Entrée B2", date=days_ago(10))
    client.force_login(staff_user)

    page = client.get(action.get_absolute_url()).content.decode()

    positions = [page.index(f"Entrée {name}<") for name in ["A", "B2", "B", "C"]]
    assert positions == sorted(positions)  # by date, newest first; the same day, the last typed first
    oldest = days_ago(40)
    assert f'<time datetime="{oldest.isoformat()}">' in page
    typed = Update.objects.get(text="Entrée C").created_at
    assert f'saisi le <time datetime="{timezone.localtime(typed).isoformat()}">' in page
    assert page.count("saisi le ") == 4


def test_the_dashboard_and_report_read_the_latest_entry_by_its_date(client, board_user, staff_user):
    action = ActionFactory(axis__chapter__plan__status="active")
    update_create(action=action, author=staff_user, text="Nouvelle du jour", date=days_ago(1))
    update_create(action=action, author=staff_user, text="Ancienne nouvelle, saisie après", date=days_ago(60))
    client.force_login(board_user)

    dashboard = client.get(reverse("board:dashboard"))
    assert [entry.text for entry in dashboard.context["journal"]] == [
        "Nouvelle du jour",
        "Ancienne nouvelle, saisie après",
    ]
    report = client.get(reverse("board:report")).content.decode()
    assert "Nouvelle du jour" in report and "Ancienne nouvelle" not in report


def test_a_form_sent_without_a_date_reports_today(client, staff_user):
    action = ActionFactory()
    client.force_login(staff_user)
    client.post(reverse("actions:update_create", args=[action.pk]), {"text": "Réunion tenue"})
    assert Update.objects.get().date == timezone.localdate()
