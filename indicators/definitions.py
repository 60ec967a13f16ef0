"""Writes on the indicators' definitions, for staff (issue 14): create, edit (through the plan's
optimistic lock, `axes.services.versioned_update`), archive; targets per period for the network
or a structure, entered as one grid; the value chain stages and impact dimensions lists.

Kept beside `services.py` (the measurements' workflow) while that module is being reworked;
both are the app's services and take the acting user.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from axes.models import Objective
from axes.services import versioned_update
from network.models import Structure
from toolkit.history import links_in_last_row

from .models import Indicator, Target

ADD = "indicators.add_indicator"
CHANGE = "indicators.change_indicator"
CHANGE_TARGET = "indicators.change_target"
DEFINITION_FIELDS = [
    "code",
    "name",
    "description",
    "unit",
    "direction",
    "baseline",
    "baseline_period",
    "aggregation",
    "frequency",
    "source",
    "stage",
    "dimension",
]


def _check(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("Seule l’équipe fédérale définit les indicateurs.")


@transaction.atomic
def indicator_create(
    *, user, data: dict, objectives: Iterable[Objective] = (), actions: Iterable[Action] = ()
) -> Indicator:
    _check(user, ADD)
    indicator = Indicator(**{name: data[name] for name in DEFINITION_FIELDS if name in data})
    indicator.full_clean()
    indicator._history_user = user
    indicator.save()
    with links_in_last_row(indicator):  # the creation's row holds them
        indicator.objectives.set(objectives)
        indicator.actions.set(actions)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    user,
    indicator: Indicator,
    data: dict,
    objectives: Iterable[Objective],
    actions: Iterable[Action],
    expected_version: int | None,
) -> Indicator:
    """Save the definition; refused (axes.services.ConflictError) when someone saved it since
    `expected_version` was read."""
    _check(user, CHANGE)
    fields = {name: data[name] for name in DEFINITION_FIELDS if name in data}
    return versioned_update(
        indicator,
        data=fields,
        m2m={"objectives": objectives, "actions": actions},
        expected_version=expected_version,
        user=user,
    )


@transaction.atomic
def indicator_archive(*, user, indicator: Indicator, archived: bool) -> Indicator:
    """Archive (or bring back) an indicator: its values and targets stay, it is no longer listed
    by default nor offered for new figures."""
    _check(user, CHANGE)
    return versioned_update(
        indicator,
        data={"archived_at": timezone.now() if archived else None},
        expected_version=None,
        user=user,
        reason="Archivé" if archived else "Sorti des archives",
    )


@transaction.atomic
def targets_save(
    *, user, indicator: Indicator, grid: dict[tuple[str, Structure | None], Decimal | None]
) -> tuple[int, int]:
    """Set the targets of `indicator` from a grid of (period, structure or None for the network)
    → value; an empty cell (None) removes that target. Returns (written, removed)."""
    if not user.has_perm(CHANGE_TARGET):
        raise PermissionDenied("Seule l’équipe fédérale fixe les cibles.")
    existing = {
        (target.period, target.structure_id): target for target in indicator.targets.order_by().select_for_update()
    }
    written = removed = 0
    for (period, structure), value in grid.items():
        key = (period, structure.pk if structure else None)
        target = existing.get(key)
        if value is None:
            if target is not None:
                target._history_user = user
                target.delete()
                removed += 1
            continue
        if target is not None and target.value == value:
            continue
        target = target or Target(indicator=indicator, period=period, structure=structure)
        target.value = value
        target.full_clean()
        target._history_user = user
        target.save()
        written += 1
    return written, removed


NETWORK_COLUMN = "reseau"
NETWORK_TITLES = {"reseau", "ensemble du reseau", "le reseau", "network"}


def read_target_paste(text: str, structures: Iterable[Structure]) -> tuple[list[str], dict, list[str]]:
    """A table pasted from a spreadsheet (tab-separated, titles on the first line: « Période »,
    « Réseau », structure names), read as (periods, {(period, column): cell text}, errors in
    French). A column is NETWORK_COLUMN or a structure's pk; cells stay text, read as French
    numbers when the grid is saved, so that a wrong cell is shown where it is."""
    from toolkit.text import fold_key

    from .models import PERIOD_RE

    by_name = {fold_key(structure.name): structure.pk for structure in structures}
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        return [], {}, ["Le tableau collé est vide."]
    errors: list[str] = []
    columns: list[str | int | None] = []
    for title in lines[0].split("\t")[1:]:
        key = fold_key(title)
        if key in NETWORK_TITLES:
            columns.append(NETWORK_COLUMN)
        elif key in by_name:
            columns.append(by_name[key])
        else:
            columns.append(None)
            if key:
                errors.append(
                    f"Colonne « {title.strip()[:80]} » : aucune structure ne porte ce nom ; elle est ignorée."
                )
    periods: list[str] = []
    cells: dict[tuple[str, str | int], str] = {}
    for number, line in enumerate(lines[1:], start=2):
        row = line.split("\t")
        period = row[0].strip()
        if not PERIOD_RE.match(period):
            errors.append(
                f"Ligne {number} : « {period[:20]} » n’est pas une période (2026, 2026-S1, 2026-T2 ou 2026-M03) ; "
                "elle est ignorée."
            )
            continue
        if period not in periods:
            periods.append(period)
        for column, cell in zip(columns, row[1:], strict=False):
            if column is not None:
                cells[(period, column)] = cell.strip()
    return periods, cells, errors
