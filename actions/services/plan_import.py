"""The use case that writes a whole plan document (chapters, axes, objectives, actions, partners).

The import remembers what the document said for each object it writes (ImportProvenance:
document, checksum, line, text, fields). Importing again compares, field by field, what the
document said then, what it says now and what staff made of the object in the app:

- the document did not change it: the app's version stays (« modifié dans l'application, conservé »);
- the document changed it and staff did not: it is updated in place (same row, links, journal, history);
- both changed it: a conflict, shown with both texts; the app's version stays unless staff
  (or ``import_plan --prefer-document``) take the document's;
- the document no longer has it: listed as « absent du document », left alone unless staff
  send it to the trash.

An object is found again by what the document said of it, whatever staff renamed it to, so
that no edit in the app makes the next import create a duplicate.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from actions.models import Action, ActionPartner, ImportProvenance
from axes.document import ParsedAction, ParsedAxis, ParsedPlan, parse_plan_document
from axes.models import Axis, Chapter, Objective, Plan, PlanObject
from axes.office import document_text
from axes.selectors import import_reason
from axes.services import (
    axis_create,
    axis_update,
    chapter_create,
    chapter_update,
    objective_create,
    objective_update,
    plan_create,
    plan_update,
)
from network.models import Partner
from toolkit.history import change_reason
from toolkit.text import APOSTROPHES, fold

from .actions import action_update
from .trash import plan_object_trash

DEFAULT_PLAN_TITLE = "Projet fédéral"
UNTITLED_CHAPTER = "Axes du projet"

KEEP_APP, TAKE_DOCUMENT = "app", "document"

# What each kind of object is called in the report, and the field that identifies it.
_KIND_MODELS = {
    ImportProvenance.Kind.CHAPTER: Chapter,
    ImportProvenance.Kind.AXIS: Axis,
    ImportProvenance.Kind.OBJECTIVE: Objective,
    ImportProvenance.Kind.ACTION: Action,
}
_IDENTITY = {Chapter: "title", Axis: "title", Objective: "text", Action: "title"}
# Fields the document gives but that are no one's wording: followed, never reported.
_SILENT_FIELDS = {"order"}


@dataclass
class FieldVersions:
    """One field changed on both sides: the app's value and the document's."""

    name: str
    label: str
    app: str
    document: str


@dataclass
class ImportChange:
    # create | update | unchanged | kept (modifié dans l'application, conservé) | conflict |
    # absent (absent du document) | trashed (sent to the trash at staff's request) | in_trash
    kind: str
    model: str  # French verbose name
    label: str
    fields: list[str] = field(default_factory=list)
    key: str = ""  # "axis-12": how staff's choices name the object (conflicts, absent ones)
    versions: list[FieldVersions] = field(default_factory=list)  # conflicts
    resolution: str = ""  # conflicts: KEEP_APP or TAKE_DOCUMENT
    line: int | None = None  # where the document says it
    note: str = ""

    @property
    def operation(self) -> str:
        return {
            "create": "Création",
            "update": "Modification",
            "unchanged": "Inchangé",
            "kept": "Modifié dans l’application, conservé",
            "conflict": "Conflit : modifié dans l’application et dans le document",
            "absent": "Absent du document",
            "trashed": "Absent du document, mis à la corbeille",
            "in_trash": "Dans la corbeille, laissé",
        }[self.kind]


@dataclass
class PlanImportReport:
    plan: Plan | None
    dry_run: bool
    changes: list[ImportChange] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)
    axes: int = 0
    objectives: int = 0
    partners: int = 0
    actions_by_status: dict[str, int] = field(default_factory=dict)
    # The plan's period after the import, and the document lines that state it (if they do).
    start_year: int | None = None
    end_year: int | None = None
    title_lines: list[tuple[int, str]] = field(default_factory=list)
    document_start_year: int | None = None
    document_end_year: int | None = None

    def record(self, kind: str, obj, fields: list[str] | None = None, **extra) -> ImportChange:
        change = ImportChange(kind, str(obj._meta.verbose_name), str(obj), fields or [], **extra)
        self.changes.append(change)
        return change

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def kept(self) -> list[ImportChange]:
        return [change for change in self.changes if change.kind == "kept"]

    @property
    def conflicts(self) -> list[ImportChange]:
        return [change for change in self.changes if change.kind == "conflict"]

    @property
    def absent(self) -> list[ImportChange]:
        return [change for change in self.changes if change.kind in ("absent", "trashed")]

    @property
    def period_line(self) -> str:
        """« Période du projet : 2022–2026 (lue dans le document, l. 1 « … ») », or says none is known."""
        if self.start_year and self.end_year:
            period = f"{self.start_year}–{self.end_year}"
        elif self.start_year or self.end_year:
            period = f"{self.start_year or '?'}–{self.end_year or '?'}"
        else:
            return "Période du projet : non renseignée (ni le document ni le projet ne la donnent)"
        if self.title_lines and (self.start_year, self.end_year) == (self.document_start_year, self.document_end_year):
            where = ", ".join(f"l. {number} « {text} »" for number, text in self.title_lines)
            return f"Période du projet : {period} (lue dans le document, {where})"
        return f"Période du projet : {period}"

    def summary_lines(self) -> list[str]:
        labels = dict(Action.Status.choices)
        lines = [
            self.period_line,
            f"Axes : {self.axes}",
            f"Objectifs : {self.objectives}",
            "Actions : " + ", ".join(f"{labels[status]} {n}" for status, n in self.actions_by_status.items() if n),
            f"Partenaires : {self.partners}",
            f"Créés : {self.created}, modifiés : {self.updated}, inchangés : {self.unchanged}",
        ]
        for change in self.kept:
            lines.append(f"{change.model.capitalize()} « {change.label} » : modifié dans l’application, conservé")
        for change in self.conflicts:
            outcome = (
                "version du document retenue"
                if change.resolution == TAKE_DOCUMENT
                else "version de l’application conservée"
            )
            lines.append(f"Conflit sur {change.model} « {change.label} » ({outcome}) :")
            for version in change.versions:
                lines.append(f"  {version.label} — application : « {version.app} » ; document : « {version.document} »")
        for change in self.absent:
            where = "mis à la corbeille" if change.kind == "trashed" else "laissé en place"
            lines.append(f"{change.model.capitalize()} « {change.label} » : absent du document, {where}{change.note}")
        if self.dropped:
            lines.append(
                "Lignes ignorées (navigation du site web) : " + ", ".join(f"l. {n} « {t} »" for n, t in self.dropped)
            )
        return lines


class _DryRunRollback(Exception):
    pass


def document_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def plan_import(
    *,
    source: bytes | str,
    plan_title: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    document_name: str = "",
    checksum: str = "",
    dry_run: bool = False,
    resolutions: dict[str, str] | None = None,
    prefer_document: bool = False,
    trash: Iterable[str] = (),
    trash_absent: bool = False,
    user,
) -> PlanImportReport:
    """Write a plan document into the database, all or nothing, as `user` (None for a
    command run without one: the history then says « l'import »).

    `source` is the file as uploaded (Word, OpenDocument, PDF or text: axes.office reads
    it) or its text. The plan's period is `start_year`–`end_year` when given (staff set it
    in the preview, or `import_plan --period`), else the one the document states in its
    title line, else the plan keeps the years it has; a year given alone changes only that end.

    Objects are matched to what a previous import created (see the module's docstring); a
    conflict keeps the app's version unless `resolutions` maps its key to "document" or
    `prefer_document` is set; objects absent from the document whose key is in `trash` go to
    the trash (all of them with `trash_absent`), others stay. The plan's structure is written through its services
    (axes.services), actions' edits through action_update: every history row names `user`,
    and says it came from importing `document_name`. Raises DocumentError (French message)
    for a document that cannot be read; nothing is written then. With dry_run, everything is
    computed inside a transaction rolled back.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        checksum = checksum or hashlib.sha256(bytes(source)).hexdigest()
        source = document_text(bytes(source))
    checksum = checksum or hashlib.sha256(source.encode()).hexdigest()
    parsed = parse_plan_document(source)
    report = PlanImportReport(
        plan=None,
        dry_run=dry_run,
        dropped=list(parsed.dropped),
        title_lines=list(parsed.title_lines),
        document_start_year=parsed.start_year,
        document_end_year=parsed.end_year,
    )
    years = {}
    if start_year is not None or end_year is not None:
        years = {"start_year": start_year, "end_year": end_year}
    elif parsed.start_year is not None:
        years = {"start_year": parsed.start_year, "end_year": parsed.end_year}
    years = {name: value for name, value in years.items() if value is not None}
    writer = _Writer(
        report,
        user=user,
        document_name=document_name or plan_title or DEFAULT_PLAN_TITLE,
        checksum=checksum,
        resolutions=dict(resolutions or {}),
        prefer_document=prefer_document,
        trash=set(trash),
        trash_absent=trash_absent,
    )
    try:
        with transaction.atomic(), change_reason(import_reason(document_name or plan_title or DEFAULT_PLAN_TITLE)):
            _serialize_plan_imports()
            writer.write(parsed, plan_title or DEFAULT_PLAN_TITLE, years)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report.plan = None
    return report


# The statuses a project (« Projets déjà engagés ») may have.
_PROJECT_STATUSES = (Action.Status.PLANNED, Action.Status.IN_PROGRESS, Action.Status.DONE, Action.Status.ABANDONED)


def _project_status(written: str) -> str | None:
    """The status an export note names (« Terminée »), if a project may have it."""
    return next((status for status in _PROJECT_STATUSES if fold(str(status.label)) == fold(written.strip())), None)


# Any constant: the key of the PostgreSQL advisory lock that plan imports queue on.
PLAN_IMPORT_LOCK = 8_117_645


def _serialize_plan_imports() -> None:
    """Make two imports at once run one after the other, so the second sees what the first
    created instead of creating it twice. SQLite already lets one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLAN_IMPORT_LOCK])


# --- Comparing texts ----------------------------------------------------------------------

_LINE_MARKER = re.compile(r"(?m)^(?:[→•▪◦●○■□►▸▶➢➤➔✓✔–—·]|->|=>|[-*+](?=\s))\s*")


def _comparable(value):
    """A value as a change is judged: a text's apostrophes, list markers and spacing are
    the writer's habits, not a change of the plan."""
    if not isinstance(value, str):
        return value
    text = _LINE_MARKER.sub("• ", value.translate(APOSTROPHES))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _same(first, second) -> bool:
    return _comparable(first) == _comparable(second)


def _identity_key(text: str) -> str:
    """What finds an object again: its text without case, accents, punctuation habits."""
    return " ".join(fold(_comparable(text) or "").replace("«", " ").replace("»", " ").split())


def _display(value) -> str:
    return "" if value is None else str(value)


# --- Matching document items to objects ---------------------------------------------------


@dataclass
class _Item:
    """One object as the document gives it."""

    kind: str
    identity: str  # the text that identifies it (a title, an objective's text)
    line: int | None
    values: dict  # every field the document sets
    extra: dict = field(default_factory=dict)  # kept in the provenance, compared separately (partners)

    @property
    def key(self) -> str:
        return _identity_key(self.identity)


@dataclass
class _Match:
    item: _Item
    obj: PlanObject | None = None
    provenance: ImportProvenance | None = None


class _Provenances:
    """The plan's provenance rows, by kind and object."""

    def __init__(self, plan: Plan | None):
        rows = list(ImportProvenance.objects.filter(plan=plan)) if plan is not None and plan.pk else []
        self.by_object = {(row.kind, row.object_id): row for row in rows}

    def of(self, kind: str, obj: PlanObject) -> ImportProvenance | None:
        return self.by_object.get((kind, obj.pk))

    def rows(self, kind: str) -> list[ImportProvenance]:
        return [row for (row_kind, _), row in self.by_object.items() if row_kind == kind]


def _match_group(
    items: list[_Item], candidates: list[PlanObject], provenances: _Provenances, used: set[tuple[str, int]]
) -> list[_Match]:
    """Pair the document's items of one parent with its existing objects (trash included):
    first by what the document said of the object, then by its current text, then a revised
    item with the remaining object the document said most nearly the same of."""
    matches = [_Match(item) for item in items]
    if not candidates:
        return matches
    kind = items[0].kind if items else ""

    def take(match: _Match, obj: PlanObject) -> None:
        match.obj, match.provenance = obj, provenances.of(kind, obj)
        used.add((kind, obj.pk))

    def free(obj: PlanObject) -> bool:
        return (kind, obj.pk) not in used

    by_said: dict[str, list[PlanObject]] = {}
    by_text: dict[str, list[PlanObject]] = {}
    for obj in candidates:
        provenance = provenances.of(kind, obj)
        if provenance is not None:
            by_said.setdefault(_identity_key(provenance.text), []).append(obj)
        by_text.setdefault(_identity_key(getattr(obj, _IDENTITY[type(obj)])), []).append(obj)
    for index in (by_said, by_text):
        for match in matches:
            if match.obj is None:
                found = next((obj for obj in index.get(match.item.key, []) if free(obj)), None)
                if found is not None:
                    take(match, found)
    # Revised in the document: the closest remaining object the document created.
    pending = [match for match in matches if match.obj is None]
    remaining = [obj for obj in candidates if free(obj) and provenances.of(kind, obj) is not None]
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, match.item.key, _identity_key(provenances.of(kind, obj).text)).ratio(), i, j)
            for i, match in enumerate(pending)
            for j, obj in enumerate(remaining)
        ),
        reverse=True,
    )
    for ratio, i, j in pairs:
        if ratio < 0.6:
            break
        if pending[i].obj is None and free(remaining[j]):
            take(pending[i], remaining[j])
    # Rewritten beyond recognition: in document order, the items left take the objects left
    # from the same section (an action's status section), rather than making a duplicate.
    leftovers = [obj for obj in remaining if free(obj)]
    leftovers.sort(key=lambda obj: (provenances.of(kind, obj).line or 0, obj.pk))
    for match in pending:
        section = match.item.extra.get("status")
        found = next(
            (
                obj
                for obj in leftovers
                if free(obj) and provenances.of(kind, obj).values.get("_extra", {}).get("status") == section
            ),
            None,
        )
        if match.obj is None and found is not None:
            take(match, found)
    return matches


