"""What a person is told, in the app and by e-mail: an event that concerns them (a value of
their structure validated or returned, a comment where they wrote or follow, an answer to a
participation), and the daily digests (values waiting for staff, actions to update).

This app knows nothing of the plan: the apps above it say what happened and to whom
(`notifications.services.notify`); each notification keeps its own title, text and link.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VALUE_VALIDATED = "value_validated", _("Valeur validée")
    VALUE_RETURNED = "value_returned", _("Valeur renvoyée")
    COMMENT = "comment", _("Commentaire sur ce que j’écris ou suis")
    PARTICIPATION = "participation", _("Réponse à une participation")
    VALUES_WAITING = "values_waiting", _("Valeurs en attente de validation (équipe)")
    TO_UPDATE = "to_update", _("Actions à mettre à jour")


# Kinds made once a day by the digest task: « at once » means « in the day's digest ».
DAILY_KINDS = frozenset({Kind.VALUES_WAITING, Kind.TO_UPDATE})


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite")
    DIGEST = "digest", _("Dans un résumé quotidien")
    NEVER = "never", _("Jamais")


class NotificationQuerySet(models.QuerySet):
    def for_list(self, user):
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    # The event, as its app names it (« measurement-validated:12:<version> »): the database
    # refuses a second notification of one event to one person.
    key = models.CharField(_("événement"), max_length=200)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True, max_length=5000)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # Sent marker: set (in its own committed step) before the e-mail leaves, never sent twice.
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint("recipient", "key", name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """How a person wants one kind of notification; no row means « tout de suite »
    (« dans un résumé quotidien » for the daily kinds)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("envoi"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint("user", "kind", name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.get_delivery_display()}"


class Follow(models.Model):
    """A person follows an object of the plan (an action, an objective): told of its comments."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        constraints = [models.UniqueConstraint("user", "content_type", "object_id", name="follow_once")]

    def __str__(self):
        return f"{self.user} suit {self.content_type.name} {self.object_id}"


class DigestSent(models.Model):
    """One digest a day per person: recorded before the e-mail leaves, never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("résumé quotidien envoyé")
        verbose_name_plural = _("résumés quotidiens envoyés")
        constraints = [models.UniqueConstraint("user", "day", name="digest_once_a_day")]

    def __str__(self):
        return f"{self.user} · {self.day}"
