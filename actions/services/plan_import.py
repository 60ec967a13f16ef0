"""The use case that writes a whole plan document (chapters, axes, objectives, actions, partners)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, models, transaction

from actions.models import Action, ActionPartner
from axes.document import ParsedAction, ParsedAxis, ParsedPlan, parse_plan_document
from axes.models import Axis, Chapter, Objective, Plan, PlanObject
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

from .actions import action_update

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
    # The plan's period after the import, and the document lines that state it (if they do).
    start_year: int | None = None
    end_year: int | None = None
    title_lines: list[tuple[int, str]] = field(default_factory=list)
    document_start_year: int | None = None
    document_end_year: int | None = None

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

    @property
    def period_line(self) -> str:
        """« Période du projet : 2022–2026 (lue dans le document, l. 1 « … ») », or says none is known."""
        if self.start_year and self.end_year:
            period = f"{self.start_year}–{self.end_year}"
        elif self.start_year or self.end_year:
            period = f"{self.start_year or '?'}–{self.end_year or '?'}"
        else:
            return "Période du projet : non renseignée (ni le document ni le projet ne la donnent)"
        if self.title_lines and (self.start_year, self.end_year) == (self.document_start_year, self.document_end_year):
            where = ", ".join(f"l. {number} « {text} »" for number, text in self.title_lines)
            return f"Période du projet : {period} (lue dans le document, {where})"
        return f"Période du projet : {period}"

    def summary_lines(self) -> list[str]:
        labels = dict(Action.Status.choices)
        lines = [
            self.period_line,
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


def plan_import(
    *,
    source: bytes | str,
    plan_title: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    document_name: str = "",
    dry_run: bool = False,
    user,
) -> PlanImportReport:
    """Write a plan document into the database, all or nothing, as `user` (None for a
    command run without one: the history then says « l'import »).

    The plan's period is `start_year`–`end_year` when given (staff set it in the preview,
    or `import_plan --period`), else the one the document states in its title line, else
    the plan keeps the years it has; a year given alone changes only that end.

    Objects are matched to what a previous import created (plan by title, chapter and axis
    by title, objective by text, action by axis and title), in the trash too (what staff
    deleted stays deleted, and is not duplicated), and only saved when a field differs, so
    re-importing the same document changes nothing and writes no history. The plan's
    structure is written through its services (axes.services), actions' edits through
    action_update: every history row names `user`, and says it came from importing
    `document_name` (the file's name; the plan's title when none is given), so that « ce qui
    a changé » can say « import du document « … » du 12/03/2026 » when no person is named.
    Raises DocumentError (French message) for a document that cannot be read; nothing is
    written then. With dry_run, everything is computed inside a transaction rolled back.
    """
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
    try:
        with transaction.atomic(), change_reason(import_reason(document_name or plan_title or DEFAULT_PLAN_TITLE)):
            _serialize_plan_imports()
            _write_plan(parsed, plan_title or DEFAULT_PLAN_TITLE, years, report, user=user)
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


def _created(obj: models.Model, report: PlanImportReport, *, user) -> models.Model:
    """Save a new row the import makes itself (a partner, its link to an action, an action in
    a status only a document gives)."""
    obj.full_clean()
    obj._history_user = user
    obj.save()
    report.record("create", obj)
    return obj


def _update_changed(
    obj: PlanObject,
    values: dict,
    report: PlanImportReport,
    *,
    user,
    update: Callable[..., PlanObject],
) -> PlanObject:
    """Hand the fields that differ to the object's update service; none: nothing is written
    (no history row, no extra query). An import is an edit like any other: the service bumps
    the version, so someone editing the same object meanwhile gets a conflict."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if not changed:
        report.record("unchanged", obj)
        return obj
    obj = update(data=changed, expected_version=None, user=user)
    report.record("update", obj, [*changed, "version"])
    return obj


