"""Tasks a dead worker left « running »: put back in the queue, or marked failed, never lost.

django-tasks-db marks a task « running » when a worker claims it and « successful » or
« failed » when it ends; a worker killed in between (SIGKILL, out of memory, power cut)
leaves it « running » for ever, and no other worker takes it. Our `db_worker` names each
worker after its machine and process (`host:pid:random`) and, when it starts, looks for such
tasks: one whose worker ran on this machine and whose process is gone, or one running for
longer than TASKS_ABANDONED_AFTER seconds whatever the machine, is put back in the queue; one
already tried TASKS_MAX_ATTEMPTS times is marked failed (the admin lists it, with why).
`manage.py requeue_abandoned_tasks` does the same from cron. Tasks must therefore be safe to
run again: the reminders are (centres.reminders records each e-mail before sending it).
"""

import datetime
import logging
import os
import secrets
import socket
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as a task's error when its worker died too many times while running it."""


def worker_id() -> str:
    """`host:pid:random`, at most 64 characters (django-tasks-db's limit)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _worker_is_gone(worker: str) -> bool:
    """Whether `worker` (a worker id of ours) ran on this machine in a process that is gone."""
    host, _, rest = worker.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
    return b"db_worker" not in command  # the pid now belongs to another program


def requeue_abandoned(*, now: datetime.datetime | None = None, own_worker_id: str = "") -> dict[str, list[str]]:
    """Put back in the queue, or mark failed, every task its worker abandoned. Returns their ids.

    `own_worker_id`: a live worker whose task a database error interrupted gives it back too.
    """
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.TASKS_ABANDONED_AFTER)
    outcome: dict[str, list[str]] = {"requeued": [], "failed": []}
    with transaction.atomic():
        for task in DBTaskResult.objects.running().select_for_update(skip_locked=True):
            last_worker = task.worker_ids[-1] if task.worker_ids else ""
            abandoned = _worker_is_gone(last_worker) or (own_worker_id and last_worker == own_worker_id)
            if not (abandoned or (task.started_at and task.started_at < stale_before)):
                continue
            if len(task.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
                error = WorkerLost(
                    f"Worker arrêté pendant la tâche à chacun de ses {len(task.worker_ids)} essais "
                    f"({', '.join(task.worker_ids)}) : elle n’est plus relancée."
                )
                task.set_failed(error)
                outcome["failed"].append(str(task.id))
                logger.error("Tâche %s (%s) abandonnée : %s", task.id, task.task_path, error)
                continue
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            outcome["requeued"].append(str(task.id))
            logger.warning(
                "Tâche %s (%s) remise dans la file : son worker %s s’est arrêté pendant l’essai %d.",
                task.id,
                task.task_path,
                last_worker,
                len(task.worker_ids),
            )
    return outcome