# --- Writing ------------------------------------------------------------------------------


class _Writer:
    def __init__(
        self,
        report: PlanImportReport,
        *,
        user,
        document_name: str,
        checksum: str,
        resolutions: dict[str, str],
        prefer_document: bool,
        trash: set[str],
        trash_absent: bool = False,
    ):
        self.report = report
        self.user = user
        self.document_name = document_name
        self.checksum = checksum
        self.resolutions = resolutions
        self.prefer_document = prefer_document
        self.trash = trash
        self.trash_absent = trash_absent
        self.used: set[tuple[str, int]] = set()
        self.provenances = _Provenances(None)
        self.partners = _PartnerBook(report, user=user)
        self.partner_names: set[str] = set()

    def write(self, parsed: ParsedPlan, title: str, years: dict) -> None:
        report = self.report
        plan = Plan.all_objects.filter(title__iexact=title).order_by("pk").first()
        if plan is None:
            plan = plan_create(
                title=title,
                start_year=years.get("start_year"),
                end_year=years.get("end_year"),
                status=Plan.Status.ACTIVE,
                user=self.user,
            )
            report.record("create", plan)
        else:
            # Found by its title; its years are the only other fields an import sets.
            changed = {name: value for name, value in years.items() if getattr(plan, name) != value}
            if changed:
                plan = plan_update(plan=plan, data=changed, expected_version=None, user=self.user)
                report.record("update", plan, [*changed, "version"])
            else:
                report.record("unchanged", plan)
        report.plan = plan
        report.start_year, report.end_year = plan.start_year, plan.end_year
        self.plan = plan
        self.provenances = _Provenances(plan)
        # How many times the document names each action: one named once is found again where
        # staff moved it (see _moved_here).
        self.action_keys = Counter(
            _identity_key(entry.title)
            for parsed_axis in parsed.axes
            for entry in parsed_axis.previous_actions + parsed_axis.projects + parsed_axis.leads
        )
        status_counts = dict.fromkeys(Action.Status.values, 0)

        chapter_items = [
            _Item(
                ImportProvenance.Kind.CHAPTER,
                parsed_chapter.title or UNTITLED_CHAPTER,
                parsed_chapter.line,
                {"title": parsed_chapter.title or UNTITLED_CHAPTER, "order": order},
            )
            for order, parsed_chapter in enumerate(parsed.chapters, start=1)
        ]
        chapters = self._write_group(
            chapter_items,
            list(Chapter.all_objects.filter(plan=plan)),
            create=lambda values, item: chapter_create(plan=plan, user=self.user, **values),
            update=lambda obj: partial(chapter_update, chapter=obj),
        )
        for parsed_chapter, chapter in zip(parsed.chapters, chapters, strict=True):
            axis_items = [
                _Item(ImportProvenance.Kind.AXIS, parsed_axis.title, parsed_axis.line, _axis_values(parsed_axis, order))
                for order, parsed_axis in enumerate(parsed_chapter.axes, start=1)
            ]
            candidates = list(Axis.all_objects.filter(chapter=chapter)) if chapter.pk else []
            axes = self._write_group(
                axis_items,
                candidates,
                create=lambda values, item, chapter=chapter: axis_create(chapter=chapter, user=self.user, **values),
                update=lambda obj: partial(axis_update, axis=obj),
            )
            for parsed_axis, axis in zip(parsed_chapter.axes, axes, strict=True):
                report.axes += 1
                self._write_objectives(axis, parsed_axis)
                self._write_actions(axis, parsed_axis, status_counts)
        self._report_absent()
        report.actions_by_status = status_counts
        report.partners = len(self.partner_names)

    def _write_objectives(self, axis: Axis, parsed_axis: ParsedAxis) -> None:
        items = [
            _Item(
                ImportProvenance.Kind.OBJECTIVE,
                objective.text,
                objective.line,
                {"text": objective.text, "order": order},
            )
            for order, objective in enumerate(parsed_axis.objectives, start=1)
        ]
        self.report.objectives += len(items)
        self._write_group(
            items,
            list(Objective.all_objects.filter(axis=axis)) if axis.pk else [],
            create=lambda values, item: objective_create(axis=axis, user=self.user, **values),
            update=lambda obj: partial(objective_update, objective=obj),
        )

    def _write_actions(self, axis: Axis, parsed_axis: ParsedAxis, status_counts: dict) -> None:
        sections = [
            (Action.Status.PREVIOUS_PLAN, parsed_axis.previous_actions),
            (Action.Status.IN_PROGRESS, parsed_axis.projects),
            (Action.Status.LEAD, parsed_axis.leads),
        ]
        items = []
        for section_status, entries in sections:
            for entry in entries:
                order = len(items) + 1
                # A project the app's export noted as planned, done or abandoned comes back so.
                status = section_status
                if section_status == Action.Status.IN_PROGRESS and entry.status:
                    status = _project_status(entry.status) or section_status
                item = _Item(ImportProvenance.Kind.ACTION, entry.title, entry.line, _action_values(entry, order))
                item.extra = {
                    "status": status,
                    "partners": [[p.name, p.role] for p in entry.partners],
                    **({"progress": entry.progress} if entry.progress is not None else {}),
                }
                items.append(item)
                status_counts[status] += 1
                self.partner_names.update(partner.name.casefold() for partner in entry.partners)

        def create(values: dict, item: _Item) -> Action:
            # Status (and an exported progress) are the document's only on creation: staff move
            # actions on afterwards. A document's actions may be in progress or from the previous
            # plan, which action_create refuses.
            extra = item.extra
            return _saved(
                Action(axis=axis, **values, status=extra["status"], progress=extra.get("progress")), user=self.user
            )

        own = list(Action.all_objects.filter(axis=axis)) if axis.pk else []
        self._write_group(
            items,
            own + self._moved_here(items, own),
            create=create,
            update=lambda obj: partial(action_update, action=obj),
            after=self._write_partners,
        )

    def _moved_here(self, items: list[_Item], own: list[Action]) -> list[Action]:
        """The plan's actions that staff moved from this axis to another one: the document still
        names them here, once in the whole document, as it said when they were imported. They are
        matched here and stay where staff put them, never duplicated."""
        keys = {item.key for item in items if self.action_keys[item.key] == 1}
        keys -= {_identity_key(action.title) for action in own}
        keys -= {
            _identity_key(row.text)
            for action in own
            if (row := self.provenances.of(ImportProvenance.Kind.ACTION, action))
        }
        if not keys:
            return []
        ids = [
            row.object_id
            for row in self.provenances.rows(ImportProvenance.Kind.ACTION)
            if _identity_key(row.text) in keys and (ImportProvenance.Kind.ACTION, row.object_id) not in self.used
        ]
        own_ids = {action.pk for action in own}
        return [
            action
            for action in Action.all_objects.filter(pk__in=ids, axis__chapter__plan=self.plan)
            if action.pk not in own_ids
        ]

    # One group of siblings.

    def _write_group(
        self,
        items: list[_Item],
        candidates: list[PlanObject],
        *,
        create: Callable,
        update: Callable[[PlanObject], Callable[..., PlanObject]],
        after: Callable | None = None,
    ) -> list[PlanObject]:
        objects = []
        for match in _match_group(items, candidates, self.provenances, self.used):
            item = match.item
            if match.obj is None:
                obj = create(item.values, item)
                self.report.record("create", obj, line=item.line)
                self.used.add((item.kind, obj.pk))
                base_extra = None
            elif match.obj.in_trash:
                # What staff deleted stays deleted, and is not duplicated.
                obj = match.obj
                self.report.record("in_trash", obj, key=_key(item.kind, obj), line=item.line)
                objects.append(obj)
                continue
            else:
                obj = self._merge(match, update)
                base_extra = match.provenance.values.get("_extra") if match.provenance else None
            if after is not None:
                after(obj, item, base_extra)
            self._remember(obj, item)
            objects.append(obj)
        return objects

    def _merge(self, match: _Match, update: Callable[[PlanObject], Callable[..., PlanObject]]) -> PlanObject:
        """Three-way: what the document said (provenance), says now (item), the app's object."""
        obj, item, provenance = match.obj, match.item, match.provenance
        key = _key(item.kind, obj)
        take, kept, conflicts = {}, [], []
        for name, new in item.values.items():
            current = getattr(obj, name)
            if provenance is None or name not in provenance.values:
                # Never imported with its provenance: the document is the reference, as it always was.
                if not _same(current, new) or (name in _SILENT_FIELDS and current != new):
                    take[name] = new
                continue
            said = provenance.values[name]
            document_changed, app_changed = not _same(new, said), not _same(current, said)
            if not document_changed:
                if app_changed and name not in _SILENT_FIELDS:
                    kept.append(name)
            elif not app_changed:
                take[name] = new
            elif not _same(current, new) and name not in _SILENT_FIELDS:
                conflicts.append(name)
        change = None
        if conflicts:
            resolution = TAKE_DOCUMENT if self.prefer_document else self.resolutions.get(key, KEEP_APP)
            if resolution not in (KEEP_APP, TAKE_DOCUMENT):
                resolution = KEEP_APP
            versions = [
                FieldVersions(name, _field_label(obj, name), _display(getattr(obj, name)), _display(item.values[name]))
                for name in conflicts
            ]
            change = self.report.record(
                "conflict", obj, conflicts, key=key, versions=versions, resolution=resolution, line=item.line
            )
            if resolution == TAKE_DOCUMENT:
                take.update({name: item.values[name] for name in conflicts})
        if take:
            obj = update(obj)(data=take, expected_version=None, user=self.user)
            if change is None:
                self.report.record("update", obj, [*take, "version"], line=item.line)
        elif change is None:
            if kept:
                self.report.record("kept", obj, kept, key=key, line=item.line)
            else:
                self.report.record("unchanged", obj, line=item.line)
        return obj

    def _write_partners(self, action: Action, item: _Item, base_extra: dict | None) -> None:
        """The partners the document names: added when it names them anew; a link staff
        removed or changed stays as staff left it while the document says the same."""
        mentions = item.extra["partners"]
        said = None if base_extra is None else base_extra.get("partners")
        if said is not None and _same_partners(said, mentions):
            return
        said_names = {name.casefold(): role for name, role in (said or [])}
        for name, role in mentions:
            if said is not None and said_names.get(name.casefold()) == role:
                continue  # already said so: staff's version of that link stands
            partner = self.partners.get(name)
            # The action may be in the trash (the document still names it): its links too.
            link = ActionPartner.all_objects.filter(action=action, partner=partner).first() if action.pk else None
            if link is None:
                _created(ActionPartner(action=action, partner=partner, role=role), self.report, user=self.user)
            elif link.role != role:
                link.role = role
                link.full_clean()
                link._history_user = self.user
                link.save(update_fields=["role"])
                self.report.record("update", link, ["role"])
            else:
                self.report.record("unchanged", link)

    def _remember(self, obj: PlanObject, item: _Item) -> None:
        values = {**item.values, **({"_extra": item.extra} if item.extra else {})}
        provenance = self.provenances.of(item.kind, obj)
        if provenance is None:
            provenance = ImportProvenance(plan=self.plan, kind=item.kind, object_id=obj.pk)
            self.provenances.by_object[(item.kind, obj.pk)] = provenance
        fields = {
            "document_name": self.document_name[:255],
            "checksum": self.checksum,
            "line": item.line,
            "text": item.identity,
            "values": values,
        }
        if provenance.pk is None or any(getattr(provenance, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(provenance, name, value)
            provenance.save()

    # What the document no longer has.

    def _report_absent(self) -> None:
        # Children first: an axis goes to the trash only once its actions have.
        for kind in (
            ImportProvenance.Kind.ACTION,
            ImportProvenance.Kind.OBJECTIVE,
            ImportProvenance.Kind.AXIS,
            ImportProvenance.Kind.CHAPTER,
        ):
            rows = [row for row in self.provenances.rows(kind) if (kind, row.object_id) not in self.used]
            model = _KIND_MODELS[kind]
            live = model.objects.in_bulk([row.object_id for row in rows])
            for row in sorted(rows, key=lambda row: (row.line or 0, row.object_id)):
                obj = live.get(row.object_id)
                if obj is None:
                    continue  # in the trash, or deleted for good
                key = _key(kind, obj)
                if key not in self.trash and not self.trash_absent:
                    self.report.record("absent", obj, key=key, line=row.line)
                    continue
                try:
                    with transaction.atomic():
                        plan_object_trash(obj=obj, user=self.user)
                except ValidationError as error:
                    self.report.record("absent", obj, key=key, line=row.line, note=f" ({' '.join(error.messages)})")
                else:
                    self.report.record("trashed", obj, key=key, line=row.line)


def _key(kind: str, obj: PlanObject) -> str:
    return f"{kind}-{obj.pk}"


def _field_label(obj: PlanObject, name: str) -> str:
    return str(type(obj)._meta.get_field(name).verbose_name)


def _same_partners(first: list, second: list) -> bool:
    def normal(pairs):
        return sorted((name.casefold(), role) for name, role in pairs)

    return normal(first) == normal(second)


def _axis_values(parsed: ParsedAxis, order: int) -> dict:
    return {
        "title": parsed.title,
        "order": order,
        "context": parsed.context,
        "stakes": parsed.stakes,
        "objectives_intro": parsed.objectives_intro,
        "previous_actions_note": parsed.previous_actions_note,
        "projects_note": parsed.projects_note,
        "leads_note": parsed.leads_note,
    }


def _action_values(item: ParsedAction, order: int) -> dict:
    return {
        "title": item.title,
        "description": "\n".join(filter(None, [item.description, _period_note(item.period)])),
        "start_year": item.start_year,
        "end_year": item.end_year,
        "order": order,
    }


def _saved(obj: models.Model, *, user) -> models.Model:
    """Save a new row the import makes itself (a partner, its link to an action, an action in
    a status only a document gives)."""
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


def _created(obj: models.Model, report: PlanImportReport, *, user) -> models.Model:
    report.record("create", _saved(obj, user=user))
    return obj


class _PartnerBook:
    """Partners by case-insensitive name, created on first mention."""

    def __init__(self, report: PlanImportReport, *, user):
        self.report = report
        self.user = user
        self.seen: dict[str, Partner] = {}

    def get(self, name: str) -> Partner:
        key = name.casefold()
        if key not in self.seen:
            partner = Partner.objects.filter(name__iexact=name).first()
            if partner is None:
                partner = _created(Partner(name=name, kind=Partner.guess_kind(name)), self.report, user=self.user)
            self.seen[key] = partner
        return self.seen[key]


def _period_note(period: str) -> str:
    """The period as the document words it, when the years alone lose something.

    "2014 -2015" or "depuis 2018" say nothing the years don't; "depuis le second semestre
    2016" does, and nothing of the document may be dropped.
    """
    words = {word for word in re.findall(r"[^\W\d_]+", period.casefold()) if word not in {"depuis", "puis", "à", "a"}}
    return f"Période : {period}." if words else ""
