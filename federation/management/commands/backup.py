"""Write a complete, versioned archive of the application: every table and uploaded file."""

import io
import json
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_FORMAT = 1
# Rebuilt by `migrate` (content types, permissions) or transient (sessions).
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


def applied_migrations() -> dict[str, str]:
    """{app: name of its latest applied migration}: the schema the data belongs to."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


class Command(BaseCommand):
    help = "Sauvegarde complète (données et fichiers déposés) dans une archive .tar.gz versionnée."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help="Chemin de l’archive (par défaut : sauvegarde-AAAAMMJJ-HHMMSS.tar.gz dans le dossier courant).",
        )

    def handle(self, *args, output, **options):
        stamp = timezone.now()
        path = Path(output or f"sauvegarde-{stamp:%Y%m%d-%H%M%S}.tar.gz")
        data = io.StringIO()
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,  # permissions by (codename, app, model): their ids differ between databases
            use_base_manager=True,  # the trash and what it hides (axes.models.LiveManager) are kept too
            indent=None,
            stdout=data,
        )
        payload = data.getvalue().encode()
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created_at": stamp.isoformat(),
            "migrations": applied_migrations(),
            "objects": len(json.loads(payload)),
        }
        tmp = path.with_suffix(path.suffix + ".partial")
        with tarfile.open(tmp, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            _add_bytes(archive, "data.json", payload)
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                archive.add(media_root, arcname="media")
        tmp.replace(path)  # never leave a truncated archive under the final name
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {path} ({manifest['objects']} objets)."))


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))
