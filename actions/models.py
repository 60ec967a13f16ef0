"""What the federation does for each axis: actions of the previous plan, projects, leads."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from axes.models import LiveManager, PlanObject, TrashableQuerySet
from toolkit.french import long_date, long_datetime
from toolkit.history import LinksHistory
from toolkit.limits import LONG_TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, bounded_text, length_constraints


def _to_update_condition(today=None) -> Q:
    today = today or timezone.localdate()
    days = getattr(settings, "ACTIONS_STALE_AFTER_DAYS", 90)
    recent = Update.objects.filter(action=OuterRef("pk"), date__gt=today - datetime.timedelta(days=days))
    late = Milestone.objects.filter(action=OuterRef("pk"), done=False, due_date__lt=today)
    return Q(status=Action.Status.IN_PROGRESS) & (~Exists(recent) | Exists(late))


class ActionQuerySet(TrashableQuerySet):
    def for_axis_page(self, axis):
        """The axis's actions in document order, with their partners and continuations loaded."""
        return (
            self.filter(axis=axis)
            .prefetch_related(
                models.Prefetch(
                    "partner_links",
                    queryset=ActionPartner.objects.select_related("partner"),
                ),
                models.Prefetch(
                    "continuations",
                    queryset=Continuation.objects.select_related("objective"),
                ),
            )
            .order_by("order", "pk")
        )

    def for_list(self):
        """Actions for the action list: axis, plan and lead person joined, partners loaded."""
        return self.select_related("axis__chapter__plan", "lead_person").prefetch_related(
            models.Prefetch(
                "partner_links",
                queryset=ActionPartner.objects.select_related("partner"),
            ),
        )

    def for_detail(self):
        """One action with everything its page shows, each relation in a single query."""
        return self.select_related("axis__chapter__plan", "lead_person").prefetch_related(
            models.Prefetch(
                "partner_links",
                queryset=ActionPartner.objects.select_related("partner"),
            ),
            "objectives",
            "structures",
            models.Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("due_date", "order", "pk"),
            ),
            models.Prefetch(
                "updates",
                queryset=Update.objects.select_related("author").order_by("-date", "-created_at", "-pk"),
            ),
            models.Prefetch(
                "continuations",
                queryset=Continuation.objects.select_related("objective__axis"),
            ),
        )

    def counted_in_progress(self):
        """Actions that count in an objective's progress: not leads, not abandoned, not the previous plan's."""
        return self.filter(status__in=Action.COUNTED_STATUSES)

    def serving_no_objective(self):
        """Actions linked to no live objective (an objective in the trash serves nothing)."""
        links = Action.objectives.through.objects.filter(action=OuterRef("pk"), objective__deleted_at__isnull=True)
        return self.filter(~Exists(links))

    def with_overdue_milestones(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Exists(Milestone.objects.filter(action=OuterRef("pk"), done=False, due_date__lt=today)))

    def to_update(self, today=None):
        """« À mettre à jour »: in progress with no journal entry for ACTIONS_STALE_AFTER_DAYS days
        (90 by default; none at all counts), or with a milestone past due and not reached."""
        return self.filter(_to_update_condition(today))

    def with_to_update_flag(self, today=None):
        """Each action with `needs_update` (the rule of `to_update`), computed in the same query."""
        return self.annotate(needs_update=ExpressionWrapper(_to_update_condition(today), output_field=BooleanField()))

    def active_in_year(self, year: int):
        """Actions running during `year`: started by then and not finished before."""
        started = Q(start_year__lte=year) | Q(start_year__isnull=True, end_year__isnull=False)
        not_finished = Q(end_year__gte=year) | Q(end_year__isnull=True, start_year__isnull=False)
        return self.filter(started & not_finished)

    def status_counts_by_axis(self) -> dict[int, dict[str, int]]:
        """{axis_id: {status: count}} in one query."""
        result: dict[int, dict[str, int]] = {}
        for row in self.order_by().values("axis_id", "status").annotate(n=Count("pk")):
            result.setdefault(row["axis_id"], dict.fromkeys(Action.Status.values, 0))[row["status"]] = row["n"]
        return result


