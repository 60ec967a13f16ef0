"""python manage.py send_reporting_reminders [--period 2024] [--dry-run]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centres.reminders import reporting_reminders_send
from indicators.models import period_label, period_validator


class Command(BaseCommand):
    help = "Écrit aux directions des structures en retard dans leurs saisies (une fois par structure et par période)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Période à relancer (2024, 2024-S1…) ; par défaut la dernière échue.")
        parser.add_argument("--dry-run", action="store_true", help="Dire à qui on écrirait, sans rien envoyer.")

    def handle(self, *args, period=None, dry_run=False, **options):
        if period:
            period = period.strip().upper()
            try:
                period_validator(period)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        report = reporting_reminders_send(period=period, dry_run=dry_run)
        for reminder in report.sent:
            self.stdout.write(
                f"Relance envoyée : {reminder.structure} ({period_label(reminder.period)}) → {reminder.recipients}"
            )
        for structure, late_period, recipients in report.would_send:
            self.stdout.write(f"À relancer : {structure} ({period_label(late_period)}) → {', '.join(recipients)}")
        for structure, late_period in report.already_sent:
            self.stdout.write(f"Déjà relancée : {structure} ({period_label(late_period)})")
        for structure, late_period in report.without_address:
            self.stderr.write(
                f"Aucune adresse de direction pour {structure} ({period_label(late_period)}) : personne n'est relancé."
            )
        verb = "à envoyer" if dry_run else "envoyée"
        count = len(report.would_send) if dry_run else len(report.sent)
        self.stdout.write(
            self.style.SUCCESS(f"{count} relance{'s' if count > 1 else ''} {verb}{'s' if count > 1 else ''}.")
        )
