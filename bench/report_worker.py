"""The report to the board as the worker makes it (issue 15): worker time and peak memory.

    .venv/bin/python bench/report_worker.py [--scale national]

Queues the generation of a report to the board for the national plan (a throwaway board meeting),
runs one `manage.py db_worker --batch` process that does it and nothing else, and reports the
task's time on the worker (its start to its end, as django-tasks-db records them), the whole
process's time (Django's start included), its CPU time (user + system: on a shared machine the
wall-clock times grow with the others' load, this much less) and its peak resident memory (the
kernel's `ru_maxrss` for that process), with the PDF's pages and the machine's load average. Everything it wrote (meeting, report, file, task) is deleted afterwards.
`make bench` runs it after the other measures (bench/run.py); goals: < 5 s, < 250 MB.
"""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_url, log, setup_django  # noqa: E402

SECONDS_GOAL = 5.0
RSS_GOAL_MB = 250


def measure(plan) -> dict:
    """Generate the report of `plan` in a worker process of its own; its numbers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_tasks_db.models import DBTaskResult

    from board import reports
    from board.models import BoardMeeting, BoardReport
    from network import roles
    from toolkit import aggregates

    User = get_user_model()
    staff = User.objects.create_user(username=f"bench-rapport-{os.getpid()}", password=None)
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    staff = User.objects.get(pk=staff.pk)  # permissions read afresh
    day = datetime.date(1999, 12, 31)  # a date no real meeting has (the form refuses before 2000)
    meeting, _ = BoardMeeting.objects.get_or_create(date=day, defaults={"title": "Banc d'essai"})
    aggregates.forget_all()  # the worker computes the figures, as on the day of a real meeting
    report = reports.report_request(user=staff, meeting=meeting, plan=plan)
    load_average = round(os.getloadavg()[0], 1)
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    _pid, status, usage = os.wait4(worker.pid, 0)
    process_seconds = time.perf_counter() - started
    report.refresh_from_db()
    task = DBTaskResult.objects.get(pk=report.task_id)
    try:
        worker_seconds = (task.finished_at - task.started_at).total_seconds() if task.finished_at else None
        rss_mb = round(usage.ru_maxrss / 1024)  # kB on Linux
        return {
            "status": report.status,
            "exit_code": os.waitstatus_to_exitcode(status),
            "worker_seconds": round(worker_seconds, 2) if worker_seconds is not None else None,
            "process_seconds": round(process_seconds, 2),
            # On a shared machine the wall-clock times above grow with the others' load; the
            # process's own CPU time does not (much): both are reported.
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": rss_mb,
            "size_kb": round((report.size or 0) / 1024),
            "pages": _pages(report) if report.file else None,
            "load_average": load_average,  # the machine's, over the minute before: others' work slows ours
            "goal_met": bool(worker_seconds is not None and worker_seconds < SECONDS_GOAL and rss_mb < RSS_GOAL_MB),
            "error": report.error,
        }
    finally:
        if report.file:
            report.file.delete(save=False)
        BoardReport.objects.filter(pk=report.pk).delete()
        task.delete()
        meeting.delete()
        staff.delete()


def _pages(report) -> int:
    import io

    from pypdf import PdfReader

    with report.file.open("rb") as stored:
        return len(PdfReader(io.BytesIO(stored.read())).pages)


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="national")
    args = parser.parse_args()
    url, described = database_url()
    log(f"Base de données : {described}")
    setup_django(url)
    from bench.common import prepare_national
    from demo.generate import generated_plan

    prepare_national(args.scale)
    log("Rapport au conseil produit par un worker…")
    log(f"  {measure(generated_plan())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