class Action(PlanObject):
    class Status(models.TextChoices):
        PREVIOUS_PLAN = "previous_plan", _("Précédent projet")
        LEAD = "lead", _("Piste d’action")
        PLANNED = "planned", _("Planifiée")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        ABANDONED = "abandoned", _("Abandonnée")

    # The lifecycle: lead → planned → in_progress → done | abandoned. A finished action
    # can be reopened and an abandoned one planned again; the previous plan's actions stay apart.
    TRANSITIONS = {
        Status.LEAD: (Status.PLANNED, Status.ABANDONED),
        Status.PLANNED: (Status.IN_PROGRESS, Status.ABANDONED),
        Status.IN_PROGRESS: (Status.DONE, Status.ABANDONED),
        Status.DONE: (Status.IN_PROGRESS,),
        Status.ABANDONED: (Status.PLANNED,),
        Status.PREVIOUS_PLAN: (),
    }
    COUNTED_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)
    # Each status as what a count of actions says (« 1 piste d’action », « 2 pistes d’action »): the
    # labels above are singular. Charts and summaries count with toolkit.french.count.
    COUNTED_LABELS = {
        Status.PREVIOUS_PLAN: ("action du précédent projet", "actions du précédent projet"),
        Status.LEAD: ("piste d’action", "pistes d’action"),
        Status.PLANNED: ("planifiée", "planifiées"),
        Status.IN_PROGRESS: ("en cours", "en cours"),
        Status.DONE: ("terminée", "terminées"),
        Status.ABANDONED: ("abandonnée", "abandonnées"),
    }

    axis = models.ForeignKey(
        "axes.Axis",
        verbose_name=_("axe"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    objectives = models.ManyToManyField(
        "axes.Objective",
        verbose_name=_("objectifs servis"),
        blank=True,
        related_name="actions",
    )
    title = bounded_text(_("intitulé"), TITLE_MAX_LENGTH)
    description = bounded_text(_("description"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        db_index=True,
    )
    start_year = models.PositiveSmallIntegerField(_("année de début"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    partners = models.ManyToManyField(
        "network.Partner",
        verbose_name=_("partenaires"),
        through="ActionPartner",
        blank=True,
        related_name="actions",
    )
    structures = models.ManyToManyField(
        "network.Structure",
        verbose_name=_("structures impliquées"),
        blank=True,
        related_name="actions",
    )
    lead_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne référente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_actions",
    )
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("De 0 à 100. Calculé à partir des jalons quand l’action en a ; 100 quand elle est terminée."),
    )
    progress_follows_milestones = models.BooleanField(
        _("avancement d’après les jalons"),
        default=True,
        help_text=_(
            "Quand l’action a des jalons, son avancement est la part des jalons atteints ; "
            "décochez pour saisir l’avancement à la main."
        ),
    )
    weight = models.PositiveSmallIntegerField(
        _("poids"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Poids de l’action dans l’avancement de ses objectifs (1 par défaut)."),
    )
    is_published = models.BooleanField(
        _("publié"),
        default=False,
        help_text=_("Visible sans connexion dans l’espace public et par l’API ouverte."),
    )
    # The links too (the partners have their own history, ActionPartner's): who linked what, and when.
    history = HistoricalRecords(m2m_fields=["objectives", "structures"], bases=[LinksHistory])

    objects = LiveManager.from_queryset(ActionQuerySet)()
    all_objects = models.Manager.from_queryset(ActionQuerySet)()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["axis", "order", "pk"]
        constraints = [
            *length_constraints("action", title=TITLE_MAX_LENGTH, description=LONG_TEXT_MAX_LENGTH),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="action_years_ordered",
                violation_error_message=_("L’année de fin précède l’année de début."),
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="action_progress_at_most_100",
                violation_error_message=_("L’avancement va de 0 à 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="action_weight_positive",
                violation_error_message=_("Le poids vaut au moins 1."),
            ),
        ]
        indexes = [models.Index(fields=["axis", "status"])]

    def __str__(self):
        return self.title if len(self.title) <= 100 else f"{self.title[:99]}…"

    def get_absolute_url(self):
        return reverse("actions:action_detail", args=[self.pk])

    @property
    def allowed_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]

    def milestones_drive_progress(self) -> bool:
        """True when the progress is the share of milestones reached: the action has milestones,
        follows them, and is not done (a done action is at 100 %). Reads the count annotated by
        actions.selectors.actions_with_progress, or the milestones prefetched, or counts them."""
        if not self.progress_follows_milestones or self.status == self.Status.DONE:
            return False
        count = getattr(self, "milestone_count", None)
        if count is None:
            cached = getattr(self, "_prefetched_objects_cache", {}).get("milestones")
            return bool(cached) if cached is not None else self.milestones.exists()
        return count > 0

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
            return f"jusqu’en {self.end_year}"
        return ""


class ActionPartner(models.Model):
    """A partner's part in an action, with its role (« co-portage », « partenariat », …)."""

    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="partner_links",
    )
    partner = models.ForeignKey(
        "network.Partner",
        verbose_name=_("partenaire"),
        on_delete=models.PROTECT,
        related_name="action_links",
    )
    role = models.CharField(_("rôle"), max_length=100, blank=True)
    history = HistoricalRecords()

    # Hidden with their action when it goes to the trash (axes.models.LiveManager).
    objects = LiveManager.of(parents=("action",), own=False)
    all_objects = models.Manager.from_queryset(models.QuerySet)()  # and what it hides: history, admin

    class Meta:
        verbose_name = _("partenariat d’action")
        verbose_name_plural = _("partenariats d’actions")
        constraints = [models.UniqueConstraint("action", "partner", name="action_partner_unique")]

    def __str__(self):
        return f"{self.partner} ({self.role})" if self.role else str(self.partner)


class Milestone(models.Model):
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("jalon"), max_length=300)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    done = models.BooleanField(_("atteint"), default=False)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    objects = LiveManager.of(parents=("action",), own=False)
    all_objects = models.Manager.from_queryset(models.QuerySet)()  # and what it hides: history, admin

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["action", "due_date", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due_date is not None and self.due_date < timezone.localdate()


class Update(models.Model):
    """An entry of an action's progress journal (« suivi »), optionally changing its status."""

    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The day of what the entry reports (« Retenue au bureau du 24 novembre »), never in the future;
    # when it was typed, and by whom, stay in `created_at` and its history.
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    created_at = models.DateTimeField(_("saisie le"), default=timezone.now, db_index=True)
    text = bounded_text(_("suivi"))
    old_status = models.CharField(_("ancien statut"), max_length=20, choices=Action.Status.choices, blank=True)
    new_status = models.CharField(_("nouveau statut"), max_length=20, choices=Action.Status.choices, blank=True)
    new_progress = models.PositiveSmallIntegerField(
        _("avancement indiqué (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    objects = LiveManager.of(parents=("action",), own=False)
    all_objects = models.Manager.from_queryset(models.QuerySet)()  # and what it hides: history, admin

    class Meta:
        verbose_name = _("entrée du suivi")
        verbose_name_plural = _("entrées du suivi")
        # By the day reported, newest first; entries of the same day in the order they were typed.
        ordering = ["-date", "-created_at", "-pk"]
        constraints = length_constraints("update", text=LONG_TEXT_MAX_LENGTH)

    def __str__(self):
        return f"{self.action} — {long_date(self.date)}"

    @property
    def changes_status(self) -> bool:
        return bool(self.new_status) and self.new_status != self.old_status


class Continuation(models.Model):
    """What became of a previous-plan action in the current plan, through one of its objectives."""

    class Outcome(models.TextChoices):
        CONTINUED = "continued", _("Poursuivie")
        TRANSFORMED = "transformed", _("Transformée")
        ABANDONED = "abandoned", _("Abandonnée")

    previous_action = models.ForeignKey(
        Action,
        verbose_name=_("action du précédent projet"),
        on_delete=models.CASCADE,
        related_name="continuations",
        limit_choices_to={"status": Action.Status.PREVIOUS_PLAN},
    )
    objective = models.ForeignKey(
        "axes.Objective",
        verbose_name=_("objectif du projet actuel"),
        on_delete=models.CASCADE,
        related_name="continuations",
    )
    outcome = models.CharField(_("devenir"), max_length=20, choices=Outcome.choices)
    note = bounded_text(_("note"), blank=True)
    history = HistoricalRecords()

    objects = LiveManager.of(parents=("previous_action", "objective"), own=False)
    all_objects = models.Manager.from_queryset(models.QuerySet)()  # and what it hides: history, admin

    class Meta:
        verbose_name = _("suite d’une action du précédent projet")
        verbose_name_plural = _("suites des actions du précédent projet")
        ordering = ["previous_action", "pk"]
        constraints = [
            models.UniqueConstraint("previous_action", "objective", name="continuation_unique_per_objective"),
            *length_constraints("continuation", note=LONG_TEXT_MAX_LENGTH),
        ]

    def __str__(self):
        return f"{self.previous_action} → {self.objective} ({self.get_outcome_display()})"


class ParticipationQuerySet(models.QuerySet):
    def for_action_page(self, action):
        """The action's participations, structures joined, accepted ones first."""
        return (
            self.filter(action=action)
            .select_related("structure", "proposed_by", "decided_by")
            .order_by("status", "structure__name")
        )

    def for_structures(self, structures):
        """Participations of these structures, with their action, axis and plan joined."""
        return self.filter(structure__in=structures).select_related(
            "structure", "action__axis__chapter__plan", "decided_by"
        )

    def pending(self):
        return self.filter(status=Participation.Status.PROPOSED)

    def accepted(self):
        return self.filter(status=Participation.Status.ACCEPTED)


class Participation(models.Model):
    """A structure's part in an action, proposed by its director and decided by staff."""

    class Status(models.TextChoices):
        # Sorted so that "accepted" < "declined" < "proposed" reads well on the action page.
        PROPOSED = "proposed", _("Proposée")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    structure = models.ForeignKey(
        "network.Structure",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    contribution = bounded_text(
        _("contribution de la structure"),
        2000,
        help_text=_("En quelques lignes : ce que votre centre fait pour cette action."),
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_note = bounded_text(_("motif"), 2000, blank=True)
    history = HistoricalRecords()

    objects = LiveManager.of(ParticipationQuerySet, parents=("action",), own=False)
    all_objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation d’une structure")
        verbose_name_plural = _("participations des structures")
        ordering = ["action", "structure"]
        # The participations page lists the latest decisions: 16,000 of them at national scale.
        indexes = [models.Index(models.F("decided_at").desc(), models.F("id").desc(), name="participation_decided")]
        constraints = [
            models.UniqueConstraint("action", "structure", name="participation_once_per_structure"),
            *length_constraints("participation", contribution=2000, decision_note=2000),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="participation_decision_dated",
            ),
        ]

    def __str__(self):
        return f"{self.structure} · {self.action}"


COMMENT_EDIT_WINDOW_SECONDS = 3600


class CommentQuerySet(models.QuerySet):
    def for_thread(self, *, user, action=None, objective=None):
        """The comments on an action or an objective, oldest first, authors joined.

        Hidden (moderated) comments are shown to staff only, who may restore them.
        """
        queryset = self.filter(action=action) if action else self.filter(objective=objective)
        if not user.has_perm("actions.moderate_comment"):
            queryset = queryset.filter(hidden=False)
        return queryset.select_related("author").order_by("created_at", "pk")


class Comment(models.Model):
    """A remark on an objective or an action, by anyone who reads the plan."""

    objective = models.ForeignKey(
        "axes.Objective",
        verbose_name=_("objectif"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = bounded_text(_("commentaire"), 5000)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    hidden = models.BooleanField(_("masqué par la modération"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("masqué par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = LiveManager.of(CommentQuerySet, parents=("action", "objective"), own=False)
    all_objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]
        permissions = [("moderate_comment", _("Peut masquer ou rétablir les commentaires"))]
        constraints = [
            *length_constraints("comment", text=5000),
            models.CheckConstraint(
                condition=Q(objective__isnull=True, action__isnull=False)
                | Q(objective__isnull=False, action__isnull=True),
                name="comment_on_one_thing",
                violation_error_message=_("Un commentaire porte sur un objectif ou sur une action."),
            ),
        ]

    def __str__(self):
        return f"{self.author} · {long_datetime(self.created_at)}"

    @property
    def subject(self):
        return self.action if self.action_id else self.objective

    def editable_by(self, user, now=None) -> bool:
        """Authors edit their own comment within an hour of writing it."""
        now = now or timezone.now()
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and not self.hidden
            and (now - self.created_at).total_seconds() <= COMMENT_EDIT_WINDOW_SECONDS
        )


class ImportProvenance(models.Model):
    """What the plan document said for one object the import created or last brought up to
    date: the document (name and checksum), the line, the text that identifies the object and
    every field the document sets, as it set them.

    The next import compares three versions: what the document said then (here), what it
    says now, and the object as staff left it in the app. An object the document did not
    change keeps the app's edits; one only the document changed is updated in place; one
    both changed is a conflict staff settle; and an object is found again whatever staff
    renamed it to, so that an edit in the app never turns the next import into a duplicate.
    """

    class Kind(models.TextChoices):
        CHAPTER = "chapter", _("chapitre")
        AXIS = "axis", _("axe")
        OBJECTIVE = "objective", _("objectif")
        ACTION = "action", _("action")

    plan = models.ForeignKey(
        "axes.Plan", verbose_name=_("projet fédéral"), on_delete=models.CASCADE, related_name="import_provenances"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("identifiant de l’objet"))
    document_name = models.CharField(_("document"), max_length=255, blank=True)
    checksum = models.CharField(_("empreinte SHA-256 du document"), max_length=64)
    line = models.PositiveIntegerField(_("ligne"), null=True, blank=True)
    text = models.TextField(_("texte du document"))
    values = models.JSONField(_("valeurs données par le document"), default=dict)
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("provenance d’import")
        verbose_name_plural = _("provenances d’import")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_provenance_per_object")]
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} · {self.document_name} l. {self.line}"
