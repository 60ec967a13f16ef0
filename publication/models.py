"""Partners' read-only tokens for the open API (issue 17).

A token is named after the partner it was given to (« Caf de la Drôme »), not after a person:
it reads the whole plan, never an unvalidated value nor personal data. Only a digest of the key
is stored; the key is shown once, when staff create it. Revoking keeps the row (who, when).
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class PartnerTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_key(self, key: str) -> "PartnerToken | None":
        """The live token whose key is `key`, or None."""
        return self.active().filter(key_digest=digest(key)).first()


class PartnerToken(models.Model):
    KEY_BYTES = 32

    name = models.CharField(
        _("partenaire"), max_length=200, help_text=_("Le nom du partenaire à qui le jeton est remis.")
    )
    key_digest = models.CharField(_("empreinte de la clé"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("révoqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)

    objects = PartnerTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d’un partenaire")
        verbose_name_plural = _("jetons des partenaires")
        ordering = ["revoked_at", "name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(PartnerToken.KEY_BYTES)
