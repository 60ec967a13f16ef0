"""Headers, login throttling, password reset, error pages."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("actions:plan_current"), follow=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert len(response.headers["X-Request-ID"]) >= 8


def test_no_inline_script_in_pages(client, staff_user, seeded_plan):
    client.force_login(staff_user)
    content = client.get(reverse("actions:plan_detail", args=[seeded_plan.pk])).content.decode()
    assert "<script>" not in content
    assert "<script src=" in content


def failed_login(client, username="equipe-test", address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": "mauvais"}, REMOTE_ADDR=address)


def test_repeated_failed_logins_are_refused_for_a_while(client, staff_user):
    for _ in range(5):
        assert failed_login(client).status_code == 200
    refused = failed_login(client)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    # Even the right password is refused from that address while it waits...
    response = client.post(
        reverse("login"), {"username": "equipe-test", "password": "motdepasse-test"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    # ...but not from elsewhere: nobody can lock someone else out (test_login_throttling.py).
    response = client.post(reverse("login"), {"username": "equipe-test", "password": "motdepasse-test"})
    assert response.status_code == 302
    client.logout()
    # Another account from elsewhere is not affected.
    assert failed_login(client, username="quelquun", address="10.0.0.2").status_code == 200


def test_failed_logins_from_one_address_are_refused(client, staff_user):
    for n in range(50):
        failed_login(client, username=f"compte{n}", address="10.9.9.9")
    assert failed_login(client, username="encore-un", address="10.9.9.9").status_code == 429


def test_successful_logins_are_not_counted(client, staff_user):
    for _ in range(8):
        response = client.post(reverse("login"), {"username": "equipe-test", "password": "motdepasse-test"})
        assert response.status_code == 302
        client.logout()


def test_password_reset_sends_a_french_email(client, staff_user):
    staff_user.email = "elise@example.org"
    staff_user.save()
    response = client.post(reverse("password_reset"), {"email": "elise@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "nouveau mot de passe" in mail.outbox[0].subject
    assert "/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_password_validators_refuse_a_weak_password(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("demo")


def test_404_page_is_french(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_403_page_is_french(client, roleless_user):
    client.force_login(roleless_user)
    response = client.get(reverse("actions:plan_current"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_shows_the_request_id(rf):
    from federation.views import server_error

    request = rf.get("/")
    request.id = "abc123def456"
    response = server_error(request)
    assert response.status_code == 500
    assert "abc123def456" in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_is_french_even_when_the_database_is_down(rf, monkeypatch, staff_user):
    """PostgreSQL restarting: the page must not need the database (make faults found it did)."""
    from django.db import OperationalError

    from federation.views import server_error

    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", database_down)
    request = rf.get("/")
    request.id = "abc123def456"
    request.user = staff_user
    response = server_error(request)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert "abc123def456" in response.content.decode()
