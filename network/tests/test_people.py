"""People, for staff (issue 14): invitations with a one-time link, its expiry and revocation,
directors attached and detached, accounts deactivated, and the rights staff cannot give."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from network import roles
from network.models import Invitation
from network.tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"http://testserver(/compte/activer/[^/\s]+/)")


def invite(client, staff_user, django_capture_on_commit_callbacks, **overrides):
    client.force_login(staff_user)
    data = {
        "first_name": "Inès",
        "last_name": "Roux",
        "email": "ines.roux@example.org",
        "role": "director",
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:person_invite"), data)
    return response


def link_in(message) -> str:
    return LINK.search(message.body)[1]


def test_invitation_creates_an_inactive_account_and_mails_a_link_that_sets_the_password(
    client, staff_user, django_capture_on_commit_callbacks
):
    structure = StructureFactory(name="Centre social du Rhône")
    response = invite(client, staff_user, django_capture_on_commit_callbacks, structures=[structure.pk])
    person = User.objects.get(email="ines.roux@example.org")
    assert response.status_code == 302
    assert not person.is_active and not person.has_usable_password()
    assert not person.is_staff and not person.is_superuser
    assert list(person.groups.values_list("name", flat=True)) == [roles.DIRECTOR]
    assert structure.is_directed_by(person)
    [message] = mail.outbox
    assert message.to == ["ines.roux@example.org"]
    assert "valable 7 jours" in message.body and "Centre social du Rhône" in message.body
    assert message.alternatives[0][1] == "text/html" and link_in(message) in message.alternatives[0][0]

    client.logout()
    page = client.get(link_in(message))
    assert page.status_code == 200 and "Choisir votre mot de passe" in page.content.decode()
    answer = client.post(link_in(message), {"password1": "Lavande-en-2026", "password2": "Lavande-en-2026"})
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    person.refresh_from_db()
    assert person.is_active and person.check_password("Lavande-en-2026")
    assert client.login(username="ines.roux@example.org", password="Lavande-en-2026")
    # One time only.
    client.logout()
    again = client.get(link_in(message))
    assert again.status_code == 410 and "déjà servi" in again.content.decode()


def test_no_mail_leaves_when_the_invitation_is_refused(client, staff_user, django_capture_on_commit_callbacks):
    UserFactory(username="deja@example.org", email="deja@example.org")
    response = invite(client, staff_user, django_capture_on_commit_callbacks, email="Deja@example.org")
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse." in response.content.decode()
    assert mail.outbox == []


def test_the_link_expires_after_the_validity_period(
    client, staff_user, django_capture_on_commit_callbacks, settings, monkeypatch
):
    invite(client, staff_user, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    later = timezone.now() + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS, minutes=1)
    assert client.get(link).status_code == 200  # still valid today
    monkeypatch.setattr(signing.time, "time", later.timestamp)  # the signature's clock, 7 days on
    response = client.post(link, {"password1": "Lavande-en-2026", "password2": "Lavande-en-2026"})
    assert response.status_code == 410 and "a expiré" in response.content.decode()
    assert not User.objects.get(email="ines.roux@example.org").is_active


def test_a_revoked_link_and_a_replaced_link_no_longer_work(client, staff_user, django_capture_on_commit_callbacks):
    invite(client, staff_user, django_capture_on_commit_callbacks)
    person = User.objects.get(email="ines.roux@example.org")
    first = link_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:invitation_resend", args=[person.pk]))
    second = link_in(mail.outbox[1])
    assert first != second
    client.post(reverse("network:invitation_revoke", args=[person.pk]))
    assert Invitation.objects.get(user=person).state == "revoked"
    client.logout()
    assert "remplacé" in client.get(first).content.decode()
    answer = client.post(second, {"password1": "Lavande-en-2026", "password2": "Lavande-en-2026"})
    assert answer.status_code == 410 and "révoquée" in answer.content.decode()
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()


@pytest.mark.parametrize(
    "forged",
    [
        {"role": "staff"},
        {"role": roles.STAFF},
        {"role": "superuser"},
        {"role": "director", "is_superuser": "on", "is_staff": "on", "groups": "1"},
    ],
)
def test_staff_cannot_create_staff_or_superusers_even_with_a_forged_form(
    client, staff_user, django_capture_on_commit_callbacks, forged
):
    invite(client, staff_user, django_capture_on_commit_callbacks, **forged)
    for person in User.objects.filter(email="ines.roux@example.org"):
        assert not person.is_superuser and not person.is_staff
        assert not person.groups.filter(name=roles.STAFF).exists()
    if forged["role"] != "director":
        assert not User.objects.filter(email="ines.roux@example.org").exists()


def test_staff_cannot_touch_their_own_account_another_staff_or_an_administrator(client, staff_user, superuser):
    colleague = UserFactory(username="collegue")
    colleague.groups.add(Group.objects.get(name=roles.STAFF))
    structure = StructureFactory()
    client.force_login(staff_user)
    # A staff member's page (one's own included) is read only: the actions they are the referent
    # of, no button; an administrator's is not shown at all.
    for person in (staff_user, colleague):
        page = client.get(reverse("network:person_detail", args=[person.pk])).content.decode()
        assert "Actions dont" in page and "Désactiver le compte" not in page and "Rattacher" not in page
    assert client.get(reverse("network:person_detail", args=[superuser.pk])).status_code == 403
    for person in (staff_user, colleague, superuser):
        deactivate = client.post(reverse("network:person_set_active", args=[person.pk]), {"active": "0"})
        attach = client.post(reverse("network:person_attach", args=[person.pk]), {"structure": structure.pk})
        assert deactivate.status_code == attach.status_code == 403
        person.refresh_from_db()
        assert person.is_active and not structure.is_directed_by(person)
    staff_user.refresh_from_db()
    assert not staff_user.is_superuser and not staff_user.is_staff


def test_staff_attach_detach_and_deactivate_a_director(client, staff_user, director_user):
    structure = StructureFactory(name="EVS des Baronnies")
    client.force_login(staff_user)
    client.post(reverse("network:person_attach", args=[director_user.pk]), {"structure": structure.pk})
    assert structure.is_directed_by(director_user)
    assert structure.history.first().history_user == staff_user
    client.post(reverse("network:person_detach", args=[director_user.pk, structure.pk]))
    assert not structure.is_directed_by(director_user)
    client.post(reverse("network:person_set_active", args=[director_user.pk]), {"active": "0"})
    director_user.refresh_from_db()
    assert not director_user.is_active
    client.logout()
    assert not client.login(username=director_user.username, password="motdepasse-test")


def test_a_board_member_is_never_attached_to_a_structure(client, staff_user, board_user):
    structure = StructureFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("network:person_attach", args=[board_user.pk]), {"structure": structure.pk}, follow=True
    )
    assert "Seul un compte « Direction de centre »" in response.content.decode()
    assert not structure.is_directed_by(board_user)


def test_people_list_reads_in_a_fixed_number_of_queries(client, staff_user, django_assert_max_num_queries):
    director = Group.objects.get(name=roles.DIRECTOR)
    client.force_login(staff_user)
    for size in (2, 8):
        for _ in range(size):
            person = UserFactory()
            person.groups.add(director)
            StructureFactory().directors.add(person)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("network:person_list"))
        assert response.status_code == 200
    assert "Inviter une personne" in response.content.decode()


def test_lead_person_offers_staff_only(client, staff_user, board_user, director_user):
    client.force_login(staff_user)
    names = [row["text"] for row in client.get(reverse("autocomplete_people")).json()["results"]]
    assert staff_user.get_full_name() in names
    assert len(names) == 1
