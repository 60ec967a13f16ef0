"""Network figures compared: with the same period a year before, split by territory and by type
of structure, and a structure's own figure against the network's median.

Each is computed in the database (grouped aggregates, window functions), a fixed number of
queries whatever the number of indicators, structures and values.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Window
from django.db.models.functions import Cast, Concat, RowNumber, Substr

from network.models import Structure, Territory
from toolkit.french import format_number

from .coverage import Coverage, counted_values, expected_reporting, expected_structures
from .models import PERIOD_RE, Indicator, period_label


def previous_period(period: str) -> str | None:
    """The same period a year before: « 2024 » for 2025, « 2024-S1 » for 2025-S1."""
    if not PERIOD_RE.match(period or ""):
        return None
    return f"{int(period[:4]) - 1}{period[4:]}"


def _shifted(period, years: int):
    """SQL: `period` (an expression) moved by `years` years, its suffix kept (2025-S1 → 2024-S1)."""
    year = Cast(Cast(Substr(period, 1, 4), IntegerField()) + years, CharField())
    return Concat(year, Substr(period, 5), output_field=CharField())


# ---------------------------------------------------------------- the year before


@dataclass(frozen=True)
class Change:
    """How a network figure moved since the same period a year before, or why it is not said."""

    previous: str  # the period compared with
    percent: Decimal | None = None
    constant_structures: int | None = None  # computed over the structures present both years only
    reason: str = ""  # why no percentage

    @property
    def label(self) -> str:
        """« +12 % par rapport à 2024 », « … à structures constantes (3 structures) », or why not."""
        previous = period_label(self.previous)
        if self.percent is None:
            return f"évolution non calculée : {self.reason}"
        sign = "+" if self.percent > 0 else ("−" if self.percent < 0 else "")
        text = f"{sign}{format_number(abs(self.percent))}\u202f% par rapport à {previous}"
        if self.constant_structures is not None:
            count = self.constant_structures
            text += (
                f", à structures constantes ({count} structure{'s' if count > 1 else ''}"
                f" présente{'s' if count > 1 else ''} les deux années)"
            )
        return text


def _pairs(periods: Mapping[int, str]) -> Q:
    """Rows of each indicator's own period, one condition per period (a handful: 2025, 2026-T1…)
    so that the database reads each (indicator, period) from its index, not every period."""
    by_period: dict[str, list[int]] = {}
    for indicator_id, period in periods.items():
        by_period.setdefault(period, []).append(indicator_id)
    condition = Q(pk__in=[])
    for period, ids in by_period.items():
        condition |= Q(period=period, indicator_id__in=ids)
    return condition


def _percent(new: Decimal, old: Decimal) -> Decimal:
    return (100 * (new - old) / abs(old)).quantize(Decimal("1"))


def year_on_year(
    indicators: Iterable[Indicator],
    latest: Mapping[int, str],
    values: Mapping[int, Mapping[str, Decimal]],
    covered: Mapping[tuple[int, str], Coverage],
) -> dict[int, Change]:
    """{indicator_id: Change} of each indicator's figure for its `latest` period against the same
    period a year before, from its network `values` and their coverage (`covered`, which must
    hold both periods).

    A change is given when both years have a figure made the same way: both entered for the
    network, or both from the same structures. When the structures differ, a sum or a mean is
    compared over the structures present both years only (« à structures constantes »); with
    none in common, or for « dernière valeur validée », the change is not given and says why.
    Two queries: the values of the structures that reported both years, summed in the database.
    """
    indicators = [indicator for indicator in indicators if indicator.pk in latest]
    previous = {indicator.pk: previous_period(latest[indicator.pk]) for indicator in indicators}
    both_years: dict[tuple[int, str], tuple[int, Decimal]] = {}
    same = counted_values().filter(indicator=OuterRef("indicator_id"), structure=OuterRef("structure_id"))
    # Each year's values of the structures that reported the other year too: two queries, each
    # testing its own rows once (one query testing both years' rows tested each twice).
    for periods_of, years in ((latest, -1), (previous, 1)):
        wanted = {pk: period for pk, period in periods_of.items() if pk in previous and previous[pk]}
        if not wanted:
            continue
        other_year = {pk: f"{int(period[:4]) + years}{period[4:]}" for pk, period in wanted.items()}
        # The other year's rows named as constants too, so that the database reads only them
        # (PostgreSQL hashed all 357,000 values otherwise).
        in_other_year = same.filter(_pairs(other_year), period=_shifted(OuterRef("period"), years))
        rows = (
            counted_values()
            .filter(_pairs(wanted))
            .filter(Exists(in_other_year))
            .values("indicator_id", "period")
            .annotate(count=Count("pk"), total=Sum("value"))
        )
        for row in rows:
            if row["period"] == wanted[row["indicator_id"]]:
                both_years[(row["indicator_id"], row["period"])] = (row["count"], row["total"])

    result = {}
    for indicator in indicators:
        pk, new_period, old_period = indicator.pk, latest[indicator.pk], previous[indicator.pk]
        if old_period is None:
            continue
        result[pk] = _change(indicator, new_period, old_period, values.get(pk, {}), covered, both_years)
    return result


def _change(indicator, new_period, old_period, values, covered, both_years) -> Change:
    pk = indicator.pk
    if old_period not in values or new_period not in values:
        return Change(old_period, reason=f"pas de valeur validée du réseau pour {period_label(old_period)}")
    new, old = covered[(pk, new_period)], covered[(pk, old_period)]
    if new.network_entered != old.network_entered:
        entered = new_period if new.network_entered else old_period
        return Change(
            old_period,
            reason=f"la valeur de {period_label(entered)} a été saisie pour le réseau, l’autre est faite des structures",
        )
    new_value, old_value = values[new_period], values[old_period]
    constant = None
    if not new.network_entered:
        common, new_sum = both_years.get((pk, new_period), (0, None))
        new_count, old_count = new.reported + new.others, old.reported + old.others
        if not (common == new_count == old_count):
            if not common or indicator.aggregation == Indicator.Aggregation.LATEST:
                return Change(
                    old_period,
                    reason=(
                        f"pas les mêmes structures ({new_count} en {period_label(new_period)}, "
                        f"{old_count} en {period_label(old_period)}, {common} en commun)"
                    ),
                )
            # The ratio of two means over the same structures is the ratio of their sums.
            new_value, old_value, constant = new_sum, both_years.get((pk, old_period), (0, None))[1], common
    if not old_value:
        return Change(old_period, reason=f"la valeur de {period_label(old_period)} est nulle")
    return Change(old_period, _percent(Decimal(new_value), Decimal(old_value)), constant)


# ---------------------------------------------------------------- by territory, by type of structure


@dataclass(frozen=True)
class Share:
    """One group's part of a network figure: its value and its coverage."""

    label: str
    value: Decimal | None
    coverage: Coverage


