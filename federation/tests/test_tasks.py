"""Tasks a dead worker left « running » are put back in the queue, then failed: never lost."""

import datetime
import os
import socket

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from actions.tests.factories import ActionFactory
from centres.models import ReportingReminder
from centres.tasks import send_reporting_reminders
from federation.tasks import requeue_abandoned, worker_id
from indicators.tests.factories import IndicatorFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
HERE = socket.gethostname()[:40]


def running(*workers: str, started_minutes_ago: int = 1) -> DBTaskResult:
    result = send_reporting_reminders.using(backend="database").enqueue()
    task = DBTaskResult.objects.get(pk=result.id)
    for worker in workers:
        task.claim(worker)
    task.started_at = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    task.save()
    return task


def status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_worker_ids_name_the_machine_and_the_process():
    host, pid, _ = worker_id().split(":")
    assert (host, int(pid)) == (HERE, os.getpid())
    assert len(worker_id()) <= 64


def test_a_task_whose_worker_process_is_gone_goes_back_in_the_queue():
    task = running(f"{HERE}:999999999:dead")
    assert requeue_abandoned() == {"requeued": [str(task.pk)], "failed": []}
    assert status(task) == TaskResultStatus.READY
    assert task.worker_ids == [f"{HERE}:999999999:dead"]  # the attempt stays counted


def test_a_task_of_a_live_worker_elsewhere_is_left_alone_until_it_is_stale(settings):
    settings.TASKS_ABANDONED_AFTER = 30 * 60
    fresh = running("autre-serveur:123:abc", started_minutes_ago=5)
    stale = running("autre-serveur:124:abc", started_minutes_ago=31)
    assert requeue_abandoned()["requeued"] == [str(stale.pk)]
    assert status(fresh) == TaskResultStatus.RUNNING


def test_a_task_its_workers_died_on_too_often_is_failed_visibly(settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    task = running(*(f"{HERE}:99999999{n}:dead" for n in range(3)))
    assert requeue_abandoned() == {"requeued": [], "failed": [str(task.pk)]}
    assert status(task) == TaskResultStatus.FAILED
    assert task.exception_class_path == "federation.tasks.WorkerLost"
    assert "3 essais" in task.traceback


class WorkerKilled(BaseException):
    """What SIGKILL does to a worker, as far as the code after it is concerned: nothing runs."""


class DiesAfterFirstMessage(EmailBackend):
    """Delivers the first e-mail, then the worker dies before the code after send() runs."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 1:
            raise WorkerKilled
        return sent


@pytest.fixture
def three_late_centres(db):
    action = ActionFactory()
    IndicatorFactory(name="Familles accueillies", actions=[action])
    centres = [StructureFactory(name=name) for name in ("Centre A", "Centre B", "Centre C")]
    action.structures.add(*centres)
    for centre in centres:
        director_for(centre, email=f"direction@{centre.name[-1].lower()}.example")
    return centres


# The real worker closes old connections between tasks (close_old_connections): on PostgreSQL
# that closes the test's own connection, so the test runs outside a wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_is_retried_and_sends_nothing_twice(three_late_centres, settings):
    # Queued in the database, claimed by a worker of this machine whose process is gone.
    result = send_reporting_reminders.using(backend="database").enqueue()
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(f"{HERE}:999999999:dead")
    settings.EMAIL_BACKEND = "federation.tests.test_tasks.DiesAfterFirstMessage"
    with pytest.raises(WorkerKilled):
        send_reporting_reminders.call()
    assert len(mail.outbox) == 1  # centre A's e-mail left; the worker died before recording it
    assert ReportingReminder.objects.get().delivery == ReportingReminder.Delivery.SENDING
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # what a dead worker leaves

    # The next worker to start puts it back in the queue, then runs it.
    assert requeue_abandoned()["requeued"] == [str(task.pk)]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="database",
        startup_delay=False,
        max_tasks=None,
        worker_id="test:1:worker",
        excluded_queue_names=[],
    ).run()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    # Every centre got exactly one e-mail: A's (uncertain, so never resent), then B's and C's.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["direction@a.example", "direction@b.example", "direction@c.example"]
    assert [line.split(" (")[0] for line in task.return_value["uncertain"]] == ["Centre A"]
    assert ReportingReminder.objects.filter(delivery=ReportingReminder.Delivery.SENT).count() == 2


def test_a_worker_gives_back_its_own_task_after_a_database_error():
    task = running("autre-serveur:1:vivant")
    assert requeue_abandoned() == {"requeued": [], "failed": []}  # its worker may still be on it
    assert requeue_abandoned(own_worker_id="autre-serveur:1:vivant")["requeued"] == [str(task.pk)]
    assert status(task) == TaskResultStatus.READY


def test_the_worker_waits_for_the_database_instead_of_stopping(monkeypatch):
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as upstream

    from federation.management.commands import db_worker

    calls = []

    def run_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(upstream.Worker, "run", run_once)
    monkeypatch.setattr(db_worker, "RETRY_AFTER", 0)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="database",
        startup_delay=False,
        max_tasks=None,
        worker_id="test:1:w",
        excluded_queue_names=[],
    )
    worker.run()
    assert len(calls) == 2
