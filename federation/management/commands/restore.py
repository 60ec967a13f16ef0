"""Rebuild an empty, migrated database (and the uploaded files) from a `backup` archive."""

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from .backup import ARCHIVE_FORMAT, applied_migrations


def database_holds_data() -> bool:
    """True when any table holds a row, other than those `migrate` fills by itself."""
    filled_by_migrate = {"contenttypes.ContentType", "auth.Permission", "auth.Group", "sessions.Session"}
    return any(
        model._base_manager.exists() for model in apps.get_models() if model._meta.label not in filled_by_migrate
    )


class Command(BaseCommand):
    help = "Restaure une archive de `backup` dans une base vide (après `migrate`)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Archive .tar.gz écrite par `manage.py backup`.")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"Archive introuvable : {path}.")
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with tarfile.open(path, "r:gz") as tar:
                    tar.extractall(tmp, filter="data")
            except (tarfile.TarError, OSError, EOFError) as error:
                raise CommandError(f"Archive illisible : {error}.") from error
            root = Path(tmp)
            manifest = self._manifest(root)
            if database_holds_data():
                raise CommandError(
                    "La base contient déjà des données : la restauration se fait dans une base vide "
                    "(créez-la, lancez `migrate`, puis `restore`)."
                )
            with transaction.atomic():
                # The role groups `migrate` created come back from the archive, ids included.
                Group.objects.all().delete()
                call_command("loaddata", str(root / "data.json"), verbosity=0)
            media = root / "media"
            if media.is_dir():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Restauration terminée : {manifest['objects']} objets."))

    def _manifest(self, root: Path) -> dict:
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(
                "Ce n'est pas une archive de sauvegarde du projet fédéral (manifeste absent)."
            ) from error
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise CommandError(f"Format d'archive {manifest.get('format')} inconnu (attendu : {ARCHIVE_FORMAT}).")
        current = applied_migrations()
        newer = {app: name for app, name in manifest["migrations"].items() if current.get(app, "") < name}
        if newer:
            raise CommandError(
                "L'archive vient d'une version plus récente de l'application (migrations "
                + ", ".join(f"{app}.{name}" for app, name in sorted(newer.items()))
                + ") : mettez l'application à jour avant de restaurer."
            )
        return manifest
