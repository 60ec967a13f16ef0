"""Reads for a structure's part in the plan: its actions and the objectives they serve; its
values beside the network's."""

import dataclasses

from django.db.models import Prefetch, QuerySet

from actions.models import Action, Participation
from actions.selectors import actions_with_progress, objectives_with_progress
from axes.models import Objective
from indicators.comparisons import network_medians, previous_period
from indicators.coverage import coverage
from indicators.models import Measurement
from network.models import Structure


def _involved_action_ids(structure: Structure) -> set[int]:
    """The actions `structure` takes part in or has offered to (not declined), any status:
    two indexed reads (an OR across both joins made PostgreSQL aggregate them all, 20 ms)."""
    designated = Action.structures.through.objects.filter(structure=structure).values_list("action_id", flat=True)
    offered = Participation.objects.filter(
        structure=structure,
        status__in=[Participation.Status.PROPOSED, Participation.Status.ACCEPTED],
    ).values_list("action_id", flat=True)
    return set(designated) | set(offered)


def structure_actions(structure: Structure) -> QuerySet[Action]:
    """The live actions `structure` takes part in or has offered to (not declined), with
    their progress, axis and this structure's participation loaded."""
    return (
        actions_with_progress(Action.objects.filter(pk__in=_involved_action_ids(structure)))
        .select_related("axis")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(structure=structure),
                to_attr="own_participations",
            )
        )
        .order_by("axis__order", "order", "pk")
    )


def structure_objectives(actions: list[Action]) -> QuerySet[Objective]:
    """The objectives served by `actions` (those of `structure_actions`), with their progress."""
    return (
        objectives_with_progress(
            Objective.objects.filter(
                pk__in=Action.objectives.through.objects.filter(action_id__in=[action.pk for action in actions]).values(
                    "objective_id"
                )
            )
        )
        .select_related("axis")
        .order_by("axis__order", "order", "pk")
    )


def participations_pending():
    """Participations waiting for staff, oldest first, with what the list shows joined."""
    return (
        Participation.objects.pending()
        .select_related("structure", "action__axis", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def participations_decided(limit: int = 50):
    """The latest decided participations, newest first."""
    return (
        Participation.objects.exclude(status=Participation.Status.PROPOSED)
        .select_related("structure", "action__axis", "proposed_by", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def actions_by_structure(structure_ids) -> dict[int, list[Action]]:
    """{structure_id: [live actions it takes part in]} — accepted participations and the
    actions' « structures impliquées » — in three queries."""
    structure_ids = list(structure_ids)
    pairs = set(
        Participation.objects.accepted().filter(structure_id__in=structure_ids).values_list("structure_id", "action_id")
    )
    pairs |= set(
        Action.structures.through.objects.filter(structure_id__in=structure_ids).values_list(
            "structure_id", "action_id"
        )
    )
    # What the network pages show of an action (title, status, axis): not its texts.
    actions = (
        Action.objects.select_related("axis")
        .only("title", "status", "order", "axis__title", "axis__order", "axis__slug")
        .in_bulk({action_id for _, action_id in pairs})
    )
    result: dict[int, list[Action]] = {pk: [] for pk in structure_ids}
    for structure_id, action_id in pairs:
        if action_id in actions:  # trashed actions are left out
            result[structure_id].append(actions[action_id])
    for found in result.values():
        found.sort(key=lambda action: (action.axis.order, action.order, action.pk))
    return result


def beside_the_network(structure: Structure, measurements) -> list[Measurement]:
    """`measurements` (values of `structure`, e.g. a page of them), each with `median`: the
    median of the structures' validated values for its indicator and period ((median, count)
    or None), `median_coverage`: how many of the expected structures that median is made of,
    and `previous`: the structure's own value for the same period a year before (any status,
    or None). Eight queries at most, whatever the number of values."""
    measurements = list(measurements)
    pairs = {(m.indicator_id, m.period) for m in measurements}
    medians = network_medians(pairs)
    covered = coverage({m.indicator_id: m.indicator for m in measurements}.values(), {p for _, p in pairs})
    before = {(m.indicator_id, previous_period(m.period)) for m in measurements}
    previous = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.filter(
            structure=structure,
            indicator_id__in={pk for pk, _ in before},
            period__in={period for _, period in before if period},
        )
    }
    for measurement in measurements:
        pair = (measurement.indicator_id, measurement.period)
        measurement.median = medians.get(pair)
        # A median is no sum: never « somme partielle ».
        measurement.median_coverage = dataclasses.replace(covered[pair], summed=False) if pair in covered else None
        measurement.previous = previous.get((measurement.indicator_id, previous_period(measurement.period)))
    return measurements
