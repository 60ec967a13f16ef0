"""Writes on actions, and the use case that writes a whole plan document (axes and actions)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import formats, timezone
from django.utils.text import slugify

from axes.document import ParsedAction, ParsedAxis, ParsedPlan, parse_plan_document
from axes.models import Axis, Chapter, Objective, Plan, PlanObject
from axes.services import versioned_update
from network.models import Partner, Structure

from .models import Action, ActionPartner, Comment, Continuation, Milestone, Update

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


# Actions


def _check_new_action_status(status: str) -> None:
    if status not in (Action.Status.LEAD, Action.Status.PLANNED):
        raise ValidationError(
            "Une nouvelle action est une piste ou une action planifiée ; son statut évolue ensuite par le suivi."
        )


@transaction.atomic
def action_create(
    *,
    axis: Axis,
    title: str,
    user,
    description: str = "",
    status: str = Action.Status.PLANNED,
    start_year: int | None = None,
    end_year: int | None = None,
    lead_person=None,
    weight: int = 1,
    progress: int | None = None,
    objectives: Iterable[Objective] = (),
    structures: Iterable[Structure] = (),
) -> Action:
    _check_new_action_status(status)
    last = Action.all_objects.filter(axis=axis).order_by("-order").values_list("order", flat=True).first()
    action = Action(
        axis=axis,
        title=title,
        description=description,
        status=status,
        start_year=start_year,
        end_year=end_year,
        lead_person=lead_person,
        weight=weight,
        progress=progress,
        order=(last or 0) + 1,
    )
    action.full_clean()
    action._history_user = user
    action.save()
    action.objectives.set(objectives)
    action.structures.set(structures)
    return action


def action_update(
    *,
    action: Action,
    data: dict,
    objectives: Iterable[Objective] | None = None,
    structures: Iterable[Structure] | None = None,
    expected_version: int | None,
    user,
    reason: str = "",
) -> Action:
    """Edit an action's fields. Its status changes only through the journal (update_create)."""
    if "status" in data and data["status"] != action.status:
        raise ValidationError("Le statut d'une action change par une entrée du suivi, qui garde qui et quand.")
    m2m = {}
    if objectives is not None:
        m2m["objectives"] = objectives
    if structures is not None:
        m2m["structures"] = structures
    return versioned_update(
        action,
        data=data,
        m2m=m2m,
        expected_version=expected_version,
        user=user,
        reason=reason,
    )


def check_transition(action: Action, new_status: str) -> None:
    if new_status not in Action.TRANSITIONS[action.status]:
        labels = dict(Action.Status.choices)
        allowed = ", ".join(f"« {labels[s]} »" for s in Action.TRANSITIONS[action.status]) or "aucun"
        raise ValidationError(
            f"Une action « {labels[action.status]} » ne peut pas passer à « {labels.get(new_status, new_status)} ». "
            f"Statuts possibles : {allowed}."
        )


