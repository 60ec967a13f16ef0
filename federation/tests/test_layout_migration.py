"""The December 2026 layout moved models between apps without touching their tables.

A database made on the old layout (commit 7af335e: migrate, seed_demo, and a row in every table
that moves; see fixtures/old_layout_extra_rows.txt) is migrated in a subprocess, on its own
SQLite file whatever database the suite runs on, and compared row by row with what it held.
"""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings

from toolkit.moves import MOVED_MODELS, current_label

OLD_LAYOUT_DB = Path(__file__).resolve().parent / "fixtures" / "old_layout.sqlite3.gz"
# The migration that completes the move; `migrate` to it applies every migration of the move, and
# only those, so that a later migration changing one of these tables leaves this comparison valid.
MOVE = ("federation", "0005_move_network_and_board")
MOVE_MIGRATIONS = {
    ("network", "0001_initial"),
    ("centres", "0001_initial"),
    ("board", "0001_initial"),
    ("actions", "0006_move_network_and_board"),
    ("indicators", "0003_move_network_and_board"),
    MOVE,
}


def read_every_row(path: Path) -> dict[str, Counter]:
    """{table: its rows, all columns}, with SQLite's own tables (schema, sequences)."""
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = {table: Counter(connection.execute(f'SELECT * FROM "{table}"')) for table in tables}
        rows["sqlite_master"] = Counter(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        return rows
    finally:
        connection.close()


def run(database: Path, *args: str) -> str:
    """Run Python with `args` on `database` under the test settings, in a clean environment."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "REDIS_")) and name != "DATABASE_URL"
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="federation.settings.test")
    result = subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# What the application reads through the new apps once the database is migrated to the latest schema.
READ_THROUGH_NEW_APPS = """
import json

import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from actions.models import Action
from board.models import BoardMeeting
from centres.models import ReportingReminder
from network.models import Partner, Structure, Territory

edited = []
for entry in LogEntry.objects.order_by("pk"):
    target = entry.get_edited_object()
    edited.append([entry.pk, target._meta.label_lower, target.pk])
print(json.dumps({
    "federation_structure": Structure.objects.count(),
    "federation_historicalstructure": Structure.history.count(),
    "federation_structure_directors": Structure.directors.through.objects.count(),
    "federation_partner": Partner.objects.count(),
    "federation_historicalpartner": Partner.history.count(),
    "federation_territory": Territory.objects.count(),
    "federation_historicalterritory": Territory.history.count(),
    "federation_reportingreminder": ReportingReminder.objects.count(),
    "indicators_boardmeeting": BoardMeeting.objects.count(),
    "indicators_historicalboardmeeting": BoardMeeting.history.count(),
    "actions_action_structures": Action.structures.through.objects.count(),
    "actions_actionpartner": Action.partners.through.objects.count(),
    "groups": {
        group.name: sorted(
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list("content_type__app_label", "codename")
        )
        for group in Group.objects.all()
    },
    "edited": edited,
}))
"""


def query(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_migrating_an_old_layout_database_keeps_every_row_and_the_new_apps_read_them(tmp_path):
    database = tmp_path / "old_layout.sqlite3"
    with gzip.open(OLD_LAYOUT_DB) as source, database.open("wb") as copy:
        shutil.copyfileobj(source, copy)
    before = read_every_row(database)
    moving = {old.replace(".", "_") for old in MOVED_MODELS} | {"federation_structure_directors"}
    assert all(before[table] for table in moving), "the fixture fills every table that moves"
    # Role groups' permissions and admin log entries, by the content types' old labels.
    old_groups = query(
        database,
        """SELECT g.name, ct.app_label || '.' || ct.model, p.codename FROM auth_group g
        JOIN auth_group_permissions gp ON gp.group_id = g.id JOIN auth_permission p ON p.id = gp.permission_id
        JOIN django_content_type ct ON ct.id = p.content_type_id""",
    )
    old_permissions = query(
        database,
        """SELECT ct.app_label || '.' || ct.model, p.codename FROM auth_permission p
        JOIN django_content_type ct ON ct.id = p.content_type_id""",
    )
    old_log = query(
        database,
        """SELECT l.id, ct.app_label || '.' || ct.model, l.object_id FROM django_admin_log l
        JOIN django_content_type ct ON ct.id = l.content_type_id ORDER BY l.id""",
    )

    # The system checks (URLs, templates…) have their own tests; this one is about the rows.
    run(database, "manage.py", "migrate", *MOVE, "--no-input", "--skip-checks")
    after = read_every_row(database)

    # Nothing but the bookkeeping changed: same tables, indexes and schema, same rows in every table.
    changed = sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
    # auth_group: the roles' sync renamed the board's group « Conseil d’administration » (network.roles.FORMER_NAMES).
    assert changed == ["auth_group", "django_content_type", "django_migrations", "sqlite_sequence"]

    # Content types: the moved models' rows kept their id and model, only their app changed.
    lost = before["django_content_type"] - after["django_content_type"]
    gained = after["django_content_type"] - before["django_content_type"]
    assert sorted(f"{app}.{model}" for _, app, model in lost) == sorted(MOVED_MODELS)
    assert sorted(gained) == sorted((pk, *current_label(f"{app}.{model}").split(".")) for pk, app, model in lost)
    assert after["django_content_type"].total() == before["django_content_type"].total()

    # Migrations: the move's own were recorded, none was forgotten; SQLite's counter of their ids followed.
    assert not before["django_migrations"] - after["django_migrations"]
    added = after["django_migrations"] - before["django_migrations"]
    assert {(app, name) for _, app, name, _applied in added} == MOVE_MIGRATIONS
    sequences = dict(before["sqlite_sequence"].elements())
    sequences["django_migrations"] += len(MOVE_MIGRATIONS)
    assert dict(after["sqlite_sequence"].elements()) == sequences

    # The application, on the latest schema, reads the same rows through the new apps.
    read = json.loads(run(database, "-c", READ_THROUGH_NEW_APPS))
    counts = {table: count for table, count in read.items() if table not in ("groups", "edited")}
    assert counts == {table: before[table].total() for table in counts}

    expected_groups: dict[str, list[str]] = {}
    for name, label, codename in old_groups:
        # network 0006 renamed the board's group after the role's typographic apostrophe.
        expected_groups.setdefault(name.replace("'", "’"), []).append(
            f"{current_label(label).split('.')[0]}.{codename}"
        )
    # Every role keeps its permissions under the new labels; the roles' sync may add only those
    # of models the old layout did not have (a later app's, e.g. the publication's tokens).
    existed = {f"{current_label(label).split('.')[0]}.{codename}" for label, codename in old_permissions}
    assert read["groups"].keys() == expected_groups.keys()
    for name, codes in expected_groups.items():
        assert set(codes) <= set(read["groups"][name]), name
        assert not (set(read["groups"][name]) - set(codes)) & existed, name
    assert "network.view_structure" in read["groups"]["Conseil d’administration"]
    assert not [code for codes in read["groups"].values() for code in codes if code.startswith("federation.")]

    assert read["edited"] == [[pk, current_label(label), int(object_id)] for pk, label, object_id in old_log]
    assert {label for _, label, _ in read["edited"]} == {"network.structure", "network.partner"}


def test_every_model_kept_in_another_apps_table_is_listed_as_moved():
    """`MOVED_MODELS` (which `restore` reads) names every model whose table is still its old app's."""
    in_old_tables = {
        model._meta.label_lower: model._meta.db_table
        for model in apps.get_models()
        if Path(model._meta.app_config.path).parent == settings.BASE_DIR
        and not model._meta.db_table.startswith(f"{model._meta.app_label}_")
    }
    assert in_old_tables == {new: old.replace(".", "_") for old, new in MOVED_MODELS.items()}
