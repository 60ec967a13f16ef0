"""The network: territories, member structures and partners. Imports no other app."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Territory(models.Model):
    class Kind(models.TextChoices):
        DEPARTEMENT = "departement", _("Département")
        BASSIN = "bassin", _("Bassin de vie")
        COMMUNE = "commune", _("Commune")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Structure(models.Model):
    class Kind(models.TextChoices):
        CENTRE_SOCIAL = "centre_social", _("Centre social")
        EVS = "evs", _("Espace de vie sociale")
        FEDERATION = "federation", _("Fédération")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CENTRE_SOCIAL)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="structures",
    )
    directors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("direction"),
        blank=True,
        related_name="structures",
        help_text=_("Comptes « Direction de centre » de cette structure."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="structure_name_unique_ci")]

    def __str__(self):
        return self.name


class Partner(models.Model):
    class Kind(models.TextChoices):
        CAF = "caf", _("Caf")
        COLLECTIVITE = "collectivite", _("Collectivité")
        ETAT = "etat", _("État")
        FEDERATION = "federation", _("Fédération, réseau")
        ASSOCIATION = "association", _("Association")
        AUTRE = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.AUTRE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="partner_name_unique_ci")]

    def __str__(self):
        return self.name

    @staticmethod
    def guess_kind(name: str) -> str:
        """A sensible default kind from a partner's name, for partners found in documents."""
        lowered = name.lower()
        if lowered.startswith("caf") or " caf" in lowered:
            return Partner.Kind.CAF
        if "fédération" in lowered or "federation" in lowered or "réseau" in lowered:
            return Partner.Kind.FEDERATION
        if any(word in lowered for word in ("commune", "ville", "département", "région", "métropole")):
            return Partner.Kind.COLLECTIVITE
        if any(word in lowered for word in ("préfecture", "ddcs", "état", "ministère")):
            return Partner.Kind.ETAT
        return Partner.Kind.AUTRE
