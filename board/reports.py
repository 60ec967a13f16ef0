"""« Rapports au conseil »: the progress report generated for a board meeting, kept as a record.

`report_request` (a view's POST) records the request and queues the task (board.tasks); the
worker runs `report_generate`, which writes the PDF once, through the default storage
(toolkit.storage: no half-written file on a full disk), with its SHA-256. A stored report is
never regenerated: downloading it later gives the same bytes, whatever changed since.

A worker that dies mid-report leaves its task « running »: the next worker puts it back in the
queue or, after TASKS_MAX_ATTEMPTS, marks it failed (federation.tasks). `refresh` carries the
task's state onto the report each time the page asks, so a report is never left « en cours »
for ever: it says it was put back in the queue, or that it failed, in French.
"""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from axes.models import Plan

from .models import BoardMeeting, BoardReport

logger = logging.getLogger(__name__)

WORKER_LOST = (
    "Le programme qui fabrique les rapports s’est arrêté plusieurs fois pendant ce rapport : "
    "il n’a pas été produit. Relancez la génération ; si cela se répète, prévenez l’équipe technique."
)
FAILED = (
    "La génération du rapport a échoué : rien n’a été enregistré. Relancez-la ; "
    "si cela se répète, prévenez l’équipe technique."
)
REQUEUED = "Génération interrompue (arrêt du programme de fond) : elle reprendra d’elle-même."


@transaction.atomic
def report_request(*, user, meeting: BoardMeeting, plan: Plan) -> BoardReport:
    """Record a report for `meeting` and queue its generation. With the database backend the task's
    row is written in the same transaction as the report: both are kept, or neither."""
    if not user.has_perm("board.add_boardreport"):
        raise PermissionDenied("Seule l’équipe fédérale produit les rapports au conseil.")
    if BoardReport.objects.filter(meeting=meeting, status__in=["queued", "running"]).exists():
        raise ValidationError("Un rapport pour cette réunion est déjà en cours de génération.")
    report = BoardReport(meeting=meeting, plan=plan, requested_by=user, step="En attente d’un programme de fond")
    report.full_clean()
    report.save()
    _enqueue(report)
    report.refresh_from_db()
    return report


def _enqueue(report: BoardReport) -> None:
    from .tasks import generate_board_report

    result = generate_board_report.enqueue(report.pk)
    # The immediate backend (tests) has already run it; the database backend only queued it.
    BoardReport.objects.filter(pk=report.pk, task_id="").update(task_id=str(result.id))


def _step(report: BoardReport, progress: int, step: str, status: str = BoardReport.Status.RUNNING) -> None:
    report.status, report.progress, report.step = status, progress, step
    report.save(update_fields=["status", "progress", "step"])


def report_generate(report_id: int) -> str:
    """Write the report's PDF, unless it is already stored (a retried task does nothing twice).
    Each step is saved at once (no wrapping transaction) so that the page can show it."""
    from .pdf import render_report_pdf

    report = BoardReport.objects.select_related("meeting", "plan").get(pk=report_id)
    if report.status == BoardReport.Status.DONE:
        return report.sha256
    _step(report, 10, "Calcul des chiffres et des graphiques")
    pdf = render_report_pdf(report.plan, meeting=report.meeting, on_step=lambda p, s: _step(report, p, s))
    _step(report, 90, "Enregistrement du fichier")
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        report.file.save(report.filename, ContentFile(pdf), save=False)
        report.sha256, report.size, report.generated_at = digest, len(pdf), timezone.now()
        report.status, report.progress, report.step, report.error = BoardReport.Status.DONE, 100, "", ""
        report.save(update_fields=["file", "sha256", "size", "generated_at", "status", "progress", "step", "error"])
    return digest


def report_fail(report_id: int, message: str = FAILED) -> None:
    BoardReport.objects.filter(pk=report_id).exclude(status=BoardReport.Status.DONE).update(
        status=BoardReport.Status.FAILED, error=message, step=""
    )


def refresh(reports: list[BoardReport]) -> list[BoardReport]:
    """Carry each pending report's task state onto it: failed by the worker's watchdog (its
    worker died too often) or by an error → failed, with a French message; put back in the queue
    → says so. One query per pending report (there are rarely more than one)."""
    for report in reports:
        if not report.is_pending or not report.task_id:
            continue
        try:
            result = default_task_backend.get_result(report.task_id)
        except (TaskResultDoesNotExist, NotImplementedError):
            continue
        if result.status == TaskResultStatus.FAILED:
            lost = any(error.exception_class_path == "federation.tasks.WorkerLost" for error in result.errors)
            report_fail(report.pk, WORKER_LOST if lost else FAILED)
            report.refresh_from_db()
        elif result.status == TaskResultStatus.READY and report.status == BoardReport.Status.RUNNING:
            _step(report, 0, REQUEUED, status=BoardReport.Status.QUEUED)
    return reports


def verify(report: BoardReport) -> bool:
    """Whether the stored file still has the SHA-256 recorded when it was written."""
    digest = hashlib.sha256()
    with report.file.open("rb") as stored:
        for chunk in stored.chunks():
            digest.update(chunk)
    return digest.hexdigest() == report.sha256
