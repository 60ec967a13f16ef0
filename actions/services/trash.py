"""The trash (« corbeille ») and the history of the plan's objects: nothing is lost, everything
can be restored. Deleting an axis must look at its actions, hence here rather than in axes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from actions.models import Action
from axes.models import Axis, Chapter, Objective, Plan, PlanObject
from axes.services import versioned_update
from toolkit.french import long_datetime
from toolkit.history import links_known

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
                f"« {obj} » porte encore {len(actions)} action{'s' if len(actions) > 1 else ''} : "
                "choisissez un axe où les déplacer, ou supprimez-les d’abord. Rien n’a été mis à la corbeille."
            )
        if move_actions_to.in_trash or move_actions_to.pk in {axis.pk for axis in axes}:
            raise ValidationError("Les actions doivent aller vers un axe qui reste en place.")
        for action in actions:
            versioned_update(
                action,
                data={"axis": move_actions_to},
                expected_version=None,
                user=user,
                reason=f"Déplacée depuis « {action.axis} », mis à la corbeille",
            )
    now = timezone.now()
    items = [obj, *_descendants(obj)]
    for item in items:
        _mark(
            item,
            deleted_at=now,
            user=user,
            reason=f"Mis à la corbeille avec « {obj} »" if item is not obj else "Mis à la corbeille",
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
            f"« {obj} » appartient à « {parent} », qui est aussi dans la corbeille : restaurez d’abord « {parent} »."
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
                    f"« {obj} » ne peut pas être supprimé définitivement : des éléments encore en place en dépendent."
                ) from error
            total += 1
    return total


# History


RESTORE_SKIPPED = {"id", "version", "deleted_at", "deleted_by"}


def history_links_restorable(*, obj: PlanObject, history_id: int) -> bool | None:
    """Whether restoring that version gives back its links too: None when obj has none that
    history records; False for a version written before they were recorded (they stay as they are)."""
    record = obj.history.get(history_id=history_id)
    if not getattr(type(record), "_history_m2m_fields", ()):
        return None
    return links_known(record)


@transaction.atomic
def history_restore(*, obj: PlanObject, history_id: int, user) -> PlanObject:
    """Give obj back the field values, and the links, it had in one of its historical versions
    (the links only when that version holds them: history_links_restorable)."""
    record = obj.history.get(history_id=history_id)
    data = {
        f.attname: getattr(record, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.name not in RESTORE_SKIPPED and f.editable
    }
    m2m = {}
    if links_known(record):
        for f in type(record)._history_m2m_fields:
            other = f.m2m_reverse_field_name()
            linked = getattr(record, f.name).values_list(f"{other}_id", flat=True)
            # An object deleted for good since cannot be linked again; one in the trash can.
            m2m[f.name] = f.related_model._base_manager.filter(pk__in=list(linked))
    when = long_datetime(record.history_date)
    return versioned_update(
        obj,
        data=data,
        m2m=m2m,
        expected_version=None,
        user=user,
        reason=f"Retour à la version du {when}",
    )
