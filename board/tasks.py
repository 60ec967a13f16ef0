"""The board's background task, run by `manage.py db_worker` (README « Tâches de fond »)."""

from django_tasks import task

from .reports import report_fail, report_generate


@task()
def generate_board_report(report_id: int) -> str:
    """Write the PDF of a report to the board (board.reports); returns its SHA-256.

    Safe to run again: a stored report is left as it is. A worker that dies mid-report leaves the
    task « running »; the next worker puts it back in the queue (federation.tasks), and
    board.reports.refresh tells the page. An error marks the report failed, then is raised so the
    task is recorded failed too (the admin of tasks shows its traceback).
    """
    try:
        return report_generate(report_id)
    except Exception:
        report_fail(report_id)
        raise


@task()
def refresh_board_page(kind: str, parts: list) -> None:
    """Compute a board page that readers are served as last computed (board.pages)."""
    from .pages import refresh

    refresh(kind, parts)
