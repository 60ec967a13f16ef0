"""Reading an object's history (django-simple-history) as a readable French diff.

Generic over every model with `history = HistoricalRecords()`, so the actions app uses
it too. A page showing a history makes one query for the records, one per many-to-many field
the model records (`m2m_fields`) and one per kind of related object named in them, whatever
the number of records.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import models

from toolkit.french import long_date, long_datetime
from toolkit.history import link_rows_model, links_known

# The reason the plan import writes on every history row it makes (toolkit.history.change_reason).
IMPORT_REASON = "Import du document « {document} »"
# Rows written before the reason took no-break spaces (issue 15) have plain ones.
_IMPORTED = re.compile(r"Import du document «[ \u00a0](?P<document>.*)[ \u00a0]»")
# The history's reason field holds 100 characters.
_DOCUMENT_NAME_MAX = 100 - len(IMPORT_REASON.format(document=""))


def import_reason(document: str) -> str:
    """The history reason of a row written by importing `document` (its file name or title)."""
    if len(document) > _DOCUMENT_NAME_MAX:
        document = document[: _DOCUMENT_NAME_MAX - 1] + "…"
    return IMPORT_REASON.format(document=document)


def imported_document(reason: str | None) -> str | None:
    """The document named by an import's history reason; None for any other reason."""
    match = _IMPORTED.fullmatch(reason or "")
    return match["document"] if match else None


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def history_author(name: str, reason: str | None, when: datetime.datetime) -> str:
    """Who made a history row, in words, from the person's `name` (person_name; "" for none)
    and the row's reason: the person; for a row a plan import wrote, « import du document
    « projet.txt » du 12/03/2026 » (after the person's name when someone ran it); otherwise
    « système » (a command or a migration), never a bare dash."""
    document = imported_document(reason)
    if document is None:
        return name or "système"
    imported = f"import du document « {document} » du {long_date(when)}"
    return f"{name} ({imported})" if name else imported


# Bookkeeping fields nobody needs to read in a diff.
HIDDEN_FIELDS = {"id", "version"}
EMPTY = "(vide)"
KINDS = {"+": "Création", "~": "Modification", "-": "Suppression définitive"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str  # the field's French verbose name
    old: str
    new: str
    # A many-to-many field's change: the objects linked and unlinked, by name (old and new are "").
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_links(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def links_text(self) -> str:
        """« ajouté « A », « B » ; retiré « C » »."""
        parts = [
            f"{verb} {', '.join(names)}" for verb, names in (("ajouté", self.added), ("retiré", self.removed)) if names
        ]
        return " ; ".join(parts)


@dataclass
class HistoryEntry:
    record: models.Model
    kind: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def date(self):
        return self.record.history_date

    @property
    def author(self) -> str:
        record = self.record
        return history_author(person_name(record.history_user), record.history_change_reason, record.history_date)

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""

    @property
    def version(self) -> int | None:
        return getattr(self.record, "version", None)


def _tracked_fields(record) -> list[models.Field]:
    return [f for f in record.instance_type._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


Links = dict[models.Field, dict[int, set]]


def _links(records: list) -> Links:
    """{many-to-many field: {history_id: ids linked}} for the records that hold their links
    (toolkit.history.links_known), one query per field; {} for a model that records none."""
    known = [record.history_id for record in records if links_known(record)]
    links: Links = {}
    for f in getattr(type(records[0]), "_history_m2m_fields", ()) if records else ():
        rows = link_rows_model(type(records[0]), f)
        other = rows._meta.get_field(f.m2m_reverse_field_name()).attname
        links[f] = {history_id: set() for history_id in known}
        for history_id, pk in rows.objects.filter(history_id__in=known).values_list("history_id", other):
            links[f][history_id].add(pk)
    return links


def _fk_labels(records: list, fields: list[models.Field], links: Links | None = None) -> dict[tuple[type, object], str]:
    """{(model, pk): str(object)} for every related object the records name, one query per model."""
    wanted: dict[type, set] = {}
    for f in fields:
        if f.is_relation and f.many_to_one:
            for record in records:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    for f, snapshots in (links or {}).items():
        for pks in snapshots.values():
            wanted.setdefault(f.related_model, set()).update(pks)
    labels = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            label = (obj.get_full_name() or obj.get_username()) if hasattr(obj, "get_username") else str(obj)
            # History names what is in the trash too, and says so (it is never linked).
            labels[(model, obj.pk)] = f"{label} (à la corbeille)" if getattr(obj, "in_trash", False) else label
    return labels


def _display(f: models.Field, value, labels: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return labels.get((f.related_model, value), f"n° {value} (supprimé)")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return long_datetime(value)
    if hasattr(value, "year"):
        return long_date(value)
    return str(value)


def _diff(old, new, fields: list[models.Field], labels: dict) -> list[FieldChange]:
    changes = []
    for f in fields:
        before = getattr(old, f.attname) if old is not None else None
        after = getattr(new, f.attname)
        if before != after and not (old is None and after in (None, "")):
            changes.append(
                FieldChange(
                    f.name,
                    str(f.verbose_name),
                    _display(f, before, labels),
                    _display(f, after, labels),
                )
            )
    return changes


def _link_name(f: models.Field, pk, labels: dict) -> str:
    label = labels.get((f.related_model, pk), f"n° {pk} (supprimé)")
    return f"« {label if len(label) <= 80 else label[:79] + '…'} »"


def _link_diff(old, new, links: Links, labels: dict) -> list[FieldChange]:
    """The links added and removed from `old` (None: the creation) to `new`; nothing when
    either record was written before the links were recorded."""
    changes = []
    for f, snapshots in links.items():
        if new.history_id not in snapshots or (old is not None and old.history_id not in snapshots):
            continue
        before = snapshots[old.history_id] if old is not None else set()
        after = snapshots[new.history_id]
        if before == after:
            continue
        added = tuple(sorted(_link_name(f, pk, labels) for pk in after - before))
        removed = tuple(sorted(_link_name(f, pk, labels) for pk in before - after))
        changes.append(FieldChange(f.name, str(f.verbose_name), "", "", added=added, removed=removed))
    return changes


def changes_between(old_record, new_record) -> list[FieldChange]:
    """What differs between two historical records of the same object, in French, links included."""
    fields = _tracked_fields(new_record)
    links = _links([old_record, new_record])
    labels = _fk_labels([old_record, new_record], fields, links)
    return _diff(old_record, new_record, fields, labels) + _link_diff(old_record, new_record, links, labels)


def history_entries(obj: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """The object's history, newest first, each entry with what changed since the previous one."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    if not records:
        return []
    fields = _tracked_fields(records[0])
    links = _links(records)
    labels = _fk_labels(records, fields, links)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        kind = KINDS.get(record.history_type, record.history_type)
        if previous is not None and getattr(previous, "deleted_at", 1) is None and getattr(record, "deleted_at", None):
            kind = "Mise à la corbeille"
        elif previous is not None and getattr(previous, "deleted_at", None) is not None and record.deleted_at is None:
            kind = "Restauration depuis la corbeille"
        entries.append(
            HistoryEntry(
                record=record,
                kind=kind,
                changes=_diff(previous, record, fields, labels) + _link_diff(previous, record, links, labels),
            )
        )
    return entries
