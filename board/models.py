"""The board's own record: its meetings, from which « ce qui a changé » starts.

`BoardMeeting` lived in the `indicators` app until December 2026; its tables keep their names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BoardMeetingQuerySet(models.QuerySet):
    def last_before(self, day):
        """The latest meeting on or before `day`, or None."""
        return self.filter(date__lte=day).order_by("-date").first()


class BoardMeeting(models.Model):
    """A meeting of the board: « ce qui a changé depuis » starts, by default, at the last one."""

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    history = HistoricalRecords(table_name="indicators_historicalboardmeeting")

    objects = BoardMeetingQuerySet.as_manager()

    class Meta:
        db_table = "indicators_boardmeeting"
        verbose_name = _("réunion du conseil d'administration")
        verbose_name_plural = _("réunions du conseil d'administration")
        ordering = ["-date"]

    def __str__(self):
        return self.title or f"Conseil d'administration du {self.date:%d/%m/%Y}"
