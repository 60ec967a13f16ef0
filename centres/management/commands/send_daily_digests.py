"""python manage.py send_daily_digests — queue the day's digests (run daily by cron, e.g. 7 h)."""

from django.core.management.base import BaseCommand
from django_tasks import TaskResultStatus

from centres.tasks import send_daily_digests
from toolkit.french import count


class Command(BaseCommand):
    help = "Envoie le résumé quotidien des notifications (une fois par personne et par jour)."

    def handle(self, *args, **options):
        result = send_daily_digests.enqueue()
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"{count(result.return_value['sent'], 'résumé envoyé', 'résumés envoyés')}.")
        else:
            self.stdout.write(f"Résumés confiés au worker (tâche {result.id}).")
