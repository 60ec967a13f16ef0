"""Backup and restore round-trip the demo data, table by table."""

import importlib
import io
import json
import re
import tarfile
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from board.models import BoardMeeting
from centres.models import ReportingReminder
from federation.management.commands.backup import EXCLUDED
from federation.management.commands.restore import database_holds_data, rename_moved_models
from network.models import Partner, Structure, Territory
from toolkit.moves import current_label

# `backup` of a database on the layout before the December 2026 moves (commit 7af335e: seed_demo
# and a row in every table that moved): it names "federation.structure", "indicators.boardmeeting"…
OLD_LAYOUT_BACKUP = Path(__file__).resolve().parent / "fixtures" / "old_layout_backup.tar.gz"


def dump() -> list:
    """Every row of every backed-up table, in a stable order (many-to-many lists sorted:
    the database returns them in no particular order)."""
    import json

    out = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, stdout=out)
    # Django's serializer keeps milliseconds and drops the fraction when it is zero: a time
    # saved at 09.000412 is written 09.000, restored as 09.000000 and written again as 09.
    # Both mean the same instant to the millisecond a backup keeps; write them alike.
    text = re.sub(r"(T\d\d:\d\d:\d\d)(Z|[+-]\d\d:\d\d)", r"\1.000\2", out.getvalue())
    rows = json.loads(text)
    for row in rows:
        for name, value in row["fields"].items():
            if isinstance(value, list) and all(isinstance(item, list | int | str) for item in value):
                row["fields"][name] = sorted(value, key=repr)
    return sorted(rows, key=lambda row: (row["model"], str(row["pk"])))


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_back_every_row(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "preuves").mkdir(parents=True)
    (settings.MEDIA_ROOT / "preuves" / "bilan.pdf").write_bytes(b"%PDF-1.4 demo")
    call_command("seed_demo", stdout=io.StringIO())
    before = dump()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        assert {"manifest.json", "data.json", "media/preuves/bilan.pdf"} <= set(tar.getnames())
        archived = Counter(row["model"] for row in json.load(tar.extractfile("data.json")))
    # The links each history row holds (m2m_fields) are part of the history, hence of the backup.
    assert archived["actions.historicalaction_objectives"] > 0
    assert archived["indicators.historicalindicator_objectives"] > 0

    call_command("flush", interactive=False)
    (settings.MEDIA_ROOT / "preuves" / "bilan.pdf").unlink()
    assert dump() != before

    call_command("restore", str(archive), stdout=io.StringIO())

    assert dump() == before
    assert (settings.MEDIA_ROOT / "preuves" / "bilan.pdf").read_bytes() == b"%PDF-1.4 demo"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(tmp_path, seeded_plan):
    archive = tmp_path / "a.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="base vide"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_something_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "photo.tar.gz"
    bogus.write_bytes(b"not a tarball at all")
    with pytest.raises(CommandError, match="illisible"):
        call_command("restore", str(bogus))


@pytest.mark.django_db
def test_an_archive_made_before_the_models_moved_restores_into_a_freshly_migrated_database():
    with tarfile.open(OLD_LAYOUT_BACKUP) as tar:
        archived = json.load(tar.extractfile("data.json"))
    in_archive = Counter(row["model"] for row in archived)
    # The database as `migrate` leaves it: content types, permissions, role groups and the default
    # classification lists (a transactional test's flush may have emptied those: seed them again).
    importlib.import_module("indicators.migrations.0002_seed_lists").seed(apps, None)
    assert not database_holds_data()

    call_command("restore", str(OLD_LAYOUT_BACKUP), stdout=io.StringIO())

    assert Structure.objects.count() == in_archive["federation.structure"] > 0
    assert Structure.directors.through.objects.count() == sum(
        len(row["fields"]["directors"]) for row in archived if row["model"] == "federation.structure"
    )
    assert Partner.objects.count() == in_archive["federation.partner"] > 0
    assert Territory.objects.count() == in_archive["federation.territory"] > 0
    assert Structure.history.count() == in_archive["federation.historicalstructure"] > 0
    assert BoardMeeting.objects.count() == in_archive["indicators.boardmeeting"] > 0
    assert BoardMeeting.history.count() == in_archive["indicators.historicalboardmeeting"] > 0
    assert ReportingReminder.objects.count() == in_archive["federation.reportingreminder"] > 0
    # Every other row is back too, each model under its name of today.
    assert {label: apps.get_model(current_label(label))._base_manager.count() for label in in_archive} == in_archive

    # The role groups got their permissions back, under the apps their models belong to today.
    for row in (row for row in archived if row["model"] == "auth.group"):
        group = Group.objects.get(name=row["fields"]["name"])
        restored = group.permissions.values_list("codename", "content_type__app_label", "content_type__model")
        assert sorted(restored) == sorted(
            (codename, *current_label(f"{app}.{model}").split("."))
            for codename, app, model in row["fields"]["permissions"]
        )
        assert {"view_structure", "view_boardmeeting"} <= {codename for codename, _, _ in restored}
    for group in Group.objects.all():
        assert group.permissions.filter(content_type__app_label="network", codename="view_structure").exists()
        assert group.permissions.filter(content_type__app_label="board", codename="view_boardmeeting").exists()
    # Admin log entries about a structure or a partner still lead to it.
    assert sorted(type(entry.get_edited_object()).__name__ for entry in LogEntry.objects.all()) == [
        "Partner",
        "Structure",
    ]
    # The database goes on: a new structure and its history get ids of their own (sequences reset).
    assert Structure.objects.create(name="Structure créée après la restauration").history.count() == 1


def test_restore_names_moved_models_their_permissions_and_content_types_as_today():
    rows = [
        {"model": "indicators.boardmeeting", "pk": 1, "fields": {"title": "CA"}},
        {
            "model": "auth.user",
            "pk": 1,
            "fields": {"user_permissions": [["change_structure", "federation", "structure"]]},
        },
        {"model": "admin.logentry", "pk": 1, "fields": {"content_type": ["federation", "reportingreminder"]}},
        {"model": "axes.plan", "pk": 1, "fields": {"title": "Projet"}},
    ]
    assert rename_moved_models(rows)
    assert [row["model"] for row in rows] == ["board.boardmeeting", "auth.user", "admin.logentry", "axes.plan"]
    assert rows[1]["fields"]["user_permissions"] == [["change_structure", "network", "structure"]]
    assert rows[2]["fields"]["content_type"] == ["centres", "reportingreminder"]
    assert not rename_moved_models(rows), "an archive of today's layout is left as it is"