@transaction.atomic
def update_create(
    *,
    action: Action,
    author,
    text: str,
    new_status: str = "",
    new_progress: int | None = None,
) -> Update:
    """Add an entry to the action's journal; a status or progress given there is applied to the action."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if new_status == action.status:
        new_status = ""
    if new_status:
        check_transition(action, new_status)
    entry = Update(
        action=action,
        author=author,
        text=text,
        old_status=action.status if new_status else "",
        new_status=new_status,
        new_progress=new_progress,
    )
    entry.full_clean()
    entry._history_user = author
    entry.save()
    data = {}
    if new_status:
        data["status"] = new_status
    if new_progress is not None:
        data["progress"] = new_progress
    if data:
        labels = dict(Action.Status.choices)
        reason = f"Suivi : {labels[action.status]} → {labels[new_status]}" if new_status else "Suivi : avancement"
        versioned_update(action, data=data, expected_version=None, user=author, reason=reason)
    return entry


def action_promote_lead(*, action: Action, user) -> Update:
    """Turn a lead (« piste ») into a planned action, in one step, recorded in the journal."""
    if action.status != Action.Status.LEAD:
        raise ValidationError("Seule une piste d'action peut devenir une action planifiée.")
    return update_create(
        action=action,
        author=user,
        text="Piste d'action retenue : elle devient une action planifiée.",
        new_status=Action.Status.PLANNED,
    )


# Milestones


@transaction.atomic
def milestone_create(*, action: Action, title: str, due_date: date | None = None, user) -> Milestone:
    last = action.milestones.order_by("-order").values_list("order", flat=True).first()
    milestone = Milestone(action=action, title=title, due_date=due_date, order=(last or 0) + 1)
    milestone.full_clean()
    milestone._history_user = user
    milestone.save()
    return milestone


@transaction.atomic
def milestone_set_done(*, milestone: Milestone, done: bool, user) -> Milestone:
    if milestone.done != done:
        milestone.done = done
        milestone._history_user = user
        milestone.save(update_fields=["done"])
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user) -> None:
    milestone._history_user = user
    milestone.delete()


# Partners


@transaction.atomic
def action_partner_set(*, action: Action, partner: Partner, role: str = "", user) -> ActionPartner:
    link = ActionPartner.objects.filter(action=action, partner=partner).first() or ActionPartner(
        action=action, partner=partner
    )
    if link.pk and link.role == role:
        return link
    link.role = role
    link.full_clean()
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def action_partner_remove(*, link: ActionPartner, user) -> None:
    link._history_user = user
    link.delete()


# Continuity with the previous plan


@transaction.atomic
def continuation_set(
    *, previous_action: Action, objective: Objective, outcome: str, note: str = "", user
) -> Continuation:
    """Say what became of a previous-plan action in the current plan (one link per objective)."""
    if previous_action.status != Action.Status.PREVIOUS_PLAN:
        raise ValidationError(
            "Seule une action du précédent projet peut être rattachée à un objectif du projet actuel."
        )
    link = Continuation.objects.filter(previous_action=previous_action, objective=objective).first() or Continuation(
        previous_action=previous_action, objective=objective
    )
    link.outcome = outcome
    link.note = note
    link.full_clean()
    link._history_user = user
    link.save()
    return link


@transaction.atomic
def continuation_delete(*, continuation: Continuation, user) -> None:
    continuation._history_user = user
    continuation.delete()


# The trash (« corbeille »)

TRASHABLE: dict[str, type[PlanObject]] = {
    "plan": Plan,
    "chapter": Chapter,
    "axis": Axis,
    "objective": Objective,
    "action": Action,
}


def _descendants(obj: PlanObject) -> list[PlanObject]:
    """Live objects that go to the trash with obj (not actions: see plan_object_trash)."""
    if isinstance(obj, Plan):
        chapters = list(Chapter.objects.filter(plan=obj))
        return chapters + [d for chapter in chapters for d in _descendants(chapter)]
    if isinstance(obj, Chapter):
        axes = list(Axis.objects.filter(chapter=obj))
        return axes + list(Objective.objects.filter(axis__in=axes))
    if isinstance(obj, Axis):
        return list(Objective.objects.filter(axis=obj))
    return []


def _axes_of(obj: PlanObject) -> list[Axis]:
    if isinstance(obj, Axis):
        return [obj]
    return [d for d in _descendants(obj) if isinstance(d, Axis)]


def _mark(obj: PlanObject, *, deleted_at, user, reason: str) -> None:
    obj.deleted_at = deleted_at
    obj.deleted_by = user if deleted_at else None
    obj.version += 1
    obj._history_user = user
    obj._change_reason = reason
    obj.save(update_fields=["deleted_at", "deleted_by", "version"])


def live_action_count(obj: PlanObject) -> int:
    """How many live actions deleting obj would have to move elsewhere."""
    axes = _axes_of(obj)
    return Action.objects.filter(axis__in=axes).count() if axes else 0


@transaction.atomic
def plan_object_trash(*, obj: PlanObject, user, move_actions_to: Axis | None = None) -> int:
    """Put obj and its children in the trash; returns how many objects went there.

    Deleting an axis (or the chapter or plan above it) never takes actions with it: when
    its axes still hold actions, the deletion is refused with a French message, unless
    `move_actions_to` names a live axis outside what is deleted, where they are moved first.
    """
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    axes = _axes_of(obj)
    actions = list(Action.objects.filter(axis__in=axes)) if axes else []
    if actions:
        if move_actions_to is None:
            raise ValidationError(
                f"« {obj} » porte encore {len(actions)} action{'s' if len(actions) > 1 else ''} : "
                "choisissez un axe où les déplacer, ou supprimez-les d'abord. Rien n'a été mis à la corbeille."
            )
        if move_actions_to.in_trash or move_actions_to.pk in {axis.pk for axis in axes}:
            raise ValidationError("Les actions doivent aller vers un axe qui reste en place.")
        for action in actions:
            versioned_update(
                action,
                data={"axis": move_actions_to},
                expected_version=None,
                user=user,
                reason=f"Déplacée depuis « {action.axis} », mis à la corbeille",
            )
    now = timezone.now()
    items = [obj, *_descendants(obj)]
    for item in items:
        _mark(
            item,
            deleted_at=now,
            user=user,
            reason=f"Mis à la corbeille avec « {obj} »" if item is not obj else "Mis à la corbeille",
        )
    return len(items)


def parent_of(obj: PlanObject) -> PlanObject | None:
    """The object's parent in the plan (trashed or not), None for a plan."""
    if isinstance(obj, Chapter):
        return Plan.all_objects.get(pk=obj.plan_id)
    if isinstance(obj, Axis):
        return Chapter.all_objects.get(pk=obj.chapter_id)
    if isinstance(obj, Objective | Action):
        return Axis.all_objects.get(pk=obj.axis_id)
    return None


