"""Indicators, their targets and measurements; the board's meetings.

An indicator evidences objectives of the plan and/or actions. Values (measurements)
are entered per structure or for the whole network and go through
draft → submitted (« transmise ») → validated (or returned with a comment); only validated values count.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from toolkit.french import format_number
from toolkit.history import LinksHistory
from toolkit.limits import LONG_TEXT_MAX_LENGTH, bounded_text, length_constraints
from toolkit.text import fold

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:S(?P<semester>[12])|T(?P<quarter>[1-4])|M(?P<month>0[1-9]|1[0-2])))?$")
period_validator = RegexValidator(
    PERIOD_RE,
    _("Période invalide : écrivez 2024, 2024-S1 (semestre), 2024-T2 (trimestre) ou 2024-M03 (mois)."),
)
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def period_label(period: str) -> str:
    """« 2024 », « 1er semestre 2024 », « 2e trimestre 2024 », « mars 2024 »."""
    match = PERIOD_RE.match(period or "")
    if not match:
        return period
    year = match["year"]
    if match["semester"]:
        return f"{'1er' if match['semester'] == '1' else '2e'} semestre {year}"
    if match["quarter"]:
        return f"{'1er' if match['quarter'] == '1' else match['quarter'] + 'e'} trimestre {year}"
    if match["month"]:
        return f"{MONTHS[int(match['month']) - 1]} {year}"
    return year


# Units of indicators that count people or things (folded: no accents, lower case).
COUNT_UNITS = frozenset(
    [
        "personnes",
        "habitants",
        "benevoles",
        "salaries",
        "adherents",
        "participants",
        "familles",
        "jeunes",
        "enfants",
        "partenaires",
        "actions",
        "ateliers",
        "structures",
        "centres",
        "projets",
        "reunions",
        "seances",
        "evenements",
        "sorties",
        "inscrits",
        "usagers",
    ]
)


def previous_period(period: str) -> str | None:
    """The period just before, written the same way: 2024 → 2023, 2024-S1 → 2023-S2,
    2024-T1 → 2023-T4, 2024-M01 → 2023-M12; None for text that is no period."""
    match = PERIOD_RE.match(period or "")
    if not match:
        return None
    year = int(match["year"])
    for kind, size, width in (("semester", 2, 1), ("quarter", 4, 1), ("month", 12, 2)):
        if match[kind]:
            number = int(match[kind]) - 1
            letter = {"semester": "S", "quarter": "T", "month": "M"}[kind]
            if number == 0:
                year, number = year - 1, size
            return f"{year:04d}-{letter}{number:0{width}d}"
    return f"{year - 1:04d}"


class OrderedListEntry(models.Model):
    """An entry of an editable classification list, seeded by a data migration."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    # Each list keeps its own history (who renamed or reordered an entry, when).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class ValueChainStage(OrderedListEntry):
    """Resources → activities → outputs (réalisations) → outcomes (effets) → impact."""

    class Meta(OrderedListEntry.Meta):
        verbose_name = _("étape de la chaîne de valeur")
        verbose_name_plural = _("étapes de la chaîne de valeur")


class ImpactDimension(OrderedListEntry):
    """The federation's impact framework (« socle commun »): cohésion sociale, épanouissement…"""

    class Meta(OrderedListEntry.Meta):
        verbose_name = _("dimension d’impact")
        verbose_name_plural = _("dimensions d’impact")


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        """Indicators not archived: those offered for reporting and listed by default."""
        return self.filter(archived_at__isnull=True)

    def for_plan(self, plan):
        """Indicators evidencing an objective or an action of `plan`."""
        return self.filter(Q(objectives__axis__chapter__plan=plan) | Q(actions__axis__chapter__plan=plan)).distinct()

    def by_stage_and_dimension(self):
        """Every indicator, by value-chain stage then impact dimension (unclassified last), then
        name, with both joined."""
        return self.select_related("stage", "dimension").order_by(
            models.F("stage__order").asc(nulls_last=True),
            "stage__pk",
            models.F("dimension__order").asc(nulls_last=True),
            "dimension__pk",
            "name",
            "pk",
        )

    def for_list(self):
        # The objectives and the actions with their axis joined, one query each: prefetching
        # "objectives__axis" builds a queryset per indicator, which cost more than the queries themselves.
        from actions.models import Action
        from axes.models import Objective

        return self.select_related("stage", "dimension").prefetch_related(
            models.Prefetch("objectives", queryset=Objective.objects.select_related("axis")),
            models.Prefetch("actions", queryset=Action.objects.select_related("axis").order_by("title", "pk")),
        )


