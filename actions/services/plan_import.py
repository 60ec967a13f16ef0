"""The use case that writes a whole plan document (chapters, axes, objectives, actions, partners)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.text import slugify

from actions.models import Action, ActionPartner
from axes.document import ParsedAction, ParsedAxis, ParsedPlan, parse_plan_document
from axes.models import Axis, Chapter, Objective, Plan
from network.models import Partner

DEFAULT_PLAN_TITLE = "Projet fédéral"
UNTITLED_CHAPTER = "Axes du projet"


@dataclass
class ImportChange:
    kind: str  # "create" | "update" | "unchanged"
    model: str  # French verbose name
    label: str
    fields: list[str] = field(default_factory=list)


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

    def record(self, kind: str, obj, fields: list[str] | None = None) -> None:
        self.changes.append(ImportChange(kind, str(obj._meta.verbose_name), str(obj), fields or []))

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

    def summary_lines(self) -> list[str]:
        labels = dict(Action.Status.choices)
        lines = [
            f"Axes : {self.axes}",
            f"Objectifs : {self.objectives}",
            "Actions : " + ", ".join(f"{labels[status]} {n}" for status, n in self.actions_by_status.items() if n),
            f"Partenaires : {self.partners}",
            f"Créés : {self.created}, modifiés : {self.updated}, inchangés : {self.unchanged}",
        ]
        if self.dropped:
            lines.append(
                "Lignes ignorées (navigation du site web) : " + ", ".join(f"l. {n} « {t} »" for n, t in self.dropped)
            )
        return lines


class _DryRunRollback(Exception):
    pass


def document_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def plan_import(*, source: bytes | str, plan_title: str | None = None, dry_run: bool = False) -> PlanImportReport:
    """Write a plan document into the database, all or nothing.

    Objects are matched to what a previous import created (plan by title, chapter and axis
    by title, objective by text, action by axis and title), in the trash too (what staff
    deleted stays deleted, and is not duplicated), and only saved when a field differs, so re-importing the same document changes nothing and writes no history.
    Raises DocumentError (French message) for a document that cannot be read; nothing is
    written then. With dry_run, everything is computed inside a transaction rolled back.
    """
    parsed = parse_plan_document(source)
    report = PlanImportReport(plan=None, dry_run=dry_run, dropped=list(parsed.dropped))
    try:
        with transaction.atomic():
            _serialize_plan_imports()
            _write_plan(parsed, plan_title or DEFAULT_PLAN_TITLE, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        report.plan = None
    return report


# Any constant: the key of the PostgreSQL advisory lock that plan imports queue on.
PLAN_IMPORT_LOCK = 8_117_645


def _serialize_plan_imports() -> None:
    """Make two imports at once run one after the other, so the second sees what the first
    created instead of creating it twice. SQLite already lets one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLAN_IMPORT_LOCK])


def _save_if_changed(obj, values: dict, report: PlanImportReport) -> None:
    """Create obj, or update only the fields that differ (no history entry otherwise)."""
    if obj.pk is None:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()
        obj.save()
        report.record("create", obj)
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        report.record("unchanged", obj)
        return
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    if hasattr(obj, "version"):
        # An import is an edit like any other: someone editing the same object meanwhile gets a conflict.
        obj.version += 1
        changed.append("version")
    obj.save(update_fields=changed)
    report.record("update", obj, changed)