@dataclass
class Breakdown:
    """A network figure split by top-level territory and by type of structure (same period).

    At national scale a hundred départements: `territories_shown(limit)` keeps the largest and
    sums the others on one line, so that the dashboard stays readable."""

    period: str
    by_territory: list[Share] = field(default_factory=list)
    by_kind: list[Share] = field(default_factory=list)
    combined: bool = True  # False for « dernière valeur validée »: no value per group, counts only

    def territories_shown(self, limit: int) -> list[Share]:
        """The `limit` territories with the most structures expected or reporting, by name, then
        the others together (« 92 autres territoires »), their values combined the same way."""
        if len(self.by_territory) <= limit + 1:
            return self.by_territory
        by_size = sorted(self.by_territory, key=lambda share: -(share.coverage.expected + share.coverage.others))
        shown, rest = by_size[:limit], by_size[limit:]
        counts = [share.coverage.reported + share.coverage.others for share in rest]
        values = [(share.value, count) for share, count in zip(rest, counts, strict=True) if share.value is not None]
        value = None
        if values and self.combined:
            first = rest[0].coverage
            if first.summed:
                value = sum(v for v, _ in values)
            else:  # a mean: weighted by how many structures each mean is of
                value = (sum(v * n for v, n in values) / sum(n for _, n in values)).quantize(Decimal("0.01"))
        merged = Coverage(
            reported=sum(share.coverage.reported for share in rest),
            expected=sum(share.coverage.expected for share in rest),
            others=sum(share.coverage.others for share in rest),
            summed=rest[0].coverage.summed,
        )
        shown = sorted(shown, key=lambda share: (share.label == NO_TERRITORY, share.label.lower()))
        return [*shown, Share(f"{len(rest)} autres territoires", value, merged)]


NO_TERRITORY = "Sans territoire"


