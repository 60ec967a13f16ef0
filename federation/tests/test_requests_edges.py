"""Requests at the edges (issue 16): an oversized form, shared computers, the load balancer's
probe, two writes at once on the embedded database."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import production_setting

pytestmark = pytest.mark.django_db


def test_an_oversized_form_gets_a_french_400_page(client):
    response = client.post(reverse("login"), {"username": "x", "password": "y" * (6 * 1024 * 1024)})
    assert response.status_code == 400
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Demande refusée" in content and "5\u00a0Mo" in content.replace("&nbsp;", "\u00a0")
    assert "Bad Request" not in content


def test_pages_of_a_logged_in_person_are_never_stored(client, board_user):
    client.force_login(board_user)
    for url in (reverse("actions:plan_current"), reverse("help"), reverse("search") + "?q=centre"):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", url


def test_static_files_stay_cacheable_for_a_logged_in_person(client, board_user):
    client.force_login(board_user)
    static = client.get("/static/bootstrap/css/bootstrap.min.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def test_the_health_check_answers_over_plain_http_in_production(tmp_path):
    probe = (
        "[__import__('django.test', fromlist=['Client']).Client().get(path, HTTP_HOST='projet.example.org').status_code"
        " for path in ('/sante/', '/connexion/')]"
    )
    statuses = production_setting(probe, DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    assert statuses == "[200, 301]"  # the probe sees its answer; every other page still goes to HTTPS


TWO_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
both_have_read = threading.Barrier(2)
errors = []

def increment():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT value FROM counter WHERE id = 1")
            (value,) = cursor.fetchone()
            try:
                both_have_read.wait(timeout=1)
            except threading.BrokenBarrierError:
                pass  # the other one is waiting for this one's write lock
            time.sleep(0.2)
            cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=increment) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    print("value", cursor.fetchone()[0])
print("errors", errors)
"""


def test_two_writes_at_once_on_the_embedded_database_wait_for_each_other(tmp_path):
    """Two requests that read then write at the same time, each in its transaction: the
    second failed at once with « database is locked » (a deferred transaction cannot upgrade
    its read lock while another writes); now it waits and both writes are kept."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="federation.settings.test", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", TWO_WRITERS], env=env, capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith(("journal", "value", "errors"))]
    assert lines == ["journal wal", "value 2", "errors []"]
