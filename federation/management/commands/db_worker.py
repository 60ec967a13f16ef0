"""`manage.py db_worker`: django-tasks-db's worker, which first puts back abandoned tasks
and outlives a database restart.

Same options as django-tasks-db's (`--help`); the default worker id names the machine and
the process (federation.tasks.worker_id), so that the next worker can tell a dead one's task.
django-tasks-db's worker stops on any database error but a lock; ours waits for the
database to come back (`make faults` restarts PostgreSQL under it), then puts its own
interrupted task back in the queue.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from federation.tasks import requeue_abandoned, worker_id

logger = logging.getLogger("django_tasks_db")
RETRY_AFTER = 5


class Worker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    raise
                logger.warning("Base de données injoignable (%s) : nouvel essai dans %d s.", error, RETRY_AFTER)
                connections.close_all()
                time.sleep(RETRY_AFTER)
                try:
                    requeue_abandoned(own_worker_id=self.worker_id)
                except (OperationalError, InterfaceError):
                    connections.close_all()


class Command(db_worker.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        requeue_abandoned()
        # django-tasks-db's handle() builds its module's Worker: ours, for this command.
        db_worker.Worker = Worker
        super().handle(*args, **options)
