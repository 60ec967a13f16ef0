import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from actions.services.plan_import import plan_import
from axes.document import DocumentError


def parse_period(text: str) -> tuple[int, int]:
    """« 2019-2023 » (or « 2019–2023 », « 2019/2023 ») → (2019, 2023); CommandError in French otherwise."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*", text)
    if match is None:
        raise CommandError(
            f"Période « {text} » illisible : écrivez l’année de début et l’année de fin, par exemple 2019-2023. "
            "Rien n’a été importé."
        )
    start, end = int(match.group(1)), int(match.group(2))
    if end < start:
        raise CommandError(
            f"Période « {text} » à l’envers : l’année de fin ({end}) précède l’année de début ({start}). "
            "Rien n’a été importé."
        )
    return start, end


class Command(BaseCommand):
    help = (
        "Importe le document du projet fédéral (Word .docx, OpenDocument .odt, PDF avec son texte, ou texte "
        "UTF-8 / Windows-1252). Tout ou rien. Réimporté, il garde ce qui a été modifié dans l’application "
        "quand le document n’a pas changé ; en cas de conflit (modifié des deux côtés), la version de "
        "l’application est gardée sauf --prefer-document."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Chemin du document (.docx, .odt, .pdf ou .txt).")
        parser.add_argument("--plan", dest="plan_title", default=None, help="Titre du projet fédéral à remplir.")
        parser.add_argument(
            "--period",
            default=None,
            help="Période du projet, par exemple 2019-2023 (sinon celle que le document indique, s’il en indique une).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Montre ce qui serait fait sans rien écrire.")
        parser.add_argument(
            "--prefer-document",
            action="store_true",
            help="En cas de conflit (un élément modifié dans l’application et dans le document), prendre la version "
            "du document (par défaut : celle de l’application est gardée et signalée).",
        )
        parser.add_argument(
            "--trash-absent",
            action="store_true",
            help="Mettre à la corbeille les éléments importés auparavant que le document n’a plus "
            "(par défaut : signalés et laissés en place).",
        )
        parser.add_argument(
            "--utilisateur",
            dest="username",
            default=None,
            help="Identifiant de la personne qui importe, inscrite dans l’historique (sinon : « l’import »).",
        )

    def handle(self, *args, path, plan_title, period, dry_run, username, prefer_document, trash_absent, **options):
        start_year, end_year = parse_period(period) if period is not None else (None, None)
        user = None
        if username:
            try:
                user = get_user_model().objects.get(username=username)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"Aucun utilisateur « {username} » : rien n’a été importé.") from error
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from error
        try:
            report = plan_import(
                source=data,
                plan_title=plan_title,
                start_year=start_year,
                end_year=end_year,
                document_name=Path(path).name,
                dry_run=dry_run,
                prefer_document=prefer_document,
                user=user,
                trash_absent=trash_absent,
            )
        except DocumentError as error:
            raise CommandError(f"Document refusé, rien n’a été enregistré : {error}") from error
        if dry_run:
            self.stdout.write("Simulation : rien n’a été enregistré.")
        for line in report.summary_lines():
            self.stdout.write(line)
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Projet « {report.plan.title} » importé."))
