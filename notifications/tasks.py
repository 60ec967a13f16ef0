"""Notification e-mails, sent by the worker (`manage.py db_worker`)."""

from django_tasks import task

from .services import notifications_email


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications not e-mailed yet (a retry never sends one twice)."""
    return notifications_email(notification_ids)
