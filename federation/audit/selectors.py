"""Reading every model's history at once, filtered by person, date and kind of object.

Each model with `history = HistoricalRecords()` (django-simple-history) has its own table; the
audit reads them as one list with a UNION ALL of their common columns, ordered by date, so
that the database sorts and cuts the page whatever the number of tables. A page then costs
one query for its rows (the objects' names included), one for its count (stopped at the
audit's MAX_COUNT rows) and one for the people named, whatever the number of rows, of
kinds of object or of accounts.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from types import MappingProxyType

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Substr
from django.utils.functional import cached_property

from .. import models as federation_models  # noqa: F401 - registers the accounts' history

KINDS = {"+": "Création", "~": "Modification", "-": "Suppression définitive"}
# Fields that name an object, in the order they are tried.
NAME_FIELDS = ("title", "name", "text", "username", "period", "code")
NAME_MAX = 120
# Newest first; then by object and kind of object, the order of each history table's
# (history_date, object id) index (SIMPLE_HISTORY_DATE_INDEX), history_id for the rest.
ORDER = ("-history_date", "-audit_object_id", "audit_model", "-history_id")


@functools.cache
def tracked_models() -> MappingProxyType[str, type[models.Model]]:
    """Every model whose writes the history records, by label, in a stable order (read once
    the models are loaded: a page asks for it once per row)."""
    found = {
        model._meta.label_lower: model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None) == "history"
    }
    return MappingProxyType(dict(sorted(found.items(), key=lambda item: str(item[1]._meta.verbose_name))))


def _name_column(history) -> Cast:
    """The first of NAME_FIELDS the history table has, cut to NAME_MAX characters, as text."""
    names = {field.name for field in history._meta.fields}
    field = next((name for name in NAME_FIELDS if name in names), None)
    if field is None:
        return Cast(Value(""), TextField())
    return Cast(Substr(Cast(F(field), TextField()), 1, NAME_MAX), TextField())


@functools.cache
def _columns(label: str) -> models.QuerySet:
    """The columns the audit reads from one model's history table, unfiltered. Built once per
    process (23 tables, 9 ms a page): only its clones, filtered, are ever evaluated."""
    model = tracked_models()[label]
    history = model.history.model
    return (
        history.objects.order_by()  # the parts of a UNION carry no ORDER BY
        .annotate(
            audit_object_id=F(model._meta.pk.attname),
            audit_model=Cast(Value(label), TextField()),
            audit_name=_name_column(history),
        )
        .values_list(
            "history_id",
            "history_date",
            "history_user_id",
            "history_type",
            "history_change_reason",
            "audit_object_id",
            "audit_model",
            "audit_name",
        )
    )


def history_rows(
    *,
    user_id: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    model_label: str | None = None,
    newest: int | None = None,
):
    """One queryset of (history_id, history_date, history_user_id, history_type, reason,
    object_id, model, name) over every tracked model's history, newest first: `name` is the
    object's title, name or text as that history row recorded it. None when no model matches
    `model_label`.

    With `newest`, each table gives only its `newest` most recent rows, which is all that the
    first `newest` rows of the whole need: the database reads them from each table's
    (history_date, object id) index instead of sorting every row of the period. SQLite allows
    no LIMIT inside a UNION: there, `newest` changes nothing."""
    cut = newest is not None and connection.features.supports_slicing_ordering_in_compound
    parts = []
    for label, model in tracked_models().items():
        if model_label and label != model_label:
            continue
        rows = _columns(label)
        if user_id is not None:
            rows = rows.filter(history_user_id=user_id)
        if since is not None:
            rows = rows.filter(history_date__gte=since)
        if until is not None:
            rows = rows.filter(history_date__lt=until)
        parts.append((rows, model._meta.pk.attname))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0][0].order_by(*ORDER)
    if cut:
        # ORDER within one table (whose rows all name the same model).
        parts = [(rows.order_by("-history_date", f"-{pk}", "-history_id")[:newest], pk) for rows, pk in parts]
    (first, _pk), *others = parts
    return first.union(*(rows for rows, _pk in others), all=True).order_by(*ORDER)


@dataclass
class AuditRow:
    history_id: int
    date: datetime.datetime
    user_id: int | None
    type: str
    reason: str | None
    object_id: int
    label: str
    name: str
    person: object = None

    @property
    def kind(self) -> str:
        return KINDS.get(self.type, self.type)

    @cached_property
    def model(self):
        return tracked_models()[self.label]

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()


def describe(rows: list[tuple]) -> list[AuditRow]:
    """The rows of a page with their people, in one query whatever the number of rows."""
    result = [AuditRow(*row) for row in rows]
    people = get_user_model()._default_manager.in_bulk({row.user_id for row in result if row.user_id})
    for row in result:
        row.person = people.get(row.user_id)
        row.name = " ".join((row.name or "").split())
        if len(row.name) >= NAME_MAX:
            row.name = row.name[: NAME_MAX - 1] + "…"
    return result