def _write_plan(parsed: ParsedPlan, title: str, years: dict, report: PlanImportReport, *, user) -> None:
    plan = Plan.all_objects.filter(title__iexact=title).order_by("pk").first()
    if plan is None:
        plan = plan_create(
            title=title,
            start_year=years.get("start_year"),
            end_year=years.get("end_year"),
            status=Plan.Status.ACTIVE,
            user=user,
        )
        report.record("create", plan)
    else:
        # Found by its title; its years are the only other fields an import sets.
        plan = _update_changed(plan, years, report, user=user, update=partial(plan_update, plan=plan))
    report.plan = plan
    report.start_year, report.end_year = plan.start_year, plan.end_year
    partners = _PartnerBook(report, user=user)
    status_counts = dict.fromkeys(Action.Status.values, 0)
    for chapter_order, parsed_chapter in enumerate(parsed.chapters, start=1):
        chapter_title = parsed_chapter.title or UNTITLED_CHAPTER
        chapter = Chapter.all_objects.filter(plan=plan, title=chapter_title).first()
        if chapter is None:
            chapter = chapter_create(plan=plan, title=chapter_title, order=chapter_order, user=user)
            report.record("create", chapter)
        else:
            chapter = _update_changed(
                chapter,
                {"title": chapter_title, "order": chapter_order},
                report,
                user=user,
                update=partial(chapter_update, chapter=chapter),
            )
        for axis_order, parsed_axis in enumerate(parsed_chapter.axes, start=1):
            axis = _write_axis(chapter, axis_order, parsed_axis, report, user=user)
            report.axes += 1
            for order, parsed_objective in enumerate(parsed_axis.objectives, start=1):
                _write_objective(axis, order, parsed_objective.text, report, user=user)
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
                    _write_action(axis, status, order, item, partners, report, user=user)
                    status_counts[status] += 1
    report.actions_by_status = status_counts
    report.partners = len(partners.seen)


def _write_axis(chapter: Chapter, order: int, parsed: ParsedAxis, report: PlanImportReport, *, user) -> Axis:
    texts = {
        "context": parsed.context,
        "stakes": parsed.stakes,
        "objectives_intro": parsed.objectives_intro,
        "previous_actions_note": parsed.previous_actions_note,
        "projects_note": parsed.projects_note,
        "leads_note": parsed.leads_note,
    }
    axis = Axis.all_objects.filter(chapter=chapter, title=parsed.title).first()
    if axis is None:
        axis = axis_create(chapter=chapter, title=parsed.title, order=order, user=user, **texts)
        report.record("create", axis)
        return axis
    return _update_changed(
        axis,
        {"title": parsed.title, "order": order, **texts},
        report,
        user=user,
        update=partial(axis_update, axis=axis),
    )


def _write_objective(axis: Axis, order: int, text: str, report: PlanImportReport, *, user) -> None:
    objective = Objective.all_objects.filter(axis=axis, text=text).first()
    if objective is None:
        report.record("create", objective_create(axis=axis, text=text, order=order, user=user))
        return
    _update_changed(
        objective,
        {"text": text, "order": order},
        report,
        user=user,
        update=partial(objective_update, objective=objective),
    )


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


def _write_action(
    axis: Axis,
    status: str,
    order: int,
    item: ParsedAction,
    partners: _PartnerBook,
    report: PlanImportReport,
    *,
    user,
) -> None:
    values = {
        "title": item.title,
        "description": "\n".join(filter(None, [item.description, _period_note(item.period)])),
        "start_year": item.start_year,
        "end_year": item.end_year,
        "order": order,
    }
    action = Action.all_objects.filter(axis=axis, title=item.title).first()
    if action is None:
        # Status is the document's only on creation: staff move actions on afterwards. A
        # document's actions may be in progress or from the previous plan, which action_create refuses.
        action = _created(Action(axis=axis, **values, status=status), report, user=user)
    else:
        action = _update_changed(action, values, report, user=user, update=partial(action_update, action=action))
    for mention in item.partners:
        partner = partners.get(mention.name)
        link = ActionPartner.objects.filter(action=action, partner=partner).first()
        if link is None:
            _created(ActionPartner(action=action, partner=partner, role=mention.role), report, user=user)
        elif link.role != mention.role:
            link.role = mention.role
            link.full_clean()
            link._history_user = user
            link.save(update_fields=["role"])
            report.record("update", link, ["role"])
        else:
            report.record("unchanged", link)
