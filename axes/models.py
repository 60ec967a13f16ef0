"""The plan: Plan → Chapter → Axis → Objective. Knows nothing of actions or indicators."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from toolkit.limits import LONG_TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, bounded_text, length_constraints


class TrashableQuerySet(models.QuerySet):
    def trashed(self):
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager):
    """The default manager of what the trash hides: rows in the trash are left out, and so are
    rows whose parent is (`parents`: the foreign keys to trashable models, e.g. a journal entry's
    action). The one place that decides what the trash hides: every page, list, count, export,
    form choice and related manager (`action.updates`, `objective.actions`) reads through it; the
    trash page, restore, history and the admin read `all_objects`.

    A parent's condition is a join (`action.deleted_at IS NULL`), never another query; a nullable
    parent (a comment's action or objective) is a left join that keeps rows without one.
    """

    own = True  # the model has its own `deleted_at`
    parents: tuple[str, ...] = ()

    def get_queryset(self):
        conditions = {f"{parent}__deleted_at__isnull": True for parent in self.parents}
        if self.own:
            conditions["deleted_at__isnull"] = True
        return super().get_queryset().filter(**conditions)

    @classmethod
    def of(cls, queryset_class=models.QuerySet, *, parents: tuple[str, ...] = (), own: bool = True) -> "LiveManager":
        """A live manager over `queryset_class`. `parents` and `own` are class attributes, not
        arguments, because Django builds related managers by subclassing the default manager."""
        base = cls.from_queryset(queryset_class)
        return type(base.__name__, (base,), {"parents": tuple(parents), "own": own, "__module__": cls.__module__})()


class PlanObject(models.Model):
    """What every editable plan object shares: optimistic locking and the trash.

    `version` grows by one at each save made through a service; a save that started from
    an older version is refused (see axes.services.ConflictError). `deleted_at` puts the
    object in the « corbeille »: the default manager `objects` leaves it out, `all_objects`
    sees everything. Objects trashed together share the same `deleted_at`, which is how a
    restore brings back the children with their parent.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("mis à la corbeille le"), null=True, blank=True, editable=False, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mis à la corbeille par"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class Elapsed:
    """Where a day falls in a plan's period: what a progress figure is read against.

    `share` is the part of the days from 1 January of the first year to 31 December of the
    last that have begun by `today` (0 before the start, 1 after the end); `year` is n in
    « année n sur N » while the plan runs.
    """

    UNKNOWN, BEFORE, RUNNING, OVER = "unknown", "before", "running", "over"

    state: str
    start_year: int | None = None
    end_year: int | None = None
    year: int | None = None
    years: int | None = None
    share: float | None = None

    @classmethod
    def of(cls, start_year: int | None, end_year: int | None, today: date) -> "Elapsed":
        if start_year is None and end_year is None:
            return cls(cls.UNKNOWN)
        if start_year is not None and today.year < start_year:
            return cls(cls.BEFORE, start_year, end_year, share=0.0 if end_year else None)
        if end_year is not None and today.year > end_year:
            return cls(cls.OVER, start_year, end_year, share=1.0 if start_year else None)
        if start_year is None or end_year is None:  # running, one end of the period unknown
            year = today.year - start_year + 1 if start_year else None
            return cls(cls.RUNNING, start_year, end_year, year=year)
        first, last = date(start_year, 1, 1), date(end_year, 12, 31)
        share = ((today - first).days + 1) / ((last - first).days + 1)
        return cls(cls.RUNNING, start_year, end_year, today.year - start_year + 1, end_year - start_year + 1, share)

    @property
    def known(self) -> bool:
        return self.state != self.UNKNOWN

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage, rounded down: a period is never said further gone than it is."""
        return None if self.share is None else int(self.share * 100)

    @property
    def label(self) -> str:
        """« année 3 sur 5 (50 % de la période écoulée) », « commence en 2027 », « projet achevé en 2021 »."""
        if self.state == self.BEFORE:
            return f"commence en {self.start_year}"
        if self.state == self.OVER:
            return f"projet achevé en {self.end_year}"
        if self.state == self.RUNNING:
            if self.years:
                return f"année {self.year} sur {self.years} ({self.percent} % de la période écoulée)"
            if self.start_year:
                return f"année {self.year} depuis {self.start_year}, année de fin non renseignée"
            return f"jusqu’en {self.end_year}, année de début non renseignée"
        return "période non renseignée"

    @property
    def headline(self) -> str:
        """The label with the period's years in front, said once a page: « période 2022–2026 : année 3 sur 5 (…) »."""
        if self.start_year and self.end_year:
            return f"période {self.start_year}–{self.end_year} : {self.label}"
        return self.label


class PlanQuerySet(TrashableQuerySet):
    def current(self) -> "Plan | None":
        """The plan people mean when they say « le projet fédéral »: the active one, else the latest."""
        return self.order_by(
            models.Case(models.When(status=Plan.Status.ACTIVE, then=0), default=1),
            "-pk",
        ).first()


class Plan(PlanObject):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        ACTIVE = "active", _("En vigueur")
        ARCHIVED = "archived", _("Archivé")

    title = models.CharField(_("titre"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("projet précédent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
    )
    history = HistoricalRecords()

    objects = LiveManager.from_queryset(PlanQuerySet)()
    all_objects = models.Manager.from_queryset(PlanQuerySet)()

    class Meta:
        verbose_name = _("projet fédéral")
        verbose_name_plural = _("projets fédéraux")
        ordering = ["-start_year", "title"]
        permissions = [("import_plan", _("Peut importer un document de projet fédéral"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="plan_years_ordered",
                violation_error_message=_("L’année de fin précède l’année de début."),
            ),
        ]

    def __str__(self):
        if self.start_year and self.end_year:
            return f"{self.title} ({self.start_year}–{self.end_year})"
        return self.title

    @property
    def period_label(self) -> str:
        """« 2022–2026 », « depuis 2022 », « jusqu'en 2026 », or "" when no year is known."""
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return f"depuis {self.start_year}"
        if self.end_year:
            return f"jusqu’en {self.end_year}"
        return ""

    def elapsed(self, today: date | None = None) -> Elapsed:
        """Where today (or `today`) falls in the plan's period; see Elapsed."""
        return Elapsed.of(self.start_year, self.end_year, today or timezone.localdate())


class Chapter(PlanObject):
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        related_name="chapters",
    )
    title = models.CharField(_("titre"), max_length=300)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    objects = LiveManager.from_queryset(TrashableQuerySet)()
    all_objects = models.Manager.from_queryset(TrashableQuerySet)()

    class Meta:
        verbose_name = _("chapitre")
        verbose_name_plural = _("chapitres")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title


class AxisQuerySet(TrashableQuerySet):
    def for_plan(self, plan: Plan):
        return self.filter(chapter__plan=plan).select_related("chapter").order_by("chapter__order", "order", "pk")


class Axis(PlanObject):
    chapter = models.ForeignKey(
        Chapter,
        verbose_name=_("chapitre"),
        on_delete=models.CASCADE,
        related_name="axes",
    )
    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("identifiant"), max_length=100)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    context = bounded_text(_("contexte global"), blank=True)
    stakes = bounded_text(_("enjeux pour le réseau"), blank=True)
    objectives_intro = bounded_text(
        _("introduction des objectifs"),
        blank=True,
        help_text=_("La phrase qui introduit les objectifs opérationnels."),
    )
    # Sections that hold a statement rather than items ("Dimension non abordée…").
    previous_actions_note = bounded_text(_("note sur les actions du précédent projet"), blank=True)
    projects_note = bounded_text(_("note sur les projets engagés"), blank=True)
    leads_note = bounded_text(_("note sur les pistes d’actions"), blank=True)
    is_published = models.BooleanField(
        _("publié"),
        default=False,
        help_text=_("Visible sans connexion dans l’espace public et par l’API ouverte."),
    )
    history = HistoricalRecords()

    objects = LiveManager.from_queryset(AxisQuerySet)()
    all_objects = models.Manager.from_queryset(AxisQuerySet)()

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["chapter", "order", "pk"]
        constraints = [
            models.UniqueConstraint("chapter", "slug", name="axis_slug_unique_in_chapter"),
            *length_constraints(
                "axis",
                context=LONG_TEXT_MAX_LENGTH,
                stakes=LONG_TEXT_MAX_LENGTH,
                objectives_intro=LONG_TEXT_MAX_LENGTH,
                previous_actions_note=LONG_TEXT_MAX_LENGTH,
                projects_note=LONG_TEXT_MAX_LENGTH,
                leads_note=LONG_TEXT_MAX_LENGTH,
            ),
        ]

    def __str__(self):
        return self.title


class Objective(PlanObject):
    axis = models.ForeignKey(Axis, verbose_name=_("axe"), on_delete=models.CASCADE, related_name="objectives")
    text = bounded_text(_("objectif"), TITLE_MAX_LENGTH)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(
        _("publié"),
        default=False,
        help_text=_("Visible sans connexion dans l’espace public et par l’API ouverte."),
    )
    history = HistoricalRecords()

    objects = LiveManager.from_queryset(TrashableQuerySet)()
    all_objects = models.Manager.from_queryset(TrashableQuerySet)()

    class Meta:
        verbose_name = _("objectif opérationnel")
        verbose_name_plural = _("objectifs opérationnels")
        ordering = ["axis", "order", "pk"]
        constraints = length_constraints("objective", text=TITLE_MAX_LENGTH)

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"
