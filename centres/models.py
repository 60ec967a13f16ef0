"""The centres' space: what the reminders command has sent to a structure."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import period_label


class ReportingReminderQuerySet(models.QuerySet):
    def for_log(self):
        """The reminders sent, newest first, with their structure (the log on « Qui a transmis »)."""
        return self.select_related("structure").order_by("-sent_at", "-pk")


class ReportingReminder(models.Model):
    """A reminder e-mailed to a structure's directors for a reporting period.

    One per (structure, period): the reminder command never writes twice to the same
    structure about the same period. It belongs to the centres' space, which decides
    who is late. Its table keeps the name it had in the `federation` app.
    """

    structure = models.ForeignKey(
        "network.Structure",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="reporting_reminders",
    )
    period = models.CharField(_("période"), max_length=10)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    recipients = models.TextField(_("destinataires"), blank=True)

    class Delivery(models.TextChoices):
        # Recorded (and committed) before the e-mail leaves, marked sent once it has: a
        # worker that dies in between leaves « sending », which is never sent again by itself
        # (the e-mail may have left) and is reported as uncertain until staff delete the record.
        SENDING = "sending", _("envoi en cours ou interrompu")
        SENT = "sent", _("envoyée")

    delivery = models.CharField(_("envoi"), max_length=10, choices=Delivery.choices, default=Delivery.SENT)
    history = HistoricalRecords()

    objects = ReportingReminderQuerySet.as_manager()

    class Meta:
        db_table = "federation_reportingreminder"
        verbose_name = _("relance de saisie")
        verbose_name_plural = _("relances de saisie")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint("structure", "period", name="reporting_reminder_once_per_period")]

    def __str__(self):
        return f"{self.structure} · {self.period}"

    @property
    def period_label(self) -> str:
        return period_label(self.period)
