from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions.services.plan_import import plan_import
from axes.document import DocumentError


class Command(BaseCommand):
    help = "Importe le document du projet fédéral (texte UTF-8 ou Windows-1252). Tout ou rien."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Chemin du document texte.")
        parser.add_argument("--plan", dest="plan_title", default=None, help="Titre du projet fédéral à remplir.")
        parser.add_argument("--dry-run", action="store_true", help="Montre ce qui serait fait sans rien écrire.")
        parser.add_argument(
            "--utilisateur",
            dest="username",
            default=None,
            help="Identifiant de la personne qui importe, inscrite dans l'historique (sinon : « l'import »).",
        )

    def handle(self, *args, path, plan_title, dry_run, username, **options):
        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"Aucun utilisateur « {username} » : rien n'a été importé.") from error
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from error
        try:
            report = plan_import(source=data, plan_title=plan_title, dry_run=dry_run, user=user)
        except DocumentError as error:
            raise CommandError(f"Document refusé, rien n'a été enregistré : {error}") from error
        if dry_run:
            self.stdout.write("Simulation : rien n'a été enregistré.")
        for line in report.summary_lines():
            self.stdout.write(line)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Projet « {report.plan.title} » importé."))
