"""Delete the security events older than a retention period (docs/donnees-personnelles.md)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from federation.models import SecurityEvent
from toolkit.french import NBSP, count

DEFAULT_DAYS = 365


class Command(BaseCommand):
    help = "Supprime les événements de sécurité de plus de --jours jours (365 par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("--jours", type=int, default=DEFAULT_DAYS, help="Durée de conservation, en jours.")

    def handle(self, *args, jours: int, **options):
        limit = timezone.now() - datetime.timedelta(days=max(jours, 1))
        deleted, _ = SecurityEvent.objects.filter(at__lt=limit).delete()
        self.stdout.write(
            f"Événements de sécurité de plus de {count(jours, 'jour', 'jours')} supprimés{NBSP}: {deleted}."
        )
