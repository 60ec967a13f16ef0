"""`manage.py requeue_abandoned_tasks`: what every `db_worker` does when it starts (cron-friendly)."""

from django.core.management.base import BaseCommand

from federation.tasks import requeue_abandoned
from toolkit.french import count


class Command(BaseCommand):
    help = "Remet dans la file les tâches qu’un worker arrêté a laissées « en cours » (ou les marque en échec)."

    def handle(self, *args, **options):
        outcome = requeue_abandoned()
        for task_id in outcome["requeued"]:
            self.stdout.write(f"Remise dans la file : {task_id}")
        for task_id in outcome["failed"]:
            self.stderr.write(f"Abandonnée après trop d’essais : {task_id}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{count(len(outcome['requeued']), 'tâche remise', 'tâches remises')} dans la file, "
                f"{len(outcome['failed'])} en échec."
            )
        )
