"""What the site itself records: security events, and the history of accounts.

The plan's, the network's and the indicators' models keep their own history
(django-simple-history) in their apps; accounts belong to Django's `auth`, so the site
registers theirs here, with the roles (groups) they hold. The password and the last login
are not kept: a hash has no business in a history, and a login is a security event, not an
edit of the account.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from toolkit.french import long_datetime

register(
    User,
    app="federation",
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups"],
    verbose_name=_("historique des comptes"),
)


class SecurityEventQuerySet(models.QuerySet):
    def for_audit(self):
        return self.select_related("user").order_by("-at", "-pk")


class SecurityEvent(models.Model):
    """One security event, also written to the logs as a JSON line (federation.security)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Connexion")
        LOGOUT = "logout", _("Déconnexion")
        LOGIN_FAILED = "login_failed", _("Connexion refusée")
        LOGIN_THROTTLED = "login_throttled", _("Connexion bloquée (trop d’essais)")
        THROTTLED = "throttled", _("Requêtes limitées (429)")
        FORBIDDEN = "forbidden", _("Accès refusé (403)")
        DATA_EXPORTED = "data_exported", _("Données personnelles exportées")
        ACCOUNT_ANONYMISED = "account_anonymised", _("Compte anonymisé")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    event = models.CharField(_("événement"), max_length=30, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        help_text=_("Le compte connecté, ou celui dont on a tapé l’identifiant."),
    )
    username = models.CharField(_("identifiant saisi ou utilisé"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    path = models.CharField(_("adresse demandée"), max_length=500, blank=True)
    method = models.CharField(_("méthode"), max_length=10, blank=True)
    detail = models.CharField(_("détail"), max_length=300, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("événements de sécurité")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="security_event_user_at")]

    def __str__(self):
        return f"{self.get_event_display()} · {self.username or '-'} · {long_datetime(self.at)}"
