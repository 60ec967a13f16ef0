"""« Ce qui a changé depuis le … », for a board meeting, read from django-simple-history's tables.

The page reads in three parts:

1. A summary with counts: actions that changed status (by the status they reached), values
   validated, actions and objectives created, edited and put in the trash. Each count is of
   distinct objects (an action edited three times counts once among « modifiées »); an object
   may count in several lines (created, then edited).
2. The five most significant changes, one sentence each. Significance follows SIGNIFICANCE:
   an action finished or abandoned; an indicator whose values were validated and which is now
   off track (its latest network value against that period's target); an action or objective
   put in the trash (or deleted); any other change of status; a creation; an objective
   reworded; any other edit (progress, wording, years…); an indicator whose values were
   validated and which is on track or has no target. Newest first within a rank; one sentence
   per object, its most significant change.
3. The details, per axis (the axis the object was in at that version), with the indicators
   evidencing the axis; the indicators of no axis of the plan last.

Every change names its author (axes.selectors.history_author): the person, else « import du
document « … » du 12/03/2026 » for a row the plan import wrote, else « système ». An object
that is now in the trash (or deleted) is marked so and never linked: its page would answer 404.

A fixed number of queries whatever the number of changes: per model, one over its history
(the rows since the date and, for each object, the version just before it), one for the
validated values and one for the newest of them in detail, one for the plan's axes, one for
the indicators' axes, and the indicators' network values and targets (indicators.selectors).
The result is kept until the next write (toolkit.aggregates).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from actions.models import Action
from axes.models import Axis, Objective
from axes.selectors import history_author, person_name
from indicators.models import Indicator, Measurement, period_label
from indicators.selectors import Track, network_targets, network_values, track_of
from toolkit import aggregates
from toolkit.french import format_number

HIGHLIGHTS = 5
TRASHED, DELETED = "à la corbeille", "supprimé définitivement"

# (rank key, what it is): the order of the highlights, shown on the page.
SIGNIFICANCE = [
    ("finished", "une action terminée ou abandonnée"),
    ("off_track", "un indicateur dont des valeurs ont été validées et qui est en retard sur sa cible"),
    ("trashed", "une action ou un objectif mis à la corbeille"),
    ("status", "un autre changement de statut"),
    ("created", "une action ou un objectif créé"),
    ("reworded", "un objectif reformulé"),
    ("edited", "une autre modification d’une action (avancement, intitulé, années…)"),
    ("validated", "un indicateur dont des valeurs ont été validées, en bonne voie ou sans cible"),
]
RANK = {key: rank for rank, (key, _label) in enumerate(SIGNIFICANCE)}
FINISHED = {Action.Status.DONE, Action.Status.ABANDONED}
# Fields whose change is not an edit a board reads: bookkeeping, the order in a list, and the
# ones read on their own (status, progress, the trash).
NOT_EDITS = {"id", "version", "order", "deleted_at", "deleted_by", "status", "progress"}


@dataclass
class Change:
    model: str  # "action" | "objective"
    object_id: int
    kind: str  # created | status | progress | edited | reworded | trashed | restored | deleted
    when: datetime.datetime
    who: str
    subject: str
    detail: str
    axis_id: int | None
    url: str  # "" when the object is not on a page any more
    gone: str = ""  # TRASHED or DELETED when the object is not on a page any more
    new_status: str = ""

    @property
    def rank(self) -> int:
        if self.kind == "status":
            return RANK["finished"] if self.new_status in FINISHED else RANK["status"]
        if self.kind in ("trashed", "deleted"):
            return RANK["trashed"]
        return RANK.get(self.kind, RANK["edited"])

    @property
    def description(self) -> str:
        """What changed, for the details: « Statut : En cours → Terminée »."""
        label = KIND_LABELS.get(self.kind, self.kind)
        return f"{label} : {self.detail}" if self.detail else label

    @property
    def sentence(self) -> str:
        """The change in one sentence, for the highlights."""
        action = self.model == "action"
        subject = f"L’action « {self.subject} »" if action else f"L’objectif « {self.subject} »"
        agreed = "e" if action else ""  # l'action est mise, l'objectif est mis
        if self.kind == "status":
            label = STATUS_LABELS.get(self.new_status, self.new_status).lower()
            if self.new_status in FINISHED:
                return f"{subject} est {label}."
            return f"{subject} est passée à « {label} » ({self.detail})."
        if self.kind == "created":
            if action:
                return f"Nouvelle action « {self.subject} » ({self.detail.lower()})."
            return f"Nouvel objectif : « {self.subject} »."
        if self.kind == "trashed":
            return f"{subject} a été mis{agreed} à la corbeille."
        if self.kind == "deleted":
            return f"{subject} a été supprimé{agreed} définitivement."
        if self.kind == "restored":
            return f"{subject} a été sorti{agreed} de la corbeille."
        if self.kind == "reworded":
            return f"Objectif reformulé : « {self.subject} » ({self.detail})."
        if self.kind == "progress":
            return f"Avancement de l’action « {self.subject} » : {self.detail}."
        return f"{subject} a été modifié{agreed}" + (f" ({self.detail})." if self.detail else ".")


KIND_LABELS = {
    "created": "Création",
    "status": "Statut",
    "progress": "Avancement",
    "edited": "Modifié",
    "reworded": "Reformulé",
    "trashed": "Mis à la corbeille",
    "restored": "Sorti de la corbeille",
    "deleted": "Supprimé définitivement",
    "validated": "Valeur validée",
}
STATUS_LABELS = dict(Action.Status.choices)


@dataclass
class ValidatedGroup:
    """The values of one indicator validated since the date: how many, by whom, when last, and
    where the indicator now stands."""

    indicator_id: int
    name: str
    unit: str
    url: str
    count: int
    latest: datetime.datetime
    who: list[tuple[str, int]]  # (name, how many), most first
    axis_ids: set[int] = field(default_factory=set)
    track: Track | None = None

    @property
    def off_track(self) -> bool:
        return self.track is not None and self.track.status == Track.OFF_TRACK

    @property
    def rank(self) -> int:
        return RANK["off_track"] if self.off_track else RANK["validated"]

    @property
    def sentence(self) -> str:
        values = f"{self.count} valeur{'s' if self.count > 1 else ''} validée{'s' if self.count > 1 else ''}"
        track = self.track
        if track is not None and track.status in (Track.ON_TRACK, Track.OFF_TRACK):
            unit = f" {self.unit}" if self.unit else ""
            where = "en retard" if self.off_track else "en bonne voie"
            return (
                f"Indicateur « {self.name} » {where} : {format_number(track.value)}{unit} en "
                f"{period_label(track.period)} pour une cible de {format_number(track.target)}{unit} ({values})."
            )
        return f"Indicateur « {self.name} » : {values} ({Track.LABELS.get(track.status, '').lower() if track else ''})."


@dataclass
class ValidatedValues:
    total: int
    groups: list[ValidatedGroup]
    recent: list[Change]  # the newest ones, detailed

    @property
    def omitted(self) -> int:
        return self.total - len(self.recent)


@dataclass
class Highlight:
    when: datetime.datetime
    who: str
    sentence: str
    url: str
    gone: str
    rank: int
    axis: str  # the title of the axis it belongs to ("" for none)


@dataclass
class AxisGroup:
    """The changes of one axis (None: indicators of no axis of the plan), newest first."""

    axis_id: int | None
    title: str
    url: str
    gone: str
    changes: list[Change] = field(default_factory=list)
    validated: list[ValidatedGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.changes) + sum(group.count for group in self.validated)


@dataclass
class Summary:
    status: Counter  # {new status: distinct actions whose last change of status reached it}
    actions: dict[str, int]  # created / edited / trashed: distinct actions
    objectives: dict[str, int]  # the same for objectives
    validated: int
    validated_indicators: int

    @property
    def status_total(self) -> int:
        return sum(self.status.values())

    @property
    def status_by_label(self) -> list[tuple[str, int]]:
        return [(STATUS_LABELS[status], self.status[status]) for status in STATUS_LABELS if self.status.get(status)]


@dataclass
class ChangesReport:
    since: datetime.date
    summary: Summary
    highlights: list[Highlight]
    groups: list[AxisGroup]
    changes: list[Change]
    validated: ValidatedValues

    @property
    def total(self) -> int:
        return len(self.changes) + self.validated.total


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# What the report reads: the plan's axes, objectives and actions (their history and links, the
# import that wrote a version), the structures and the indicators. Not the actions' journal,
# milestones, comments or participations: a journal entry, written every minute, changes
# nothing here (one that changes a status or a progress writes the action).
NOT_READ = ("actions.update", "actions.milestone", "actions.comment", "actions.participation")


def changes_depend_on() -> list[str]:
    watched = [label for app in aggregates.WATCHED_APPS for label in aggregates.models_of(app)]
    return [label for label in watched if label not in NOT_READ]


def changes_report(since: datetime.date, *, plan, limit: int = 50) -> ChangesReport:
    """Everything the page shows (see the module's docstring); the validated values are
    summarised per indicator with only the `limit` newest in detail (at national scale they
    number thousands). Kept until a write to what it reads (toolkit.aggregates)."""
    return aggregates.cached(
        "changes",
        plan.pk if plan else "",
        since,
        limit,
        compute=lambda: _changes_report(since, plan=plan, limit=limit),
        depends_on=changes_depend_on(),
        timeout=aggregates.LARGE_TIMEOUT,
    )


def _changes_report(since: datetime.date, *, plan, limit: int) -> ChangesReport:
    start = start_of(since)
    changes: list[Change] = []
    if plan is not None:
        changes += _plan_object_changes(Action, start, plan=plan)
        changes += _plan_object_changes(Objective, start, plan=plan)
    changes.sort(key=lambda change: change.when, reverse=True)
    validated = _validated_values(start, limit=limit)
    axes = _plan_axes(plan)
    _indicators_axes_and_tracks(validated.groups, set(axes))
    return ChangesReport(
        since=since,
        summary=_summary(changes, validated),
        highlights=_highlights(changes, validated.groups, axes),
        groups=_groups(changes, validated.groups, axes),
        changes=changes,
        validated=validated,
    )


# The plan's objects


def _plan_object_changes(model, start: datetime.datetime, *, plan) -> list[Change]:
    """The changes to `model`'s objects of `plan` since `start`, each version compared with the
    one before it (read in the same query: the newest version before `start` of each object)."""
    history = model.history.model
    in_plan = Q(history_date__gte=start, axis__chapter__plan=plan)
    before = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=start)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = (
        history.objects.filter(id__in=history.objects.filter(in_plan).values("id"))
        .filter(in_plan | Q(history_id=Subquery(before)))
        .annotate(
            live=Exists(model.objects.filter(pk=OuterRef("id"))),
            trashed=Exists(model.all_objects.filter(pk=OuterRef("id"), deleted_at__isnull=False)),
        )
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    fields = [f for f in model._meta.concrete_fields if f.name not in NOT_EDITS]
    name = "action" if model is Action else "objective"
    found: list[Change] = []
    previous = None
    for row in rows:
        if previous is not None and previous.id != row.id:
            previous = None
        if row.history_date >= start:
            found += _compare(name, previous, row, fields)
        previous = row
    return found


def _compare(name: str, previous, row, fields) -> list[Change]:
    gone = "" if row.live else (TRASHED if row.trashed else DELETED)
    subject = _short(row.title if name == "action" else row.text)

    def change(kind: str, detail: str, **extra) -> Change:
        return Change(
            name,
            row.id,
            kind,
            row.history_date,
            history_author(person_name(row.history_user), row.history_change_reason, row.history_date),
            subject,
            detail,
            row.axis_id,
            "" if gone else row.instance.get_absolute_url(),  # the object as of this version, built without a query
            gone,
            **extra,
        )

    if row.history_type == "+":
        return [change("created", STATUS_LABELS.get(row.status, "") if name == "action" else "")]
    if row.history_type == "-":
        return [change("deleted", "")]
    if previous is None:  # a version whose predecessor the history does not hold
        return [change("edited", "")]
    found = []
    if previous.deleted_at is None and row.deleted_at is not None:
        found.append(change("trashed", ""))
    elif previous.deleted_at is not None and row.deleted_at is None:
        found.append(change("restored", ""))
    if name == "action" and row.status != previous.status:
        before, after = STATUS_LABELS.get(previous.status, previous.status), STATUS_LABELS.get(row.status, row.status)
        found.append(change("status", f"{before} → {after}", new_status=row.status))
    if name == "action" and row.progress != previous.progress:
        found.append(change("progress", f"{_percent(previous.progress)} → {_percent(row.progress)}"))
    edited = [f for f in fields if getattr(previous, f.attname) != getattr(row, f.attname)]
    if name == "objective" and any(f.name == "text" for f in edited):
        found.append(change("reworded", f"avant : « {_short(previous.text)} »"))
        edited = [f for f in edited if f.name != "text"]
    if edited:
        found.append(change("edited", ", ".join(str(f.verbose_name) for f in edited)))
    elif not found and row.history_change_reason and row.order == previous.order:
        # No field of its own changed, but something was (links to objectives, structures): the reason says what.
        found.append(change("edited", row.history_change_reason))
    return found


def _plan_axes(plan) -> dict[int, tuple[str, str, str]]:
    """{axis id: (title, url, gone)} for every axis of the plan, in the trash too, in plan order."""
    if plan is None:
        return {}
    axes = {}
    for pk, title, slug, deleted_at in (
        Axis.all_objects.filter(chapter__plan=plan)
        .order_by("chapter__order", "order", "pk")
        .values_list("pk", "title", "slug", "deleted_at")
    ):
        gone = TRASHED if deleted_at else ""
        axes[pk] = (title, "" if gone else Axis(pk=pk, slug=slug).get_absolute_url(), gone)
    return axes


# Validated values


def _validated_values(start: datetime.datetime, *, limit: int | None = None) -> ValidatedValues:
    """Values validated from `start`, grouped per indicator, plus the `limit` newest in detail
    (all of them when `limit` is None). Two queries, whatever the number of values."""
    measurement_history = Measurement.history.model
    previous_status = Subquery(
        measurement_history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    validated = (
        measurement_history.objects.filter(history_date__gte=start, status=Measurement.Status.VALIDATED)
        .annotate(previous_status=previous_status)
        .filter(Q(previous_status__isnull=True) | ~Q(previous_status=Measurement.Status.VALIDATED))
        .order_by("-history_date", "-history_id")
    )
    rows = list(
        validated.values_list(
            "history_id",
            "indicator_id",
            "indicator__name",
            "indicator__unit",
            "history_date",
            "history_change_reason",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
    )
    groups: dict[int, ValidatedGroup] = {}
    who: dict[int, Counter] = {}
    for _pk, indicator_id, name, unit, when, reason, first, last, username in rows:
        group = groups.get(indicator_id)
        if group is None:  # rows come newest first: the first one seen is the latest
            url = Indicator(pk=indicator_id).get_absolute_url()  # only its id was read
            group = groups[indicator_id] = ValidatedGroup(indicator_id, name or "—", unit or "", url, 0, when, [])
            who[indicator_id] = Counter()
        group.count += 1
        who[indicator_id][history_author(f"{first or ''} {last or ''}".strip() or username or "", reason, when)] += 1
    for indicator_id, group in groups.items():
        group.who = who[indicator_id].most_common()
    shown = [row[0] for row in (rows if limit is None else rows[:limit])]
    recent = []
    for row in (
        measurement_history.objects.filter(history_id__in=shown)
        .select_related("history_user", "indicator", "structure")
        .order_by("-history_date", "-history_id")
    ):
        where = row.structure.name if row.structure_id and row.structure else "valeur saisie pour le réseau"
        value = format_number(row.value) if row.value is not None else _short(row.text)
        unit = f" {row.indicator.unit}" if row.indicator and row.indicator.unit else ""
        recent.append(
            Change(
                "measurement",
                row.id,
                "validated",
                row.history_date,
                history_author(person_name(row.history_user), row.history_change_reason, row.history_date),
                row.indicator.name if row.indicator else "—",
                f"{period_label(row.period)} · {where} : {value}{unit}",
                None,
                groups[row.indicator_id].url,
            )
        )
    ordered = sorted(groups.values(), key=lambda group: (-group.count, group.name))
    return ValidatedValues(total=len(rows), groups=ordered, recent=recent)


def _indicators_axes_and_tracks(groups: list[ValidatedGroup], plan_axes: set[int]) -> None:
    """Set each group's axes of the plan (through its objectives and its action) and its track."""
    if not groups:
        return
    ids = [group.indicator_id for group in groups]
    directions: dict[int, str] = {}
    axes: dict[int, set[int]] = {}
    for pk, direction, action_axis, objective_axis in Indicator.objects.filter(pk__in=ids).values_list(
        "pk", "direction", "actions__axis_id", "objectives__axis_id"
    ):
        directions[pk] = direction
        axes.setdefault(pk, set()).update(axis for axis in (action_axis, objective_axis) if axis in plan_axes)
    values, targets = network_values(ids), network_targets(ids)
    for group in groups:
        group.axis_ids = axes.get(group.indicator_id, set())
        indicator = Indicator(pk=group.indicator_id, direction=directions.get(group.indicator_id, "up"))
        group.track = track_of(indicator, values.get(group.indicator_id, {}), targets.get(group.indicator_id, {}))


# The page's three parts


def _summary(changes: list[Change], validated: ValidatedValues) -> Summary:
    last_status: dict[int, str] = {}
    for change in changes:  # newest first: the first status seen is where the action ended up
        if change.kind == "status":
            last_status.setdefault(change.object_id, change.new_status)
    counts = {}
    for model in ("action", "objective"):
        objects = {kind: set() for kind in ("created", "edited", "trashed")}
        for change in changes:
            if change.model != model:
                continue
            if change.kind == "created":
                objects["created"].add(change.object_id)
            elif change.kind in ("trashed", "deleted"):
                objects["trashed"].add(change.object_id)
            elif change.kind in ("progress", "edited", "reworded", "restored"):
                objects["edited"].add(change.object_id)
        counts[model] = {kind: len(ids) for kind, ids in objects.items()}
    return Summary(
        status=Counter(last_status.values()),
        actions=counts["action"],
        objectives=counts["objective"],
        validated=validated.total,
        validated_indicators=len(validated.groups),
    )


def _highlights(changes: list[Change], groups: list[ValidatedGroup], axes: dict) -> list[Highlight]:
    """The HIGHLIGHTS most significant changes (SIGNIFICANCE), one per object, newest first within a rank."""

    def axis_title(axis_ids) -> str:
        return " · ".join(axes[pk][0] for pk in axes if pk in axis_ids)

    candidates = [
        Highlight(
            change.when, change.who, change.sentence, change.url, change.gone, change.rank, axis_title({change.axis_id})
        )
        for change in changes
    ]
    keys = [(change.model, change.object_id) for change in changes]
    for group in groups:
        who = ", ".join(name for name, _n in group.who)
        candidates.append(
            Highlight(group.latest, who, group.sentence, group.url, "", group.rank, axis_title(group.axis_ids))
        )
        keys.append(("indicator", group.indicator_id))
    order = sorted(range(len(candidates)), key=lambda i: (candidates[i].rank, -candidates[i].when.timestamp()))
    chosen, seen = [], set()
    for i in order:
        if keys[i] in seen:
            continue
        seen.add(keys[i])
        chosen.append(candidates[i])
        if len(chosen) == HIGHLIGHTS:
            break
    return chosen


def _groups(changes: list[Change], validated: list[ValidatedGroup], axes: dict) -> list[AxisGroup]:
    """The changes per axis in plan order, then the indicators of no axis of the plan; empty groups left out."""
    groups = {pk: AxisGroup(pk, title, url, gone) for pk, (title, url, gone) in axes.items()}
    outside = AxisGroup(None, "Indicateurs rattachés à aucun axe du projet", "", "")
    for change in changes:
        groups.get(change.axis_id, outside).changes.append(change)
    for group in validated:
        for axis_id in sorted(group.axis_ids, key=list(axes).index):
            groups[axis_id].validated.append(group)
        if not group.axis_ids:
            outside.validated.append(group)
    return [group for group in [*groups.values(), outside] if group.changes or group.validated]


def _percent(value) -> str:
    return "—" if value is None else f"{value}\u202f%"


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
