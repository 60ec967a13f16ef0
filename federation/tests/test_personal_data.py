"""A person's data (issue 16, point 7): an administrator exports it, or anonymises the account."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Comment
from actions.services.actions import action_update
from actions.services.comments import comment_post
from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from centres.models import ReportingReminder
from federation.audit.personal_data import account_anonymise
from federation.models import SecurityEvent
from network import roles
from network.tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


@pytest.fixture
def person(client):
    """Dominique Martin, staff and director of a centre, who wrote a comment, a journal entry and
    edited an action, and once typed a wrong password."""
    user = UserFactory(username="dmartin", first_name="Dominique", last_name="Martin", email="d.martin@example.org")
    user.groups.add(Group.objects.get(name=roles.STAFF))
    structure = StructureFactory(name="Centre des Tilleuls")
    structure.directors.add(user)
    action = ActionFactory(title="Accueil des familles")
    comment_post(user=user, text="Très bonne idée, on en parle jeudi.", action=action)
    update_create(action=action, author=user, text="Réunion de lancement faite.")
    action_update(action=action, data={"description": "Avec la Caf."}, expected_version=None, user=user)
    client.post(reverse("login"), {"username": "dmartin", "password": "mauvais"}, REMOTE_ADDR="10.4.4.4")
    return user


def test_an_administrator_exports_everything_held_about_a_person(client, superuser, person):
    client.force_login(superuser)
    response = client.get(reverse("audit_person_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    account = data["compte"]["fields"]
    assert (account["username"], account["first_name"], account["email"]) == (
        "dmartin",
        "Dominique",
        "d.martin@example.org",
    )
    assert account["groups"] == [roles.STAFF]
    assert "pbkdf2" not in response.content.decode() and "md5$" not in response.content.decode()
    text = json.dumps(data["données_liées"], ensure_ascii=False)
    assert "Très bonne idée, on en parle jeudi." in text
    assert "Réunion de lancement faite." in text
    assert "Centre des Tilleuls" in text
    assert any(row["objet"] == "actions.action" for row in data["écritures_faites"])
    assert any(
        event["event"] == "login_failed" and event["ip"] == "10.4.4.4" for event in data["événements_de_sécurité"]
    )
    assert SecurityEvent.objects.filter(event=Kind.DATA_EXPORTED, user=superuser).exists()


@pytest.mark.parametrize("actions", [1, 12])
def test_the_export_costs_the_same_whatever_the_number_of_rows_held(
    client, superuser, person, actions, django_assert_max_num_queries
):
    """An action's structures and objectives were read with two queries per action the person
    leads (783 queries, 14 s for the national generator's account)."""
    for _ in range(actions):
        ActionFactory(lead_person=person).structures.add(StructureFactory())
    client.force_login(superuser)
    with django_assert_max_num_queries(45):
        response = client.get(reverse("audit_person_export", args=[person.pk]))
    assert len(json.loads(response.content)["données_liées"]["actions.action (actions)"]["lead_person"]) == actions


def test_an_anonymised_account_keeps_its_writings_signed_ancien_compte(client, superuser, person):
    action = Comment.objects.get(author=person).action
    client.force_login(superuser)
    confirm = client.get(reverse("audit_person_anonymise", args=[person.pk]))
    assert "définitif" in confirm.content.decode()
    response = client.post(reverse("audit_person_anonymise", args=[person.pk]))
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.username == f"ancien-compte-{person.pk}"
    assert (person.first_name, person.last_name, person.email) == ("Ancien compte", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert not person.groups.exists() and not person.structures.exists()
    assert SecurityEvent.objects.filter(event=Kind.ACCOUNT_ANONYMISED, user=superuser).exists()

    # What they wrote stays, signed « Ancien compte », and their name is nowhere on the pages.
    client.force_login(UserFactory(username="lecteur", is_superuser=True, is_staff=True))
    pages = [
        client.get(action.get_absolute_url()).content.decode(),
        client.get(reverse("actions:object_history", args=["action", action.pk])).content.decode(),
        client.get(reverse("audit")).content.decode(),
        client.get(reverse("audit"), {"vue": "securite"}).content.decode(),
    ]
    assert "Très bonne idée, on en parle jeudi." in pages[0]
    assert "Réunion de lancement faite." in pages[0]
    assert "Ancien compte" in pages[0] and "Ancien compte" in pages[1]
    for page in pages:
        assert "Dominique" not in page and "Martin" not in page and "dmartin" not in page
        assert "d.martin@example.org" not in page and "10.4.4.4" not in page

    # The account's own history keeps no readable name nor address.
    assert not person.history.filter(first_name="Dominique").exists()
    assert not person.history.filter(email="d.martin@example.org").exists()
    assert not SecurityEvent.objects.filter(username="dmartin").exists()


def test_an_anonymised_account_cannot_log_in(client, superuser, person):
    account_anonymise(user=person, by=superuser)
    for username in ("dmartin", f"ancien-compte-{person.pk}"):
        response = client.post(reverse("login"), {"username": username, "password": "motdepasse-test"})
        assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session


def test_an_anonymised_account_loses_its_open_sessions(client, superuser, person):
    client.force_login(person)
    assert client.get(reverse("help")).status_code == 200
    account_anonymise(user=person, by=superuser)
    assert client.get(reverse("help")).status_code == 302


def test_an_administrator_cannot_anonymise_their_own_account(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("audit_person_anonymise", args=[superuser.pk]), follow=True)
    assert "propre compte" in response.content.decode()
    superuser.refresh_from_db()
    assert superuser.username == "admin-test" and superuser.is_active


def test_staff_can_neither_export_nor_anonymise(client, staff_user, person):
    client.force_login(staff_user)
    assert client.get(reverse("audit_person_export", args=[person.pk])).status_code == 403
    assert client.post(reverse("audit_person_anonymise", args=[person.pk])).status_code == 403
    person.refresh_from_db()
    assert person.username == "dmartin"


def test_anonymising_takes_the_address_out_of_the_reminders_sent(superuser, person):
    reminder = ReportingReminder.objects.create(
        structure=StructureFactory(), period="2025", recipients="autre@example.org, d.martin@example.org"
    )
    account_anonymise(user=person, by=superuser)
    reminder.refresh_from_db()
    assert reminder.recipients == "autre@example.org"
    assert not ReportingReminder.history.filter(recipients__icontains="d.martin").exists()


def test_security_events_are_kept_a_year(superuser):
    old = SecurityEvent.objects.create(event=Kind.LOGIN, user=superuser)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=400))
    recent = SecurityEvent.objects.create(event=Kind.LOGIN, user=superuser)
    out = io.StringIO()
    call_command("purge_security_events", stdout=out)
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "Événements de sécurité de plus de 365\u00a0jours supprimés\u00a0: 1." in out.getvalue()
