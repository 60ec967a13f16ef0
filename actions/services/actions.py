"""Writes on actions: create, edit, promote a lead, link to objectives, choose the progress's source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from actions.models import Action, Update
from axes.models import Axis, Objective
from axes.services import versioned_update
from network.models import Structure
from toolkit.history import links_in_last_row

from .journal import update_create


def _check_new_action_status(status: str) -> None:
    if status not in (Action.Status.LEAD, Action.Status.PLANNED):
        raise ValidationError(
            "Une nouvelle action est une piste ou une action planifiée ; son statut évolue ensuite par le suivi."
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
    is_published: bool = False,
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
        is_published=is_published,
    )
    action.full_clean()
    action._history_user = user
    action.save()
    with links_in_last_row(action):  # the creation's row holds them
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
        raise ValidationError("Le statut d’une action change par une entrée du suivi, qui garde qui et quand.")
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


def action_promote_lead(*, action: Action, user) -> Update:
    """Turn a lead (« piste ») into a planned action, in one step, recorded in the journal."""
    if action.status != Action.Status.LEAD:
        raise ValidationError("Seule une piste d’action peut devenir une action planifiée.")
    return update_create(
        action=action,
        author=user,
        text="Piste d’action retenue : elle devient une action planifiée.",
        new_status=Action.Status.PLANNED,
    )


class LinksConflictError(Exception):
    """Someone changed the links of some of the grid's actions after the grid was opened."""

    def __init__(self, actions: list[Action]):
        self.actions = actions
        titles = ", ".join(f"« {action} »" for action in actions)
        super().__init__(
            f"Quelqu’un d’autre a modifié les objectifs de {titles} pendant que vous remplissiez la grille. "
            "Rien n’est enregistré : la grille garde vos choix, comparez-les avec les rattachements actuels "
            "indiqués sous chaque action concernée, puis enregistrez à nouveau pour confirmer."
        )


def _links_reason(added: list[Objective], removed: list[Objective], position: dict[int, int]) -> str:
    """« Objectifs : + 2. Développer une écoute… ; − 1. Aborder… » within the 100 characters of a history reason."""

    def name(objective: Objective) -> str:
        text = objective.text if len(objective.text) <= 30 else f"{objective.text[:29]}…"
        return f"{position[objective.pk]}. {text}"

    parts = [f"+ {name(o)}" for o in added] + [f"− {name(o)}" for o in removed]
    reason = "Objectifs (grille de l’axe) : " + " ; ".join(parts)
    return reason if len(reason) <= 100 else f"{reason[:99]}…"


@transaction.atomic
def axis_links_update(
    *,
    axis: Axis,
    links: Mapping[int, Iterable[int]],
    expected: Mapping[int, Iterable[int]] | None = None,
    user,
) -> list[Action]:
    """Say which of the axis's objectives each of its actions serves: `links` is
    {action id: ids of the axis's objectives}, for the actions of the grid (the others are left
    as they are; so are an action's links to other axes' objectives).

    `expected` is the same mapping as the grid showed it when it was opened: a row left as it was
    keeps the links someone else may have given it since; a row changed here whose links were
    also changed by someone else since is never overwritten silently: LinksConflictError is
    raised and nothing is written. Each action whose links change gets a new version and a history row
    naming the objectives added and removed in its reason; the row holds the links as they now are.
    Returns the actions changed.
    """
    objectives = {objective.pk: objective for objective in Objective.objects.filter(axis=axis).order_by("order", "pk")}
    position = {pk: n for n, pk in enumerate(objectives, start=1)}
    wanted = {int(action_id): {int(pk) for pk in pks} for action_id, pks in links.items()}
    strangers = {pk for pks in wanted.values() for pk in pks} - objectives.keys()
    if strangers:
        raise ValidationError("Une action ne se rattache ici qu’aux objectifs de cet axe.")
    actions = Action.objects.select_for_update().filter(axis=axis, pk__in=wanted).in_bulk()
    if len(actions) != len(wanted):
        raise ValidationError(
            "La grille ne rattache que des actions de cet axe (une action a pu être déplacée ou mise à la corbeille)."
        )
    current: dict[int, set[int]] = {pk: set() for pk in actions}
    for action_id, objective_id in Action.objectives.through.objects.filter(action_id__in=actions).values_list(
        "action_id", "objective_id"
    ):
        current[action_id].add(objective_id)
    in_axis = {pk: links_ & objectives.keys() for pk, links_ in current.items()}
    if expected is not None:
        opened = {pk: {int(o) for o in expected.get(pk, ())} for pk in actions}
        # A row left as it was opened keeps whatever is there now; a row changed on both sides is refused.
        wanted = {pk: wanted[pk] if wanted[pk] != opened[pk] else in_axis[pk] for pk in actions}
        stale = [actions[pk] for pk in actions if wanted[pk] != in_axis[pk] and opened[pk] != in_axis[pk]]
        if stale:
            raise LinksConflictError(stale)
    changed = []
    for pk, action in actions.items():
        if wanted[pk] == in_axis[pk]:
            continue
        added = [objectives[o] for o in objectives if o in wanted[pk] - in_axis[pk]]
        removed = [objectives[o] for o in objectives if o in in_axis[pk] - wanted[pk]]
        kept_elsewhere = current[pk] - objectives.keys()
        changed.append(
            versioned_update(
                action,
                data={},
                m2m={"objectives": [Objective(pk=o) for o in kept_elsewhere | wanted[pk]]},
                expected_version=None,
                user=user,
                reason=_links_reason(added, removed, position),
            )
        )
    return changed


def action_progress_source_set(*, action: Action, follows_milestones: bool, user) -> Action:
    """Let the action's milestones drive its progress, or keep the figure staff enter by hand.

    Switching to the figure entered by hand keeps the last one entered (none: « non renseigné »)
    until a journal entry gives another; the change is recorded in the action's history."""
    reason = "Avancement : d’après les jalons" if follows_milestones else "Avancement : saisi à la main"
    return versioned_update(
        action,
        data={"progress_follows_milestones": follows_milestones},
        expected_version=None,
        user=user,
        reason=reason,
    )
