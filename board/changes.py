"""« Ce qui a changé depuis le … », read from django-simple-history's tables.

Each kind of change is one query over a historical table, each row compared with the
previous version of the same object through a correlated subquery: a fixed number of
queries whatever the number of changes. Validated values, thousands at national scale,
are summarised per indicator, with only the newest in detail.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from actions.models import Action
from axes.models import Objective
from indicators.models import Indicator, Measurement, format_number, period_label
from toolkit import aggregates


@dataclass
class Change:
    kind: str
    when: datetime.datetime
    who: str
    subject: str
    detail: str
    url: str


KINDS = {
    "created": "Actions créées",
    "status": "Changements de statut",
    "progress": "Avancement modifié",
    "objective": "Objectifs modifiés",
    "validated": "Valeurs d'indicateurs validées",
}


def _who(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _previous(history_model, field_name: str):
    """The value of `field_name` in the version just before each historical row."""
    return Subquery(
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values(field_name)[:1]
    )


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def changes_since(since: datetime.date, *, plan=None, with_values: bool = True) -> dict[str, list[Change]]:
    """{kind: [Change, newest first]} for everything that changed from `since` (inclusive)."""
    start = start_of(since)
    result: dict[str, list[Change]] = {kind: [] for kind in KINDS}
    statuses = dict(Action.Status.choices)

    action_history = Action.history.model
    actions = (
        action_history.objects.filter(history_date__gte=start)
        .annotate(
            previous_status=_previous(action_history, "status"), previous_progress=_previous(action_history, "progress")
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if plan is not None:
        actions = actions.filter(axis__chapter__plan=plan)
    for row in actions:
        url = row.instance.get_absolute_url()  # the action as of this version, built without a query
        who, subject = _who(row.history_user), _short(row.title)
        if row.history_type == "+":
            result["created"].append(
                Change("created", row.history_date, who, subject, statuses.get(row.status, row.status), url)
            )
            continue
        if row.history_type != "~":
            continue
        if row.previous_status is not None and row.status != row.previous_status:
            detail = (
                f"{statuses.get(row.previous_status, row.previous_status)} → {statuses.get(row.status, row.status)}"
            )
            result["status"].append(Change("status", row.history_date, who, subject, detail, url))
        if row.progress != row.previous_progress:
            detail = f"{_percent(row.previous_progress)} → {_percent(row.progress)}"
            result["progress"].append(Change("progress", row.history_date, who, subject, detail, url))

    objective_history = Objective.history.model
    objectives = (
        objective_history.objects.filter(history_date__gte=start, history_type__in=["+", "~"])
        .annotate(previous_text=_previous(objective_history, "text"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if plan is not None:
        objectives = objectives.filter(axis__chapter__plan=plan)
    for row in objectives:
        if row.history_type == "~" and row.text == row.previous_text:
            continue  # saved without a change of wording (e.g. reordered)
        detail = "Nouvel objectif" if row.history_type == "+" else f"Avant : « {_short(row.previous_text or '')} »"
        result["objective"].append(
            Change(
                "objective",
                row.history_date,
                _who(row.history_user),
                _short(row.text),
                detail,
                row.instance.get_absolute_url(),
            )
        )

    if with_values:
        result["validated"] = _validated_values(start).recent
    return result


@dataclass
class ValidatedGroup:
    """The values of one indicator validated since the date: how many, by whom, when last."""

    indicator_id: int
    name: str
    url: str
    count: int
    latest: datetime.datetime
    who: list[tuple[str, int]]  # (name, how many), most first


@dataclass
class ValidatedValues:
    total: int
    groups: list[ValidatedGroup]
    recent: list[Change]  # the newest ones, detailed

    @property
    def omitted(self) -> int:
        return self.total - len(self.recent)


def _validated_values(start: datetime.datetime, *, limit: int | None = None) -> ValidatedValues:
    """Values validated from `start`, grouped per indicator, plus the `limit` newest in detail
    (all of them when `limit` is None). Two queries, whatever the number of values."""
    measurement_history = Measurement.history.model
    validated = (
        measurement_history.objects.filter(history_date__gte=start, status=Measurement.Status.VALIDATED)
        .annotate(previous_status=_previous(measurement_history, "status"))
        .filter(Q(previous_status__isnull=True) | ~Q(previous_status=Measurement.Status.VALIDATED))
        .order_by("-history_date", "-history_id")
    )
    rows = list(
        validated.values_list(
            "history_id",
            "indicator_id",
            "indicator__name",
            "history_date",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
    )
    groups: dict[int, ValidatedGroup] = {}
    who: dict[int, Counter] = {}
    for _pk, indicator_id, name, when, first, last, username in rows:
        group = groups.get(indicator_id)
        if group is None:  # rows come newest first: the first one seen is the latest
            url = Indicator(pk=indicator_id).get_absolute_url()  # only its id was read
            group = groups[indicator_id] = ValidatedGroup(indicator_id, name or "—", url, 0, when, [])
            who[indicator_id] = Counter()
        group.count += 1
        who[indicator_id][f"{first} {last}".strip() or username or "—"] += 1
    for indicator_id, group in groups.items():
        group.who = who[indicator_id].most_common()
    shown = [row[0] for row in (rows if limit is None else rows[:limit])]
    recent = []
    for row in (
        measurement_history.objects.filter(history_id__in=shown)
        .select_related("history_user", "indicator", "structure")
        .order_by("-history_date", "-history_id")
    ):
        where = row.structure.name if row.structure_id and row.structure else "réseau"
        value = format_number(row.value) if row.value is not None else _short(row.text)
        unit = f" {row.indicator.unit}" if row.indicator and row.indicator.unit else ""
        recent.append(
            Change(
                "validated",
                row.history_date,
                _who(row.history_user),
                row.indicator.name if row.indicator else "—",
                f"{period_label(row.period)} · {where} : {value}{unit}",
                groups[row.indicator_id].url,
            )
        )
    ordered = sorted(groups.values(), key=lambda group: (-group.count, group.name))
    return ValidatedValues(total=len(rows), groups=ordered, recent=recent)


def changes_summary(
    since: datetime.date, *, plan=None, limit: int = 50
) -> tuple[dict[str, list[Change]], ValidatedValues]:
    """What the page shows: every change to the plan, and the validated values summarised per
    indicator with only the `limit` newest in detail (at national scale they number thousands).
    Read from the history tables; kept until the next write (toolkit.aggregates)."""

    def compute():
        found = changes_since(since, plan=plan, with_values=False)
        validated = _validated_values(start_of(since), limit=limit)
        found["validated"] = validated.recent
        return found, validated

    return aggregates.cached("changes", plan.pk if plan else "", since, limit, compute=compute)


def _percent(value) -> str:
    return "—" if value is None else f"{value}\u202f%"


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
