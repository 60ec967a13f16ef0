"""The centres' background tasks, run by `manage.py db_worker` (README « Tâches de fond »)."""

from django_tasks import task

from indicators.models import period_label

from .digests import daily_digests_send
from .reminders import reporting_reminders_send


@task()
def send_reporting_reminders(period: str | None = None, structure_ids: list[int] | None = None) -> dict[str, list[str]]:
    """E-mail the directors of late structures (centres.reminders: never twice, even on retry).

    A worker that dies mid-task leaves it « running »; the next worker puts it back in the
    queue (federation.tasks), and the retry sends only what was not recorded yet.
    """
    report = reporting_reminders_send(period=period, structure_ids=structure_ids)
    return {
        "sent": [f"{r.structure} ({period_label(r.period)}) → {r.recipients}" for r in report.sent],
        "already_sent": [f"{s} ({period_label(p)})" for s, p in report.already_sent],
        "uncertain": [f"{s} ({period_label(p)})" for s, p in report.uncertain],
        "without_address": [f"{s} ({period_label(p)})" for s, p in report.without_address],
    }


@task()
def send_daily_digests() -> dict[str, int]:
    """The day's digests (centres.digests): one e-mail per person and day, never two."""
    return daily_digests_send()
