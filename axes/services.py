"""Writes on the plan's structure: plans, chapters, axes, objectives.

Every update goes through `versioned_update`, which refuses a save that started from an
older version of the object (optimistic locking) and records who changed what, and why,
in the object's history. Deleting lives in actions.services.trash, because deleting
an axis must look at its actions, which this app knows nothing of.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.text import slugify

from toolkit.history import links_in_last_row

from .models import Axis, Chapter, Objective, Plan, PlanObject
from .selectors import FieldChange, changes_between


class ConflictError(Exception):
    """Someone else saved the object after the form was opened: the save is refused."""

    def __init__(self, *, obj, changes: list[FieldChange], authors: list[str]):
        self.obj = obj
        self.changes = changes
        self.authors = authors
        who = ", ".join(authors) or "quelqu’un d’autre"
        super().__init__(
            f"{who} a modifié cet élément pendant que vous le modifiiez. Votre saisie n’est pas "
            "enregistrée : elle est conservée ci-dessous. Comparez avec les changements de l’autre "
            "personne, puis enregistrez à nouveau pour confirmer votre version."
        )


def _conflict(current: PlanObject, expected_version: int) -> ConflictError:
    """The changes made since `expected_version`, read from the object's history."""
    records = list(current.history.select_related("history_user").order_by("history_date", "history_id"))
    seen = [record for record in records if record.version <= expected_version]
    newer = [record for record in records if record.version > expected_version]
    changes = changes_between(seen[-1], newer[-1]) if seen and newer else []
    authors = []
    for record in newer:
        user = record.history_user
        name = (user.get_full_name() or user.username) if user else "l’import"
        if name not in authors:
            authors.append(name)
    return ConflictError(obj=current, changes=changes, authors=authors)


@transaction.atomic
def versioned_update(
    obj: PlanObject,
    *,
    data: dict,
    m2m: dict[str, Iterable] | None = None,
    expected_version: int | None,
    user,
    reason: str = "",
) -> PlanObject:
    """Apply `data` (field name → value) and `m2m` (field → objects) to obj, all or nothing.

    The row is locked (SELECT … FOR UPDATE) and its version compared with the one the
    editor started from: a mismatch raises ConflictError and nothing is written. Only
    changed fields are saved; with no change at all nothing is written (no history row).
    `expected_version=None` skips the check (restores, imports).
    """
    model = type(obj)
    current = model.all_objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise _conflict(current, expected_version)
    changed = [name for name, value in data.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, data[name])
    m2m_changed = []
    for name, values in (m2m or {}).items():
        wanted = {item.pk for item in values}
        if set(getattr(current, name).values_list("pk", flat=True)) != wanted:
            m2m_changed.append((name, wanted))
    if not changed and not m2m_changed:
        return current
    current.full_clean()
    current.version += 1
    current._history_user = user
    current._change_reason = reason or None
    current.save(update_fields=[*changed, "version"])
    if m2m_changed:
        with links_in_last_row(current):  # one history row for the fields and the links
            for name, wanted in m2m_changed:
                getattr(current, name).set(wanted)
    return current


def _create(obj: models.Model, *, user, reason: str = "") -> models.Model:
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason or None
    obj.save()
    return obj


def _next_order(queryset) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


# Plans


@transaction.atomic
def plan_create(
    *,
    title: str,
    start_year: int | None,
    end_year: int | None,
    status: str,
    user,
    previous=None,
) -> Plan:
    return _create(
        Plan(
            title=title,
            start_year=start_year,
            end_year=end_year,
            status=status,
            previous=previous,
        ),
        user=user,
    )


def plan_update(*, plan: Plan, data: dict, expected_version: int | None, user, reason: str = "") -> Plan:
    return versioned_update(plan, data=data, expected_version=expected_version, user=user, reason=reason)


def plan_archive(*, plan: Plan, user) -> Plan:
    return versioned_update(
        plan,
        data={"status": Plan.Status.ARCHIVED},
        expected_version=None,
        user=user,
        reason="Projet archivé",
    )


# Chapters


@transaction.atomic
def chapter_create(*, plan: Plan, title: str, order: int | None = None, user) -> Chapter:
    """A new chapter, last of its plan unless `order` places it (an import follows its document)."""
    return _create(
        Chapter(plan=plan, title=title, order=_next_order(plan.chapters.all()) if order is None else order),
        user=user,
    )


def chapter_update(
    *,
    chapter: Chapter,
    data: dict,
    expected_version: int | None,
    user,
    reason: str = "",
) -> Chapter:
    return versioned_update(chapter, data=data, expected_version=expected_version, user=user, reason=reason)


# Axes


def unique_axis_slug(chapter: Chapter, title: str, *, exclude_pk: int | None = None) -> str:
    """A slug free in the chapter, trashed axes included (they may come back).

    The only place an axis's slug is made: creating an axis, renaming it, importing a plan.
    """
    base = slugify(title)[:90] or "axe"
    taken = set(Axis.all_objects.filter(chapter=chapter).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def axis_create(
    *,
    chapter: Chapter,
    title: str,
    context: str = "",
    stakes: str = "",
    objectives_intro: str = "",
    previous_actions_note: str = "",
    projects_note: str = "",
    leads_note: str = "",
    is_published: bool = False,
    order: int | None = None,
    user,
) -> Axis:
    """A new axis with all its texts, in one save (one history row); last of its chapter
    unless `order` places it."""
    axis = Axis(
        chapter=chapter,
        title=title,
        slug=unique_axis_slug(chapter, title),
        context=context,
        stakes=stakes,
        objectives_intro=objectives_intro,
        previous_actions_note=previous_actions_note,
        projects_note=projects_note,
        leads_note=leads_note,
        is_published=is_published,
        order=_next_order(chapter.axes.all()) if order is None else order,
    )
    return _create(axis, user=user)


def axis_update(*, axis: Axis, data: dict, expected_version: int | None, user, reason: str = "") -> Axis:
    data = dict(data)
    if "title" in data and data["title"] != axis.title:
        data["slug"] = unique_axis_slug(data.get("chapter", axis.chapter), data["title"], exclude_pk=axis.pk)
    return versioned_update(axis, data=data, expected_version=expected_version, user=user, reason=reason)


# Objectives


@transaction.atomic
def objective_create(*, axis: Axis, text: str, order: int | None = None, user) -> Objective:
    """A new objective, last of its axis unless `order` places it."""
    return _create(
        Objective(axis=axis, text=text, order=_next_order(axis.objectives.all()) if order is None else order),
        user=user,
    )


def objective_update(
    *,
    objective: Objective,
    data: dict,
    expected_version: int | None,
    user,
    reason: str = "",
) -> Objective:
    return versioned_update(
        objective,
        data=data,
        expected_version=expected_version,
        user=user,
        reason=reason,
    )


# Order


@dataclass(frozen=True)
class _Siblings:
    parent_field: str


_SIBLINGS = {
    Chapter: _Siblings("plan"),
    Axis: _Siblings("chapter"),
    Objective: _Siblings("axis"),
}


@transaction.atomic
def plan_object_move(*, obj: Chapter | Axis | Objective, direction: str, user) -> None:
    """Swap obj with its previous ("up") or next ("down") sibling; renumber the siblings 1…n."""
    model = type(obj)
    parent = _SIBLINGS[model].parent_field
    siblings = list(
        model.objects.select_for_update()
        .filter(**{f"{parent}_id": getattr(obj, f"{parent}_id")})
        .order_by("order", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.version += 1
            sibling._history_user = user
            sibling._change_reason = "Ordre modifié"
            sibling.save(update_fields=["order", "version"])
