"""Who is told what (issue 14, item 5): directors when their values are validated or returned and
when a participation is answered; the thread when someone comments; staff and referents each day."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Milestone
from actions.services.comments import comment_post
from actions.tests.factories import ActionFactory
from centres.digests import daily_digests_send
from centres.services import participation_decide, participation_propose
from indicators.models import Measurement
from indicators.services import measurement_return, measurement_validate, measurements_validate
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network.tests.factories import StructureFactory, director_for
from notifications.models import Notification, Preference
from notifications.services import follow_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    structure = StructureFactory(name="Centre Alpha")
    director = director_for(structure, username="dir-a", email="dir-a@example.org")
    indicator = IndicatorFactory(name="Familles accueillies", unit="familles")
    return {"structure": structure, "director": director, "indicator": indicator}


def _submitted(centre, period="2024"):
    return MeasurementFactory(
        indicator=centre["indicator"], structure=centre["structure"], period=period, status="submitted", value=12
    )


def test_director_is_told_when_a_value_is_validated(centre, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        measurement_validate(user=staff_user, measurement=_submitted(centre))
    notification = Notification.objects.get(recipient=centre["director"])
    assert notification.title == "Valeur validée : Familles accueillies · 2024 · Centre Alpha"
    assert [m.to for m in mail.outbox] == [["dir-a@example.org"]]
    assert not Notification.objects.filter(recipient=staff_user).exists()  # not the one who acted


def test_director_is_told_why_a_value_is_returned(centre, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        measurement_return(user=staff_user, measurement=_submitted(centre), comment="Chiffre de 2023 ?")
    notification = Notification.objects.get(recipient=centre["director"])
    assert notification.kind == "value_returned" and notification.body == "Motif du renvoi : Chiffre de 2023 ?"
    assert "Chiffre de 2023 ?" in mail.outbox[0].body


def test_bulk_validation_tells_each_director_once(centre, staff_user, django_capture_on_commit_callbacks):
    other = StructureFactory(name="Centre Bêta")
    other_director = director_for(other, username="dir-b", email="dir-b@example.org")
    values = [_submitted(centre, "2024"), _submitted(centre, "2023")]
    values.append(MeasurementFactory(indicator=centre["indicator"], structure=other, period="2024", status="submitted"))
    with django_capture_on_commit_callbacks(execute=True):
        measurements_validate(user=staff_user, versions={m.pk: m.version for m in values})
    assert Notification.objects.filter(recipient=centre["director"]).count() == 2
    assert Notification.objects.filter(recipient=other_director).count() == 1
    assert len(mail.outbox) == 3


def test_director_who_chose_never_hears_nothing(centre, staff_user, django_capture_on_commit_callbacks):
    Preference.objects.create(user=centre["director"], kind="value_validated", delivery="never")
    with django_capture_on_commit_callbacks(execute=True):
        measurement_validate(user=staff_user, measurement=_submitted(centre))
    assert not Notification.objects.exists() and mail.outbox == []


def test_commenters_and_followers_are_told_of_a_new_comment(centre, staff_user, board_user):
    action = ActionFactory(title="Ateliers numériques")
    comment_post(user=centre["director"], text="Nous en sommes.", action=action)
    follow_set(user=board_user, obj=action, follow=True)
    comment_post(user=staff_user, text="Merci, bilan en juin.", action=action)
    told = {n.recipient for n in Notification.objects.filter(kind="comment")}
    assert told == {centre["director"], board_user}  # not the author of the new comment
    notification = Notification.objects.get(recipient=board_user)
    assert notification.title == "Nouveau commentaire sur « Ateliers numériques »"
    assert "Merci, bilan en juin." in notification.body and notification.url.startswith(action.get_absolute_url())


def test_follow_button_on_the_action_page(client, board_user):
    action = ActionFactory()
    client.force_login(board_user)
    assert "Suivre la discussion" in client.get(action.get_absolute_url()).content.decode()
    client.post(reverse("actions:action_follow", args=[action.pk]), {"suivre": "1"})
    assert "Ne plus suivre" in client.get(action.get_absolute_url()).content.decode()


def test_director_is_told_when_a_participation_is_declined(centre, staff_user):
    action = ActionFactory(title="Ateliers numériques")
    participation = participation_propose(
        user=centre["director"], action=action, structure=centre["structure"], contribution="Deux ateliers"
    )
    participation_decide(user=staff_user, participation=participation, accept=False, note="Action close")
    notification = Notification.objects.get(recipient=centre["director"])
    assert notification.title == "Participation déclinée : « Centre Alpha » à « Ateliers numériques »"
    assert notification.body == "Motif : Action close"


def test_daily_digest_tells_staff_of_waiting_values_and_referents_of_stale_actions(centre, staff_user):
    _submitted(centre)
    staff_user.email = "equipe@example.org"
    staff_user.save(update_fields=["email"])
    referent = staff_user
    stale = ActionFactory(title="Action oubliée", lead_person=referent)
    Milestone.objects.create(action=stale, title="Bilan", due_date=datetime.date(2020, 1, 1))
    result = daily_digests_send(today=datetime.date(2026, 12, 2))
    assert result == {"sent": 1, "skipped": 0}
    [message] = mail.outbox
    assert message.to == [staff_user.email]
    assert "1 valeur en attente de validation" in message.body and "Action oubliée" in message.body
    assert daily_digests_send(today=datetime.date(2026, 12, 2)) == {"sent": 0, "skipped": 0}  # never twice
    assert len(mail.outbox) == 1
    assert Measurement.objects.count() == 1
