"""python manage.py send_reporting_reminders [--period 2024] [--dry-run]

Queues the task `centres.tasks.send_reporting_reminders`, which the worker (`manage.py
db_worker`) runs; with --dry-run, says at once to whom it would write, sending nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from centres.reminders import reporting_reminders_send
from centres.tasks import send_reporting_reminders
from indicators.models import period_label, period_validator


class Command(BaseCommand):
    help = "Écrit aux directions des structures en retard dans leurs saisies (une fois par structure et par période)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Période à relancer (2024, 2024-S1…) ; par défaut la dernière échue.")
        parser.add_argument("--dry-run", action="store_true", help="Dire à qui on écrirait, sans rien envoyer.")

    def handle(self, *args, period=None, dry_run=False, **options):
        if period:
            period = period.strip().upper()
            try:
                period_validator(period)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        if dry_run:
            report = reporting_reminders_send(period=period, dry_run=True)
            for structure, late_period, recipients in report.would_send:
                self.stdout.write(f"À relancer : {structure} ({period_label(late_period)}) → {', '.join(recipients)}")
            self._write_report(
                {
                    "already_sent": [f"{s} ({period_label(p)})" for s, p in report.already_sent],
                    "uncertain": [f"{s} ({period_label(p)})" for s, p in report.uncertain],
                    "without_address": [f"{s} ({period_label(p)})" for s, p in report.without_address],
                }
            )
            count = len(report.would_send)
            self.stdout.write(self.style.SUCCESS(f"{count} relance{'s' if count > 1 else ''} à envoyer."))
            return
        result = send_reporting_reminders.enqueue(period=period)
        if result.status == TaskResultStatus.READY:
            self.stdout.write(
                f"Relances confiées au worker (tâche {result.id}) : `manage.py db_worker` les envoie "
                "dès qu’il la prend."
            )
            return
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(f"Les relances ont échoué : {result.errors[-1].traceback.strip().splitlines()[-1]}")
        self._write_report(result.return_value)

    def _write_report(self, report: dict[str, list[str]]) -> None:
        for line in report.get("sent", []):
            self.stdout.write(f"Relance envoyée : {line}")
        for line in report.get("already_sent", []):
            self.stdout.write(f"Déjà relancée : {line}")
        for line in report.get("uncertain", []):
            self.stderr.write(
                f"Envoi interrompu, non renvoyé : {line} (vérifiez auprès de la structure, puis supprimez "
                "la relance dans l’administration pour la renvoyer)."
            )
        for line in report.get("without_address", []):
            self.stderr.write(f"Aucune adresse de direction pour {line} : personne n’est relancé.")
        if "sent" in report:
            count = len(report["sent"])
            self.stdout.write(
                self.style.SUCCESS(f"{count} relance{'s' if count > 1 else ''} envoyée{'s' if count > 1 else ''}.")
            )
