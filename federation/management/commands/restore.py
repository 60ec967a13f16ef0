"""Rebuild an empty, migrated database (and the uploaded files) from a `backup` archive.

An archive made before a model changed app (toolkit.moves) is read with the model's name of today.
"""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from toolkit.moves import current_label

from .backup import ARCHIVE_FORMAT, applied_migrations

# Rows `migrate` writes by itself: content types and permissions, the role groups (network.roles)
# and the default classification lists (indicators' 0002_seed_lists migration).
FILLED_BY_MIGRATE = {
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group",
    "sessions.Session",
    "indicators.ValueChainStage",
    "indicators.ImpactDimension",
}
# Of those, the ones the archive holds: `restore` empties them and loads the archive's rows, ids included.
REPLACED_BY_ARCHIVE = ["auth.Group", "indicators.ValueChainStage", "indicators.ImpactDimension"]


def database_holds_data() -> bool:
    """True when any table holds a row, other than those `migrate` fills by itself."""
    return any(
        model._base_manager.exists() for model in apps.get_models() if model._meta.label not in FILLED_BY_MIGRATE
    )


def rename_moved_models(objects: list[dict]) -> bool:
    """Name every model of the archive's rows as today (toolkit.moves), in place; True when one
    was renamed. An archive made before a model changed app names it, its content type
    ([app, model], in admin log entries) and its permissions ([codename, app, model], in groups
    and users) by the old app."""

    def content_type(key):
        if isinstance(key, list) and len(key) == 2:
            return current_label(".".join(key)).split(".")
        return key

    def permission(key):
        if isinstance(key, list) and len(key) == 3:
            return [key[0], *content_type(key[1:])]
        return key

    translate = {ContentType: content_type, Permission: permission}
    renamed = False
    for row in objects:
        label = current_label(row["model"])
        renamed |= label != row["model"]
        row["model"] = label
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue  # loaddata says what is wrong with it
        fields = row.get("fields", {})
        for field in model._meta.get_fields():
            key = translate.get(field.related_model) if field.concrete else None
            if key is None or field.name not in fields:
                continue
            value = fields[field.name]
            fields[field.name] = [key(item) for item in value] if field.many_to_many else key(value)
            renamed |= fields[field.name] != value
    return renamed


def one_action_to_many(objects: list[dict]) -> bool:
    """An archive made before an indicator could evaluate several actions (indicators' migration
    0011) gives each its `action`: read as its `actions`; the history kept none. True when one was."""
    changed = False
    for row in objects:
        fields = row.get("fields", {})
        if row["model"] in ("indicators.indicator", "indicators.historicalindicator") and "action" in fields:
            action = fields.pop("action")
            if row["model"] == "indicators.indicator":
                fields["actions"] = [] if action is None else [action]
            changed = True
    return changed


class Command(BaseCommand):
    help = "Restaure une archive de `backup` dans une base vide (après `migrate`)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive .tar.gz écrite par `manage.py backup`.")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"Archive introuvable : {path}.")
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with tarfile.open(path, "r:gz") as tar:
                    tar.extractall(tmp, filter="data")
            except (tarfile.TarError, OSError, EOFError) as error:
                raise CommandError(f"Archive illisible : {error}.") from error
            root = Path(tmp)
            manifest = self._manifest(root)
            if database_holds_data():
                raise CommandError(
                    "La base contient déjà des données : la restauration se fait dans une base vide "
                    "(créez-la, lancez `migrate`, puis `restore`)."
                )
            data = root / "data.json"
            try:
                objects = json.loads(data.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"Archive illisible : {error}.") from error
            if rename_moved_models(objects) | one_action_to_many(objects):
                data.write_text(json.dumps(objects), encoding="utf-8")
            # The archive holds the history as it was: loading it writes none of its own (loaddata
            # sets many-to-many fields, whose history would otherwise record a change per row).
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                for label in REPLACED_BY_ARCHIVE:
                    apps.get_model(label)._base_manager.all().delete()
                call_command("loaddata", str(data), verbosity=0)
            media = root / "media"
            if media.is_dir():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée : {manifest['objects']} objets."))

    def _manifest(self, root: Path) -> dict:
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(
                "Ce n’est pas une archive de sauvegarde du projet fédéral (manifeste absent)."
            ) from error
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise CommandError(f"Format d’archive {manifest.get('format')} inconnu (attendu : {ARCHIVE_FORMAT}).")
        current = applied_migrations()
        newer = {app: name for app, name in manifest["migrations"].items() if current.get(app, "") < name}
        if newer:
            raise CommandError(
                "L’archive vient d’une version plus récente de l’application (migrations "
                + ", ".join(f"{app}.{name}" for app, name in sorted(newer.items()))
                + ") : mettez l’application à jour avant de restaurer."
            )
        return manifest