def breakdown(indicators: Iterable[Indicator], periods: Mapping[int, str]) -> dict[int, Breakdown]:
    """{indicator_id: Breakdown} of each indicator's figure for its period in `periods`: for each
    top-level territory (département) and each type of structure, the structures' validated
    values combined as the indicator says (sum or mean) and how many of the expected structures
    of that group they cover. Eight queries at most."""
    indicators = [indicator for indicator in indicators if indicator.pk in periods]
    if not indicators:
        return {}
    where_fields = ("structure__territory_id", "structure__kind")
    grouped = (
        counted_values()
        .filter(indicator_id__in=[indicator.pk for indicator in indicators], period__in=set(periods.values()))
        .values("indicator_id", "period", *where_fields)
        .annotate(total=Sum("value"), count=Count("pk"))
    )
    reporting = expected_reporting(indicators, set(periods.values()), by=where_fields)
    roots, names = _root_territories()
    expected = expected_structures(indicators, {pk: [period] for pk, period in periods.items()})
    where = {
        pk: (roots.get(territory_id), kind)
        for pk, territory_id, kind in Structure.objects.filter(pk__in=set().union(*expected.values())).values_list(
            "pk", "territory_id", "kind"
        )
    }
    # {indicator_id: {("territory"|"kind", key): [total, count, expected reporting, expected]}}
    sums: dict[int, dict[tuple[str, object], list]] = {indicator.pk: {} for indicator in indicators}

    def add(indicator_id, group, total=Decimal(0), count=0, reporting=0, awaited=0):
        entry = sums[indicator_id].setdefault(group, [Decimal(0), 0, 0, 0])
        entry[0] += total or 0
        entry[1] += count
        entry[2] += reporting
        entry[3] += awaited

    for row in grouped:
        if row["period"] != periods[row["indicator_id"]]:
            continue
        root = roots.get(row["structure__territory_id"])
        for group in (("territory", root), ("kind", row["structure__kind"])):
            add(row["indicator_id"], group, row["total"], row["count"])
    for (indicator_id, period, territory_id, kind), count in reporting.items():
        if period == periods[indicator_id]:
            add(indicator_id, ("territory", roots.get(territory_id)), reporting=count)
            add(indicator_id, ("kind", kind), reporting=count)
    for (indicator_id, _period), structure_ids in expected.items():
        for structure_id in structure_ids:
            root, kind = where[structure_id]
            add(indicator_id, ("territory", root), awaited=1)
            add(indicator_id, ("kind", kind), awaited=1)

    kinds = dict(Structure.Kind.choices)
    result = {}
    for indicator in indicators:
        how = indicator.aggregation
        found = Breakdown(periods[indicator.pk], combined=how != Indicator.Aggregation.LATEST)
        for (axis, key), (total, count, reporting, awaited) in sums[indicator.pk].items():
            value = None
            if count and how == Indicator.Aggregation.SUM:
                value = total.quantize(Decimal("0.01"))
            elif count and how == Indicator.Aggregation.MEAN:
                value = (total / count).quantize(Decimal("0.01"))
            share_coverage = Coverage(
                reported=reporting,
                expected=awaited,
                others=count - reporting,
                summed=how == Indicator.Aggregation.SUM,
            )
            if axis == "territory":
                found.by_territory.append(Share(names.get(key, NO_TERRITORY), value, share_coverage))
            else:
                found.by_kind.append(Share(str(kinds.get(key, key)), value, share_coverage))
        found.by_territory.sort(key=lambda share: (share.label == NO_TERRITORY, share.label.lower()))
        found.by_kind.sort(key=lambda share: share.label)
        result[indicator.pk] = found
    return result


def _root_territories() -> tuple[dict[int, int], dict[int, str]]:
    """{territory_id: id of the territory it counts in} and {territory_id: name}, in one query
    (the tree is small): its top-level ancestor (a département), or, when the whole network
    sits in one top-level territory (a departmental federation), its ancestor one level below
    (a bassin de vie): one line for the whole network would split nothing."""
    rows = list(Territory.objects.values_list("pk", "parent_id", "name"))
    parents = {pk: parent_id for pk, parent_id, _name in rows}
    lineage = {}  # {territory_id: [itself, its parent, …, its top-level ancestor]}
    for pk in parents:
        chain = [pk]
        while parents.get(chain[-1]) is not None and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        lineage[pk] = chain
    depth = 1 if len({chain[-1] for chain in lineage.values()}) == 1 else 0
    groups = {pk: chain[-1 - depth] if len(chain) > depth else chain[-1] for pk, chain in lineage.items()}
    return groups, {pk: name for pk, _parent_id, name in rows}


# ---------------------------------------------------------------- a structure against the network


def network_medians(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], tuple[Decimal, int]]:
    """{(indicator_id, period): (median, number of structures)} of the structures' validated
    values, for each pair that has some. One query: the middle one or two values of each pair,
    found by a window function (SQLite has no median aggregate)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    partition = [F("indicator_id"), F("period")]
    ranked = (
        counted_values()
        .filter(indicator_id__in={pk for pk, _ in pairs}, period__in={period for _, period in pairs})
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=[F("value").asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(Q(rank=(F("size") + 1) / 2) | Q(rank=(F("size") + 2) / 2))
        .values_list("indicator_id", "period", "value", "size")
    )
    middles: dict[tuple[int, str], list] = {}
    for indicator_id, period, value, size in ranked:
        if (indicator_id, period) in pairs:
            middles.setdefault((indicator_id, period), [size]).append(value)
    return {
        pair: ((sum(found[1:]) / len(found[1:])).quantize(Decimal("0.01")), found[0]) for pair, found in middles.items()
    }