def indicator_scope(indicator_id: int) -> str:
    """The scope (toolkit.aggregates) of an indicator's own figures: a write to the indicator,
    one of its values or targets bumps it, and only its figures are recomputed."""
    return f"indicators.indicator#{indicator_id}"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("À la hausse")
        DOWN = "down", _("À la baisse")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Somme des structures")
        MEAN = "mean", _("Moyenne des structures")
        LATEST = "latest", _("Dernière valeur validée")

    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("Annuelle")
        HALF_YEARLY = "half_yearly", _("Semestrielle")
        QUARTERLY = "quarterly", _("Trimestrielle")
        MONTHLY = "monthly", _("Mensuelle")
        ONCE = "once", _("Ponctuelle")

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Identifiant court, utilisé par les imports de valeurs."),
    )
    name = models.CharField(_("nom"), max_length=250)
    description = bounded_text(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=50, blank=True, help_text=_("personnes, €, %, actions…"))
    direction = models.CharField(
        _("sens souhaité"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.UP,
    )
    baseline = models.DecimalField(_("valeur de référence"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(
        _("période de référence"),
        max_length=10,
        blank=True,
        validators=[period_validator],
    )
    aggregation = models.CharField(
        _("agrégation entre structures"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    frequency = models.CharField(
        _("fréquence de collecte"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.YEARLY,
    )
    source = models.CharField(_("source"), max_length=250, blank=True)
    objectives = models.ManyToManyField(
        "axes.Objective",
        verbose_name=_("objectifs évalués"),
        blank=True,
        related_name="indicators",
    )
    # Read through Action's default manager (`indicator.actions.all()`, a prefetch), the actions
    # in the trash are left out: an indicator stays when one of its actions goes to the trash,
    # but no page names or links that action.
    actions = models.ManyToManyField(
        "actions.Action",
        verbose_name=_("actions évaluées"),
        blank=True,
        related_name="indicators",
    )
    stage = models.ForeignKey(
        ValueChainStage,
        verbose_name=_("étape de la chaîne de valeur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    dimension = models.ForeignKey(
        ImpactDimension,
        verbose_name=_("dimension d’impact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_published = models.BooleanField(
        _("publié"),
        default=False,
        help_text=_("Visible sans connexion dans l’espace public et par l’API ouverte."),
    )
    # A single structure's figure is never public unless staff publish it on purpose, here.
    published_structures = models.ManyToManyField(
        "network.Structure",
        verbose_name=_("structures dont le chiffre est publié"),
        blank=True,
        related_name="published_indicators",
        help_text=_("Leurs valeurs validées de cet indicateur sont publiées une à une, en plus du chiffre du réseau."),
    )
    archived_at = models.DateTimeField(
        _("archivé le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Un indicateur archivé n’est plus proposé à la saisie ; ses valeurs et cibles restent."),
    )
    # Optimistic lock: edits go through axes.services.versioned_update, like the plan's objects.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The links too: which objectives and actions it evaluates, whose figure it publishes.
    history = HistoricalRecords(m2m_fields=["objectives", "actions", "published_structures"], bases=[LinksHistory])

    objects = IndicatorQuerySet.as_manager()
    all_objects = IndicatorQuerySet.as_manager()  # what versioned_update locks and reads

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["name", "pk"]
        constraints = length_constraints("indicator", description=LONG_TEXT_MAX_LENGTH)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:indicator_detail", kwargs={"pk": self.pk})

    @property
    def aggregates_scope(self) -> str:
        return indicator_scope(self.pk)

    @property
    def is_count(self) -> bool:
        """Its values count people or things (« personnes », « partenaires »…): whole and never
        negative. Read from its unit, the one thing every indicator states about its values."""
        unit = fold(self.unit).strip()
        return unit in COUNT_UNITS or unit.startswith("nombre")


def _per_structure_or_network(model: str, fields: tuple[str, ...]) -> list[models.UniqueConstraint]:
    """One row per (…, structure), and one per (…) for the network (structure NULL)."""
    return [
        models.UniqueConstraint(
            *fields,
            "structure",
            condition=Q(structure__isnull=False),
            name=f"{model}_unique_per_structure",
        ),
        models.UniqueConstraint(
            *fields,
            condition=Q(structure__isnull=True),
            name=f"{model}_unique_for_network",
        ),
    ]


class TargetQuerySet(models.QuerySet):
    def for_network(self):
        return self.filter(structure__isnull=True)


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicateur"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    period = models.CharField(_("période"), max_length=10, validators=[period_validator])
    value = models.DecimalField(_("valeur cible"), max_digits=14, decimal_places=2)
    structure = models.ForeignKey(
        "network.Structure",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_targets",
        help_text=_("Vide : cible pour l’ensemble du réseau."),
    )
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("cible")
        verbose_name_plural = _("cibles")
        ordering = ["indicator", "period", "structure"]
        constraints = _per_structure_or_network("target", ("indicator", "period"))

    def __str__(self):
        return f"{self.indicator} · {period_label(self.period)} · {self.value}"

    @property
    def aggregates_scope(self) -> str:
        return indicator_scope(self.indicator_id)


EVIDENCE_EXTENSIONS = [
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "odt",
    "ods",
    "docx",
    "xlsx",
    "csv",
    "txt",
]
# What the start of a file must look like for its extension (others are checked by extension only).
EVIDENCE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "odt": (b"PK",),
    "ods": (b"PK",),
    "docx": (b"PK",),
    "xlsx": (b"PK",),
}


def validate_evidence(file) -> None:
    """Refuse a proof file that is too large or whose content does not match its type."""
    max_size = getattr(settings, "INDICATORS_EVIDENCE_MAX_SIZE", 5 * 1024 * 1024)
    if file.size > max_size:
        raise ValidationError(
            _("Le justificatif dépasse la taille maximale (%(max)s Mo)."),
            params={"max": max_size // (1024 * 1024)},
            code="too_large",
        )
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    signatures = EVIDENCE_SIGNATURES.get(extension)
    if signatures and hasattr(file, "open") and not getattr(file, "_committed", False):
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if not head.startswith(signatures):
            raise ValidationError(
                _("Le contenu du justificatif ne correspond pas à un fichier .%(ext)s."),
                params={"ext": extension},
                code="bad_content",
            )


def evidence_path(instance, filename: str) -> str:
    return f"indicateurs/justificatifs/{instance.indicator_id}/{filename}"


def _same_shape(period: str) -> str:
    """A regex of the periods written like `period` (« 2024 » → years, « 2024-S1 » → semesters)."""
    return r"^\d{4}$" if len(period) == 4 else rf"^\d{{4}}-{re.escape(period[5:6])}\d+$"


class MeasurementQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=Measurement.Status.VALIDATED)

    def visible_to(self, user):
        """What `user` may see: staff every value; everyone else the validated values and
        every value of the structures they direct (never another structure's drafts)."""
        if user.has_perm("indicators.validate_measurement"):
            return self
        return self.filter(Q(status=Measurement.Status.VALIDATED) | Q(structure__directors=user))

    def for_indicator_page(self, indicator, user):
        return (
            self.visible_to(user)
            .filter(indicator=indicator)
            .select_related("structure", "entered_by", "validated_by")
            .order_by("period", "structure__name", "pk")
        )

    def previous_of(self, *, indicator, structure, period: str):
        """The structure's value of `indicator` for the period before `period` (the latest one
        written the same way: 2023 before 2024, 2024-S1 before 2024-S2), or None."""
        return (
            self.filter(indicator=indicator, structure=structure, period__lt=period)
            .filter(period__regex=_same_shape(period))
            .order_by("-period")
            .first()
        )

    def to_review(self):
        return (
            self.filter(status=Measurement.Status.SUBMITTED)
            .select_related("indicator", "structure", "entered_by")
            .order_by("indicator__name", "period", "structure__name", "pk")
        )


class Measurement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Transmise")
        VALIDATED = "validated", _("Validée")
        RETURNED = "returned", _("Renvoyée")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicateur"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.CharField(_("période"), max_length=10, validators=[period_validator])
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = bounded_text(_("valeur qualitative"), blank=True)
    structure = models.ForeignKey(
        "network.Structure",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measurements",
        help_text=_("Vide : valeur pour l’ensemble du réseau."),
    )
    source = models.CharField(_("source"), max_length=250, blank=True)
    comment = bounded_text(_("commentaire"), blank=True)
    evidence = models.FileField(
        _("justificatif"),
        upload_to=evidence_path,
        blank=True,
        max_length=250,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS), validate_evidence],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    return_comment = bounded_text(_("motif du renvoi"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    # The status it had when read from the database: None for a new value, DEFERRED when not read.
    _status_loaded = None
    DEFERRED = object()

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        ordering = ["indicator", "period", "structure"]
        permissions = [
            ("validate_measurement", _("Peut valider ou renvoyer les valeurs d’indicateurs")),
            ("report_measurement", _("Peut saisir et transmettre les valeurs de sa structure")),
        ]
        constraints = [
            *_per_structure_or_network("measurement", ("indicator", "period")),
            *length_constraints(
                "measurement",
                text=LONG_TEXT_MAX_LENGTH,
                comment=LONG_TEXT_MAX_LENGTH,
                return_comment=LONG_TEXT_MAX_LENGTH,
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""),
                name="measurement_has_value_or_text",
                violation_error_message=_("Indiquez une valeur chiffrée ou une valeur qualitative."),
            ),
            models.CheckConstraint(
                condition=~Q(status="validated") | Q(validated_at__isnull=False),
                name="measurement_validated_has_date",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period", "status"])]

    def __str__(self):
        where = self.structure.name if self.structure_id else "réseau"
        return f"{self.indicator} · {period_label(self.period)} · {where}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # post_save (toolkit.aggregates) still sees the status before
        self._status_loaded = self.__dict__.get("status", self.DEFERRED)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._status_loaded = instance.__dict__.get("status", cls.DEFERRED)
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._status_loaded = self.__dict__.get("status", self.DEFERRED)

    @property
    def aggregates_scope(self) -> str:
        return indicator_scope(self.indicator_id)

    @property
    def changes_aggregates(self) -> bool:
        """Whether writing it may change a figure kept by toolkit.aggregates: they count validated
        values only, so a draft, a transmission or a return of a value never validated does not."""
        if self._status_loaded is self.DEFERRED:
            return True
        return self.Status.VALIDATED in (self._status_loaded, self.__dict__.get("status", self.Status.VALIDATED))

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def display_value(self) -> str:
        if self.value is not None:
            return format_number(self.value)
        return self.text

    @property
    def version(self) -> str:
        """What the page that shows the value knew of it: a step decided on that page applies
        only if the value has not changed since (its last change, to the microsecond)."""
        return str(int(self.updated_at.timestamp() * 1_000_000)) if self.updated_at else ""

    @property
    def counts(self) -> bool:
        return self.status == self.Status.VALIDATED