@transaction.atomic
def plan_object_restore(*, obj: PlanObject, user) -> int:
    """Bring obj back from the trash with the children trashed together with it."""
    obj = type(obj).all_objects.select_for_update().get(pk=obj.pk)
    if not obj.in_trash:
        return 0
    parent = parent_of(obj)
    if parent is not None and parent.in_trash:
        raise ValidationError(
            f"« {obj} » appartient à « {parent} », qui est aussi dans la corbeille : restaurez d'abord « {parent} »."
        )
    when = obj.deleted_at
    children = []
    if isinstance(obj, Plan):
        children += list(Chapter.all_objects.filter(plan=obj, deleted_at=when))
        children += list(Axis.all_objects.filter(chapter__plan=obj, deleted_at=when))
        children += list(Objective.all_objects.filter(axis__chapter__plan=obj, deleted_at=when))
    elif isinstance(obj, Chapter):
        children += list(Axis.all_objects.filter(chapter=obj, deleted_at=when))
        children += list(Objective.all_objects.filter(axis__chapter=obj, deleted_at=when))
    elif isinstance(obj, Axis):
        children += list(Objective.all_objects.filter(axis=obj, deleted_at=when))
    for item in [obj, *children]:
        _mark(item, deleted_at=None, user=user, reason="Restauré depuis la corbeille")
    return 1 + len(children)


@transaction.atomic
def trash_empty(*, user) -> int:
    """Delete for good everything in the trash. Superusers only; history keeps a trace."""
    if not user.is_superuser:
        raise PermissionDenied("Seul un administrateur peut vider la corbeille.")
    total = 0
    # Children before parents: an axis's actions are protected (PROTECT), so they go first.
    for model in (Action, Objective, Axis, Chapter, Plan):
        for obj in model.all_objects.trashed():
            obj._history_user = user
            try:
                obj.delete()
            except ProtectedError as error:
                raise ValidationError(
                    f"« {obj} » ne peut pas être supprimé définitivement : des éléments encore en place en dépendent."
                ) from error
            total += 1
    return total


# History


RESTORE_SKIPPED = {"id", "version", "deleted_at", "deleted_by"}


def history_restore(*, obj: PlanObject, history_id: int, user) -> PlanObject:
    """Give obj back the field values it had in one of its historical versions."""
    record = obj.history.get(history_id=history_id)
    data = {
        f.attname: getattr(record, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.name not in RESTORE_SKIPPED and f.editable
    }
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    return versioned_update(
        obj,
        data=data,
        expected_version=None,
        user=user,
        reason=f"Retour à la version du {when}",
    )


# ---------------------------------------------------------------- comments

MODERATE_PERMISSION = "actions.moderate_comment"


def _clean_text(text: str) -> str:
    # The text is stored as typed and escaped when shown; NUL bytes are refused by PostgreSQL.
    return (text or "").replace("\x00", "").strip()


@transaction.atomic
def comment_post(*, user, text: str, action: Action | None = None, objective: Objective | None = None) -> Comment:
    if not user.has_perm("actions.add_comment"):
        raise PermissionDenied("Vous ne pouvez pas commenter.")
    comment = Comment(author=user, text=_clean_text(text), action=action, objective=objective)
    if not comment.text:
        raise ValidationError({"text": "Écrivez votre commentaire."})
    comment.full_clean()
    comment._history_user = user
    comment.save()
    return comment


@transaction.atomic
def comment_edit(*, user, comment: Comment, text: str) -> Comment:
    """Authors correct their own comment within an hour of writing it."""
    if not comment.editable_by(user):
        raise PermissionDenied("On ne modifie que ses propres commentaires, dans l'heure qui suit.")
    comment.text = _clean_text(text)
    if not comment.text:
        raise ValidationError({"text": "Écrivez votre commentaire."})
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment._history_user = user
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_moderate(*, user, comment: Comment, hidden: bool) -> Comment:
    """Staff hide a comment from everyone else, or show it again."""
    if not user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Seule l'équipe fédérale modère les commentaires.")
    comment.hidden = hidden
    comment.hidden_by = user if hidden else None
    comment._history_user = user
    comment.save(update_fields=["hidden", "hidden_by"])
    return comment
