"""Who is expected to report an indicator, and how much of them a network figure covers.

A structure is expected to report an indicator for a period when
- the indicator has a target for that structure and period, or
- the indicator evidences an action the structure takes part in (an accepted
  participation, or the action's « structures impliquées »): any of its actions not in the
  trash, or
- the indicator is one of the national observatory's yearly figures
  (`indicators.observatory`) and the structure is a centre social or an EVS.

The rule lives here, below the pages that use it: « Qui a transmis », the reminders and
« Mon centre » (`centres.reporting`) read `expected_structures`; every network figure
(indicator pages, the board's dashboard, report and PDF) says how many of the expected
structures its validated values cover (`coverage`), and who is missing (`missing_structures`).
The rule is written twice, as sets for many indicators at once and as a SQL condition on a
row (to count and list without loading every value); a test holds the two together.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast

from actions.models import Action, Participation
from network.models import Structure
from toolkit import aggregates

from .models import Indicator, Measurement, Target
from .observatory import PREFIX as OBSERVATORY_PREFIX
from .observatory import is_observatory

# What says which structures are expected to report an indicator, besides its own rows (its
# targets): the structures, the live actions it evaluates (a trashed axis takes its actions)
# and who takes part in them. A journal entry or a milestone changes none of it.
EXPECTED_FROM = ["network", "axes", "actions.action", "actions.action_structures", "actions.participation"]

# The structures that report the observatory's figures.
OBSERVED_KINDS = (Structure.Kind.CENTRE_SOCIAL, Structure.Kind.EVS)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@dataclass(frozen=True)
class Coverage:
    """How many of the expected structures a network figure covers.

    `reported`: expected structures whose validated value is in the figure; `others`: structures
    not expected whose validated value is in it too; `network_entered`: the figure was entered
    for the network as a whole (the structures' values are then not what it shows); `summed`:
    the indicator adds its structures' values up.
    """

    reported: int = 0
    expected: int = 0
    others: int = 0
    network_entered: bool = False
    summed: bool = False

    @property
    def missing(self) -> int:
        return 0 if self.network_entered else self.expected - self.reported

    @property
    def is_partial(self) -> bool:
        """A sum over part of the expected structures: the network's real total is larger."""
        return self.summed and self.missing > 0

    @property
    def label(self) -> str:
        """« 1 structure sur 2 », « saisie pour le réseau », « 3 structures, aucune attendue »."""
        if self.network_entered:
            return "saisie pour le réseau"
        if not self.expected:
            if not self.others:
                return "aucune structure attendue"
            return f"{_plural(self.others, 'structure')}, aucune attendue"
        text = f"{_plural(self.reported, 'structure')} sur {self.expected}"
        if self.others:
            text += f", et {self.others} non attendue{'s' if self.others > 1 else ''}"
        return text


def _live_actions(indicators: list[Indicator]) -> dict[int, list[int]]:
    """{indicator_id: ids of its actions not in the trash}, read from each indicator's prefetched
    `actions` (the pages prefetch them); one query for those whose caller did not."""
    prefetch_related_objects(indicators, "actions")
    return {indicator.pk: [action.pk for action in indicator.actions.all()] for indicator in indicators}


# ---------------------------------------------------------------- the rule, as sets


def expected_structures(
    indicators: Iterable[Indicator],
    periods: Mapping[int, Iterable[str]],
    *,
    among: Iterable[int] | None = None,
) -> dict[tuple[int, str], set[int]]:
    """{(indicator_id, period): ids of the structures expected to report it}, for each indicator
    and each of its `periods` ({indicator_id: [period, …]}); only structures of `among` when
    given (filtered in the database: a page of 50 structures reads no more). Each indicator needs
    its `pk`, `code` and its `actions` prefetched (else one more query). Four queries at most,
    whatever the number of indicators and actions."""
    indicators = [indicator for indicator in indicators if periods.get(indicator.pk)]
    wanted = {indicator.pk: set(periods[indicator.pk]) for indicator in indicators}
    result: dict[tuple[int, str], set[int]] = {
        (indicator_id, period): set() for indicator_id, own in wanted.items() for period in own
    }
    if not indicators:
        return result
    only = None if among is None else set(among)
    restrict = {} if only is None else {"structure_id__in": only}
    for indicator_id, period, structure_id in Target.objects.filter(
        indicator_id__in=wanted,
        period__in=set().union(*wanted.values()),
        structure__isnull=False,
        **restrict,
    ).values_list("indicator_id", "period", "structure_id"):
        if period in wanted[indicator_id]:
            result[(indicator_id, period)].add(structure_id)
    always = _expected_whatever_the_period(indicators, only)
    for (indicator_id, _period), found in result.items():
        found |= always[indicator_id]
    return result


def _expected_whatever_the_period(indicators: list[Indicator], only: set[int] | None) -> dict[int, set[int]]:
    """{indicator_id: structures expected for every period}: the participants of any of its
    actions, and the centres for the observatory's figures. Three queries at most."""
    restrict = {} if only is None else {"structure_id__in": only}
    always: dict[int, set[int]] = {indicator.pk: set() for indicator in indicators}
    by_action: dict[int, list[int]] = {}
    for indicator_id, action_ids in _live_actions(indicators).items():
        for action_id in action_ids:
            by_action.setdefault(action_id, []).append(indicator_id)
    if by_action:
        members = set(
            Participation.objects.accepted()
            .filter(action_id__in=by_action, **restrict)
            .values_list("action_id", "structure_id")
        )
        # An action in the trash expects no one (its participations are hidden with it).
        members |= set(
            Action.structures.through.objects.filter(
                action_id__in=by_action, action__deleted_at__isnull=True, **restrict
            ).values_list("action_id", "structure_id")
        )
        for action_id, structure_id in members:
            for indicator_id in by_action[action_id]:
                always[indicator_id].add(structure_id)

    observed = [indicator.pk for indicator in indicators if is_observatory(indicator)]
    if observed:
        centres = set(
            Structure.objects.filter(kind__in=OBSERVED_KINDS, **({} if only is None else {"pk__in": only})).values_list(
                "pk", flat=True
            )
        )
        for indicator_id in observed:
            always[indicator_id] |= centres
    return always


# ---------------------------------------------------------------- the rule, as rows in SQL


def expected_rows(indicators: Iterable[Indicator], period_of: Mapping[int, str]) -> QuerySet:
    """The rule as a query of distinct rows (i: indicator id, p: period, s: structure id), one
    period per indicator (`period_of`): a UNION of the four clauses, to count or page in the
    database (centres.reporting.reporting_summary) rather than load thousands of structures.
    One query whatever the number of indicators, periods and structures (the observatory's
    figures, a fixed handful, are one branch each)."""
    indicators = [indicator for indicator in indicators if period_of.get(indicator.pk)]
    by_period: dict[str, list[int]] = {}
    for indicator in indicators:
        by_period.setdefault(period_of[indicator.pk], []).append(indicator.pk)

    def period(field: str):
        # The indicator's period as a column: one WHEN per distinct period (a handful).
        from django.db.models import Case, When

        whens = [When(**{f"{field}__in": ids}, then=Value(p)) for p, ids in by_period.items()]
        return Case(*whens, output_field=CharField())

    def rows(queryset, indicator: str, structure: str):
        return (
            queryset.order_by()
            .annotate(i=Cast(F(indicator), IntegerField()), p=period(indicator), s=Cast(F(structure), IntegerField()))
            .values_list("i", "p", "s")
        )

    wanted = Q(pk__in=[])
    for p, ids in by_period.items():
        wanted |= Q(indicator_id__in=ids, period=p)
    branches = [rows(Target.objects.filter(wanted, structure__isnull=False), "indicator_id", "structure_id")]
    actions = _live_actions(indicators)
    with_action = [indicator.pk for indicator in indicators if actions[indicator.pk]]
    if with_action:
        branches.append(
            rows(
                Participation.objects.accepted().filter(action__indicators__in=with_action),
                "action__indicators",
                "structure_id",
            )
        )
        branches.append(
            rows(
                Action.structures.through.objects.filter(
                    action__indicators__in=with_action, action__deleted_at__isnull=True
                ),
                "action__indicators",
                "structure_id",
            )
        )
    for indicator in indicators:
        if is_observatory(indicator):
            branches.append(
                Structure.objects.filter(kind__in=OBSERVED_KINDS)
                .order_by()
                .annotate(
                    i=Value(indicator.pk, IntegerField()),
                    p=Value(period_of[indicator.pk], CharField()),
                    s=Cast(F("pk"), IntegerField()),
                )
                .values_list("i", "p", "s")
            )
    first, *others = branches
    return first.union(*others) if others else first.distinct()


# ---------------------------------------------------------------- the rule, as a SQL condition


def _expected_where(*, indicator, period, structure) -> Q:
    """The rule's first two clauses as a condition; each argument is a value or an OuterRef.
    The observatory's clause depends on the row's model: the callers add it."""
    return (
        Exists(Target.objects.filter(indicator=indicator, period=period, structure=structure))
        | Exists(Participation.objects.accepted().filter(action__indicators=indicator, structure=structure))
        | Exists(
            Action.structures.through.objects.filter(
                action__indicators=indicator, structure_id=structure, action__deleted_at__isnull=True
            )
        )
    )


def may_expect(structure: Structure) -> Q:
    """True for an indicator that `structure` may be expected to report for some period: a
    condition on Indicator that narrows a list of indicators down to those `expected_structures`
    needs to look at for one structure (« Mon centre » reads a handful, not every indicator).
    The periods are left to `expected_structures`."""
    condition = (
        Exists(Target.objects.filter(indicator=OuterRef("pk"), structure=structure))
        | Exists(Participation.objects.accepted().filter(action__indicators=OuterRef("pk"), structure=structure))
        | Exists(
            Action.structures.through.objects.filter(
                action__indicators=OuterRef("pk"), structure=structure, action__deleted_at__isnull=True
            )
        )
    )
    if structure.kind in OBSERVED_KINDS:
        condition |= Q(code__startswith=OBSERVATORY_PREFIX)
    return condition


def expected_measurement() -> Q:
    """True for a value whose structure is expected to report its indicator for its period."""
    return _expected_where(
        indicator=OuterRef("indicator_id"),
        period=OuterRef("period"),
        structure=OuterRef("structure_id"),
    ) | Q(indicator__code__startswith=OBSERVATORY_PREFIX, structure__kind__in=OBSERVED_KINDS)


def counted_values() -> QuerySet[Measurement]:
    """The values a network figure is made of: validated, numeric, a structure's own."""
    return Measurement.objects.validated().filter(value__isnull=False, structure__isnull=False).order_by()


def missing_structures(indicator: Indicator, period: str) -> QuerySet[Structure]:
    """The structures expected to report `indicator` for `period` whose validated value is not
    (yet) in the network figure, by name; each with `entered_status`, the status of what it
    entered (None: nothing)."""
    expected = _expected_where(indicator=indicator.pk, period=period, structure=OuterRef("pk"))
    if is_observatory(indicator):
        expected |= Q(kind__in=OBSERVED_KINDS)
    entered = Measurement.objects.filter(indicator=indicator, period=period, structure=OuterRef("pk"))
    counted = counted_values().filter(indicator=indicator, period=period, structure=OuterRef("pk"))
    return (
        Structure.objects.filter(expected)
        .filter(~Exists(counted))
        .annotate(entered_status=Subquery(entered.values("status")[:1]))
        .order_by("name", "pk")
    )


# ---------------------------------------------------------------- coverage of network figures


def coverage(indicators: Iterable[Indicator], periods: Iterable[str] | None = None) -> dict[tuple[int, str], Coverage]:
    """{(indicator_id, period): Coverage} of the network figures of `indicators` (each with its
    code, actions and aggregation): for every period that has a validated value or a structure's
    target (only `periods` when given).

    Seven queries at most (eight when the indicators come without their actions prefetched),
    whatever the data size: the validated values are counted in the database (all of them and
    the expected ones), never loaded. Kept until a value, a target,
    a participation or a structure changes (toolkit.aggregates), like `network_values`.
    """
    indicators = {indicator.pk: indicator for indicator in indicators}
    ids = sorted(indicators)
    wanted = None if periods is None else sorted(set(periods))
    key = ",".join(map(str, ids)) + "|" + ("*" if wanted is None else ",".join(wanted))
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return aggregates.cached(
        "coverage",
        digest,
        compute=lambda: _coverage([indicators[pk] for pk in ids], wanted),
        depends_on=[*EXPECTED_FROM, "indicators"],
    )


def expected_reporting(indicators: Iterable[Indicator], periods: Iterable[str], *, by: tuple[str, ...] = ()) -> Counter:
    """{(indicator_id, period, *by values): how many expected structures have their validated
    value in the figure}, for `periods`; `by` groups further by fields of the structure
    (e.g. "structure__kind"). Two queries: an indicator that only targets expect is counted from
    its targets (a few thousand rows); the others (an action's, the observatory's) from their
    values with the rule as a condition on each."""
    indicators = list(indicators)
    actions = _live_actions(indicators)
    by_target = [i.pk for i in indicators if not actions[i.pk] and not is_observatory(i)]
    by_rule = [i.pk for i in indicators if actions[i.pk] or is_observatory(i)]
    counted = counted_values().filter(indicator=OuterRef("indicator_id"), period=OuterRef("period"))
    found: Counter = Counter()
    groups = ("indicator_id", "period", *by)
    if by_target:
        rows = (
            Target.objects.filter(indicator_id__in=by_target, period__in=periods, structure__isnull=False)
            .filter(Exists(counted.filter(structure=OuterRef("structure_id"))))
            .order_by()
            .values(*groups)
            .annotate(n=Count("pk"))
        )
        for row in rows:
            found[tuple(row[field] for field in groups)] += row["n"]
    if by_rule:
        rows = (
            counted_values()
            .filter(indicator_id__in=by_rule, period__in=periods)
            .filter(expected_measurement())
            .values(*groups)
            .annotate(n=Count("pk"))
        )
        for row in rows:
            found[tuple(row[field] for field in groups)] += row["n"]
    return found


def _coverage(indicators: list[Indicator], periods: list[str] | None) -> dict[tuple[int, str], Coverage]:
    if not indicators:
        return {}
    ids = [indicator.pk for indicator in indicators]
    in_periods = {} if periods is None else {"period__in": periods}
    # The validated values counted (no condition on each: a plain grouped count), and whether
    # one was entered for the network itself.
    own = Q(structure__isnull=False)
    counts: dict[tuple[int, str], tuple[int, bool]] = {
        (row["indicator_id"], row["period"]): (row["total"], row["network"] > 0)
        for row in Measurement.objects.validated()
        .filter(indicator_id__in=ids, value__isnull=False, **in_periods)
        .order_by()
        .values("indicator_id", "period")
        .annotate(total=Count("pk", filter=own), network=Count("pk", filter=~own))
    }
    targeted: dict[tuple[int, str], set[int]] = {}
    for indicator_id, period, structure_id in Target.objects.filter(
        indicator_id__in=ids, structure__isnull=False, **in_periods
    ).values_list("indicator_id", "period", "structure_id"):
        targeted.setdefault((indicator_id, period), set()).add(structure_id)
    pairs = set(counts) | set(targeted)
    if periods is not None:
        pairs |= {(indicator_id, period) for indicator_id in ids for period in periods}
    reporting = expected_reporting(indicators, {period for _, period in pairs})
    always = _expected_whatever_the_period(indicators, None)
    summed = {indicator.pk for indicator in indicators if indicator.aggregation == Indicator.Aggregation.SUM}
    result = {}
    for pair in pairs:
        total, network_entered = counts.get(pair, (0, False))
        reported = reporting.get(pair, 0)
        result[pair] = Coverage(
            reported=reported,
            expected=len(targeted.get(pair, set()) | always[pair[0]]),
            others=total - reported,
            network_entered=network_entered,
            summed=pair[0] in summed,
        )
    return result
