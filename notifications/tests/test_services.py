"""Notifications: once per event, preferences honoured, e-mails after the commit and never twice."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from notifications.models import DigestSent, Notification, Preference
from notifications.services import (
    Event,
    digest_send,
    notifications_email,
    notify,
    pending_for_digest,
    unread_count,
)

pytestmark = pytest.mark.django_db
EVENT = Event(kind="value_returned", key="measurement:1:returned:1", title="Valeur renvoyée : X", body="Motif : Y")


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("camille", email="camille@example.org", password="x")


def test_one_event_is_notified_once_and_e_mailed_once_after_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[person], event=EVENT)
        notify(recipients=[person], event=EVENT)
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"] and message.subject == "Projet fédéral : Valeur renvoyée : X"
    assert "Motif : Y" in message.body and "Motif : Y" in message.alternatives[0][0]  # plain text and HTML
    notifications_email([Notification.objects.get().pk])  # a retried task
    assert len(mail.outbox) == 1


def test_nothing_leaves_before_the_commit(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notify(recipients=[person], event=EVENT)
    assert mail.outbox == []


def test_the_actor_and_inactive_people_are_not_told(person):
    gone = get_user_model().objects.create_user("parti", email="p@example.org", is_active=False)
    assert notify(recipients=[person, gone], event=EVENT, actor=person) == []


@pytest.mark.parametrize(("delivery", "rows", "at_once"), [("immediate", 1, 1), ("digest", 1, 0), ("never", 0, 0)])
def test_preference_per_kind_is_honoured(person, django_capture_on_commit_callbacks, delivery, rows, at_once):
    Preference.objects.create(user=person, kind="value_returned", delivery=delivery)
    Preference.objects.create(user=person, kind="comment", delivery="never")  # another kind: no effect
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], event=EVENT)
    assert Notification.objects.count() == rows and len(mail.outbox) == at_once
    assert len(pending_for_digest(since=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))) == (
        1 if delivery == "digest" else 0
    )


def test_a_digest_leaves_once_a_day(person):
    Preference.objects.create(user=person, kind="value_returned", delivery="digest")
    notify(recipients=[person], event=EVENT)
    pending = pending_for_digest(since=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))[person.pk]
    today = datetime.date(2026, 12, 2)
    assert digest_send(user=person, day=today, notifications=pending) is True
    assert digest_send(user=person, day=today, notifications=pending) is False
    assert len(mail.outbox) == 1 and "résumé du 2\u00a0décembre 2026" in mail.outbox[0].subject
    assert "Valeur renvoyée : X" in mail.outbox[0].body and DigestSent.objects.count() == 1
    assert not pending_for_digest(since=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))


def test_list_mark_read_and_the_menu_count(client, person, django_assert_max_num_queries):
    [notification] = notify(recipients=[person], event=EVENT)
    client.force_login(person)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Valeur renvoyée : X" in page and "1 notification, dont 1 non lue." in page
    assert 'id="menu-notifications">Mes notifications <span class="badge text-bg-warning">1' in page
    client.post(reverse("notifications:notification_read", args=[notification.pk]))
    assert unread_count(person) == 0
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_menu_count_is_one_cached_query(client, person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify(recipients=[person], event=EVENT)
    client.force_login(person)
    url = reverse("help")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    counting = [q for q in first.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT(" in counting[0]["sql"]
    assert not [q for q in second.captured_queries if "notifications_notification" in q["sql"]]  # cached


def test_someone_elses_notification_cannot_be_marked(client, person):
    other = get_user_model().objects.create_user("autre")
    [notification] = notify(recipients=[person], event=EVENT)
    client.force_login(other)
    assert client.post(reverse("notifications:notification_read", args=[notification.pk])).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_preferences_page_saves_each_kind(client, person):
    client.force_login(person)
    data = {
        "value_validated": "digest",
        "value_returned": "immediate",
        "comment": "never",
        "participation": "immediate",
        "values_waiting": "digest",
        "to_update": "never",
    }
    client.post(reverse("notifications:preferences"), data)
    saved = dict(Preference.objects.filter(user=person).values_list("kind", "delivery"))
    assert saved == data
    bad = client.post(reverse("notifications:preferences"), {**data, "to_update": "immediate"})
    assert bad.status_code == 200 and "Sélectionnez un choix valide" in bad.content.decode()
