"""Login, roles, demo accounts, settings: what the whole site stands on."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from axes.models import Axis
from conftest import production_setting
from network import roles

pytestmark = pytest.mark.django_db


def test_login_page_is_public_and_french(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Se connecter" in content
    assert "Nom d’utilisateur" in content or "Nom d'utilisateur" in content


def test_wrong_password_gets_a_french_error(client, staff_user):
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("actions:plan_current")).status_code == 302


def test_health_endpoint_is_public(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_roles_are_groups_with_the_right_permissions(db):
    staff = Group.objects.get(name=roles.STAFF)
    board = Group.objects.get(name=roles.BOARD)
    director = Group.objects.get(name=roles.DIRECTOR)
    staff_perms = set(staff.permissions.values_list("codename", flat=True))
    assert {"change_axis", "add_action", "import_plan", "view_plan"} <= staff_perms
    for group in (board, director):
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert "view_axis" in codenames and "view_action" in codenames
        # Everyone comments on the plan; directors propose their structure's participation.
        allowed = {"add_comment"} | ({"add_participation"} if group == director else set())
        assert not any(code.startswith(("add_", "change_", "delete_")) for code in codenames - allowed)
        assert "add_comment" in codenames and "moderate_comment" not in codenames
        assert "import_plan" not in codenames


def test_seed_demo_loads_the_plan_and_accounts_and_is_idempotent(db):
    call_command("seed_demo")
    call_command("seed_demo")
    User = get_user_model()
    assert Axis.objects.count() == 3
    for username in ["equipe", "direction", "conseil", "admin"]:
        assert User.objects.get(username=username).check_password("demo")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="equipe").groups.filter(name=roles.STAFF).exists()
    assert User.objects.get(username="conseil").groups.filter(name=roles.BOARD).exists()
    direction = User.objects.get(username="direction")
    assert direction.groups.filter(name=roles.DIRECTOR).exists()
    assert direction.structures.count() == 1


def test_no_account_exists_after_migrations_alone(db):
    assert get_user_model().objects.count() == 0


def _run_production_check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "federation.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_evidence_files_go_where_production_says():
    assert production_setting("settings.MEDIA_ROOT", DJANGO_MEDIA_ROOT="/srv/partage/media") == "/srv/partage/media"
    assert production_setting("settings.MEDIA_ROOT").endswith("/media")


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run_production_check({"DJANGO_ALLOWED_HOSTS": "projet.example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = _run_production_check({"DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _run_production_check(
        {"DJANGO_SECRET_KEY": "k3y-" + "aZ9$" * 16, "DJANGO_ALLOWED_HOSTS": "projet.example.org"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_postgresql_runs_the_pages_queries_without_jit_compilation():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_production_workers_keep_their_database_connection_checked_before_reuse():
    # A connection per request forked a PostgreSQL process per request under the load test.
    database = 'settings.DATABASES["default"]'
    assert production_setting(f'{database}["CONN_MAX_AGE"]') == "60"
    assert production_setting(f'{database}["CONN_HEALTH_CHECKS"]') == "True"
    assert production_setting(f'{database}["CONN_MAX_AGE"]', DJANGO_CONN_MAX_AGE="0") == "0"