def _write_plan(parsed: ParsedPlan, title: str, report: PlanImportReport) -> None:
    plan = Plan.all_objects.filter(title__iexact=title).order_by("pk").first() or Plan()
    _save_if_changed(plan, {"title": plan.title or title}, report)
    report.plan = plan
    partners = _PartnerBook(report)
    status_counts = dict.fromkeys(Action.Status.values, 0)
    for chapter_order, parsed_chapter in enumerate(parsed.chapters, start=1):
        chapter_title = parsed_chapter.title or UNTITLED_CHAPTER
        chapter = Chapter.all_objects.filter(plan=plan, title=chapter_title).first() or Chapter(plan=plan)
        _save_if_changed(chapter, {"title": chapter_title, "order": chapter_order}, report)
        for axis_order, parsed_axis in enumerate(parsed_chapter.axes, start=1):
            axis = _write_axis(chapter, axis_order, parsed_axis, report)
            report.axes += 1
            for order, parsed_objective in enumerate(parsed_axis.objectives, start=1):
                objective = Objective.all_objects.filter(axis=axis, text=parsed_objective.text).first() or Objective(
                    axis=axis
                )
                _save_if_changed(objective, {"text": parsed_objective.text, "order": order}, report)
                report.objectives += 1
            sections = [
                (Action.Status.PREVIOUS_PLAN, parsed_axis.previous_actions),
                (Action.Status.IN_PROGRESS, parsed_axis.projects),
                (Action.Status.LEAD, parsed_axis.leads),
            ]
            order = 0
            for status, items in sections:
                for item in items:
                    order += 1
                    _write_action(axis, status, order, item, partners, report)
                    status_counts[status] += 1
    report.actions_by_status = status_counts
    report.partners = len(partners.seen)


def _write_axis(chapter: Chapter, order: int, parsed: ParsedAxis, report: PlanImportReport) -> Axis:
    axis = Axis.all_objects.filter(chapter=chapter, title=parsed.title).first()
    if axis is None:
        axis = Axis(chapter=chapter, slug=_unique_slug(chapter, parsed.title))
    _save_if_changed(
        axis,
        {
            "title": parsed.title,
            "order": order,
            "context": parsed.context,
            "stakes": parsed.stakes,
            "objectives_intro": parsed.objectives_intro,
            "previous_actions_note": parsed.previous_actions_note,
            "projects_note": parsed.projects_note,
            "leads_note": parsed.leads_note,
        },
        report,
    )
    return axis


def _unique_slug(chapter: Chapter, title: str) -> str:
    base = slugify(title)[:90] or "axe"
    slug, n = base, 1
    while Axis.all_objects.filter(chapter=chapter, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class _PartnerBook:
    """Partners by case-insensitive name, created on first mention."""

    def __init__(self, report: PlanImportReport):
        self.report = report
        self.seen: dict[str, Partner] = {}

    def get(self, name: str) -> Partner:
        key = name.casefold()
        if key not in self.seen:
            partner = Partner.objects.filter(name__iexact=name).first()
            if partner is None:
                partner = Partner()
                _save_if_changed(
                    partner,
                    {"name": name, "kind": Partner.guess_kind(name)},
                    self.report,
                )
            self.seen[key] = partner
        return self.seen[key]


def _period_note(period: str) -> str:
    """The period as the document words it, when the years alone lose something.

    "2014 -2015" or "depuis 2018" say nothing the years don't; "depuis le second semestre
    2016" does, and nothing of the document may be dropped.
    """
    words = {word for word in re.findall(r"[^\W\d_]+", period.casefold()) if word not in {"depuis", "puis", "à", "a"}}
    return f"Période : {period}." if words else ""


def _write_action(
    axis: Axis,
    status: str,
    order: int,
    item: ParsedAction,
    partners: _PartnerBook,
    report,
) -> None:
    action = Action.all_objects.filter(axis=axis, title=item.title).first() or Action(axis=axis)
    values = {
        "title": item.title,
        "description": "\n".join(filter(None, [item.description, _period_note(item.period)])),
        "start_year": item.start_year,
        "end_year": item.end_year,
        "order": order,
    }
    if action.pk is None:
        # Status is the document's only on creation: staff move actions on afterwards.
        values["status"] = status
    _save_if_changed(action, values, report)
    for mention in item.partners:
        partner = partners.get(mention.name)
        link = ActionPartner.objects.filter(action=action, partner=partner).first() or ActionPartner(
            action=action, partner=partner
        )
        _save_if_changed(link, {"role": mention.role}, report)
