"""What the federation does for each axis: actions of the previous plan, projects, leads."""

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ActionQuerySet(models.QuerySet):
    def for_axis_page(self, axis):
        """The axis's actions in document order, with their partners and objectives loaded."""
        return (
            self.filter(axis=axis)
            .prefetch_related(
                models.Prefetch("partner_links", queryset=ActionPartner.objects.select_related("partner")),
                "objectives",
            )
            .order_by("order", "pk")
        )

    def status_counts(self) -> dict[str, int]:
        """{status: count} over this queryset, every status present (0 when none)."""
        counts = dict.fromkeys(Action.Status.values, 0)
        for row in self.order_by().values("status").annotate(n=Count("pk")):
            counts[row["status"]] = row["n"]
        return counts

    def status_counts_by_axis(self) -> dict[int, dict[str, int]]:
        """{axis_id: {status: count}} in one query."""
        result: dict[int, dict[str, int]] = {}
        for row in self.order_by().values("axis_id", "status").annotate(n=Count("pk")):
            result.setdefault(row["axis_id"], dict.fromkeys(Action.Status.values, 0))[row["status"]] = row["n"]
        return result


class Action(models.Model):
    class Status(models.TextChoices):
        PREVIOUS_PLAN = "previous_plan", _("Précédent projet")
        LEAD = "lead", _("Piste d'action")
        PLANNED = "planned", _("Planifiée")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        ABANDONED = "abandoned", _("Abandonnée")

    axis = models.ForeignKey("axes.Axis", verbose_name=_("axe"), on_delete=models.PROTECT, related_name="actions")
    objectives = models.ManyToManyField(
        "axes.Objective", verbose_name=_("objectifs servis"), blank=True, related_name="actions"
    )
    title = models.TextField(_("intitulé"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    partners = models.ManyToManyField(
        "federation.Partner",
        verbose_name=_("partenaires"),
        through="ActionPartner",
        blank=True,
        related_name="actions",
    )
    structures = models.ManyToManyField(
        "federation.Structure", verbose_name=_("structures impliquées"), blank=True, related_name="actions"
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["axis", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="action_years_ordered",
                violation_error_message=_("L'année de fin précède l'année de début."),
            ),
        ]
        indexes = [models.Index(fields=["axis", "status"])]

    def __str__(self):
        return self.title if len(self.title) <= 100 else f"{self.title[:99]}…"

    @property
    def period_label(self) -> str:
        """« 2014–2015 », « depuis 2018 », « 2015 », or ""."""
        if self.start_year and self.end_year:
            if self.start_year == self.end_year:
                return str(self.start_year)
            return f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return f"depuis {self.start_year}"
        if self.end_year:
            return f"jusqu'en {self.end_year}"
        return ""


class ActionPartner(models.Model):
    """A partner's part in an action, with its role (« co-portage », « partenariat », …)."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(
        "federation.Partner", verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="action_links"
    )
    role = models.CharField(_("rôle"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partenariat d'action")
        verbose_name_plural = _("partenariats d'actions")
        constraints = [models.UniqueConstraint("action", "partner", name="action_partner_unique")]

    def __str__(self):
        return f"{self.partner} ({self.role})" if self.role else str(self.partner)
