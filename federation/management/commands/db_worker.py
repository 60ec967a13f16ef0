"""`manage.py db_worker`: django-tasks-db's worker, which first puts back abandoned tasks.

Same options as django-tasks-db's (`--help`); the default worker id names the machine and
the process (federation.tasks.worker_id), so that the next worker can tell a dead one's task.
"""

from django_tasks_db.management.commands import db_worker

from federation.tasks import requeue_abandoned, worker_id


class Command(db_worker.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id())

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        requeue_abandoned()
        super().handle(*args, **options)
