"""The network: territories, member structures and partners. Imports no other app.

These models lived in the `federation` app until the layout of December 2026; their tables
keep their names (`db_table`, the history's `table_name`), so moving them copied no row.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from toolkit.limits import TITLE_MAX_LENGTH, bounded_text, length_constraints


class TerritoryQuerySet(models.QuerySet):
    def tree(self) -> list[tuple["Territory", int]]:
        """Every territory with its depth, parents before their children, in one query.

        The tree is small (a département, its bassins de vie, their communes), so it is
        walked in Python rather than with a recursive query.
        """
        territories = list(self.order_by("name"))
        children: dict[int | None, list[Territory]] = {}
        known = {territory.pk for territory in territories}
        for territory in territories:
            parent = territory.parent_id if territory.parent_id in known else None
            children.setdefault(parent, []).append(territory)
        ordered: list[tuple[Territory, int]] = []

        def walk(parent_id, depth):
            for territory in children.get(parent_id, []):
                ordered.append((territory, depth))
                walk(territory.pk, depth + 1)

        walk(None, 0)
        return ordered

    def subtree_ids(self, territory: "Territory") -> set[int]:
        """The ids of `territory` and of every territory below it, in one query."""
        children: dict[int, list[int]] = {}
        for pk, parent_id in self.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), [territory.pk]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        return found


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
    history = HistoricalRecords(table_name="federation_historicalterritory")

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        db_table = "federation_territory"
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self):
        return self.name


def approval_warning_limit(today: datetime.date | None = None) -> datetime.date:
    """The last day of the window in which an ending CAF approval is flagged: one year ahead."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


class StructureQuerySet(models.QuerySet):
    def directed_by(self, user):
        """The structures `user` is a director of (none for an anonymous user)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(directors=user)

    def for_network_page(self):
        """Structures with their territory and its two ancestors joined, for the network pages."""
        return self.select_related("territory__parent__parent").order_by("name")

    def approval_ending_soon(self, today: datetime.date | None = None):
        """Structures whose CAF approval ends within the next 12 months (or has already ended)."""
        return self.filter(caf_approval_ends_on__lte=approval_warning_limit(today))

    def in_territories(self, territory_ids):
        return self.filter(territory_id__in=territory_ids)


class Structure(models.Model):
    class Kind(models.TextChoices):
        CENTRE_SOCIAL = "centre_social", _("Centre social")
        EVS = "evs", _("Espace de vie sociale")
        FEDERATION = "federation", _("Fédération")

    class Governance(models.TextChoices):
        ASSOCIATIVE = "associative", _("Associative")
        MUNICIPALE = "municipale", _("Municipale")
        CO_GESTION = "co_gestion", _("Co-gestion")

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
    address = bounded_text(_("adresse"), TITLE_MAX_LENGTH, blank=True)
    governance = models.CharField(
        _("mode de gestion"),
        max_length=20,
        choices=Governance.choices,
        blank=True,
        default="",
    )
    caf_approval_ends_on = models.DateField(
        _("fin de l’agrément Caf"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle l’agrément de la Caf (centre social ou EVS) prend fin."),
    )
    directors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("direction"),
        blank=True,
        related_name="structures",
        help_text=_("Comptes « Direction de centre » de cette structure."),
    )
    # The directors too: who was given or lost a centre is a change of rights.
    history = HistoricalRecords(table_name="federation_historicalstructure", m2m_fields=["directors"])

    objects = StructureQuerySet.as_manager()

    class Meta:
        db_table = "federation_structure"
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        # Staff's right to create and edit structures and territories from the application
        # (issue 14); add/change stay the administrators' (the structure list's import).
        permissions = [("manage_network", _("Créer et modifier les structures et les territoires"))]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="structure_name_unique_ci"),
            *length_constraints("structure", address=TITLE_MAX_LENGTH),
        ]

    def __str__(self):
        return self.name

    def approval_ends_soon(self, today: datetime.date | None = None) -> bool:
        """True when the CAF approval ends within 12 months (or has already ended)."""
        return self.caf_approval_ends_on is not None and self.caf_approval_ends_on <= approval_warning_limit(today)

    def is_directed_by(self, user) -> bool:
        """Whether `user` directs this structure (one query)."""
        return getattr(user, "is_authenticated", False) and self.directors.filter(pk=user.pk).exists()


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
    history = HistoricalRecords(table_name="federation_historicalpartner")

    class Meta:
        db_table = "federation_partner"
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


class Invitation(models.Model):
    """The one-time link a new director or board member receives to choose their password.

    The account exists from the invitation on, inactive and without a usable password. The
    link carries a signed (invitation, nonce) pair checked with a maximum age
    (`INVITATION_VALIDITY_DAYS`); sending it again draws a new nonce, so an earlier link stops
    working, and revoking it refuses every link. Accepting it activates the account.
    """

    class Role(models.TextChoices):
        # Staff and administrators are never invited from the application (issue 14).
        DIRECTOR = "director", _("Direction de centre")
        BOARD = "board", _("Conseil d’administration")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    nonce = models.CharField(_("jeton"), max_length=64, editable=False)
    sent_at = models.DateTimeField(_("envoyée le"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        permissions = [
            ("manage_people", _("Inviter les directions et le conseil, rattacher, désactiver leurs comptes")),
        ]

    def __str__(self):
        return f"{self.user.email} ({self.get_role_display()})"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.sent_at + datetime.timedelta(days=settings.INVITATION_VALIDITY_DAYS)

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at < timezone.now():
            return "expired"
        return "pending"

    @property
    def state_label(self) -> str:
        return {
            "accepted": "Acceptée",
            "revoked": "Révoquée",
            "expired": "Expirée",
            "pending": "En attente",
        }[self.state]
