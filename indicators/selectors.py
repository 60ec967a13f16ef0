"""Reads spanning measurements and targets: network values, « en bonne voie »."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Exists, OuterRef, Q, Sum

from toolkit import aggregates

from .charts import values_against_targets
from .coverage import coverage, missing_structures
from .models import Indicator, Measurement, Target, period_label, previous_period

DEFAULT_TOLERANCE = Decimal("0.15")


def on_track_tolerance() -> Decimal:
    return Decimal(str(getattr(settings, "INDICATORS_ON_TRACK_TOLERANCE", DEFAULT_TOLERANCE)))


def is_on_track(*, value: Decimal, target: Decimal, direction: str, tolerance: Decimal | None = None) -> bool:
    """Within `tolerance` (a fraction of the target) short of the target, or beyond it the right way.

    With a 15 % tolerance and a target of 100: going up, 85 and more is on track;
    going down, 115 and less is.
    """
    tolerance = on_track_tolerance() if tolerance is None else tolerance
    margin = abs(target) * tolerance
    if direction == Indicator.Direction.DOWN:
        return value <= target + margin
    return value >= target - margin


def network_values(indicator_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """{indicator_id: {period: value for the whole network}}, from validated numeric values only.

    A value entered for the network itself (no structure) is the network's value for its
    period. Otherwise the structures' values combine as the indicator says: their sum,
    their mean, or the most recently validated one. Four queries whatever the data size (three
    when no indicator keeps the latest value); they read every value of the indicators, so the
    result is kept until an indicator, target or value changes (toolkit.aggregates).
    """
    ids = sorted(set(indicator_ids))
    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=16).hexdigest()
    return aggregates.cached("network-values", digest, compute=lambda: _network_values(ids), depends_on=["indicators"])


def _network_values(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    counted = Measurement.objects.validated().filter(indicator_id__in=ids, value__isnull=False).order_by()
    per_structure = counted.filter(structure__isnull=False)
    result: dict[int, dict[str, Decimal]] = {}

    # Sums and means over the values alone, without joining each of them to its indicator
    # (at national scale, 360,000 values: the join and the CASE doubled the time).
    aggregation = dict(Indicator.objects.filter(pk__in=ids).values_list("pk", "aggregation"))
    combined = [pk for pk, how in aggregation.items() if how != Indicator.Aggregation.LATEST]
    summed = (
        per_structure.filter(indicator_id__in=combined)
        .values("indicator_id", "period")
        .annotate(total=Sum("value"), mean=Avg("value"))
    )
    for row in summed:
        how = aggregation[row["indicator_id"]]
        value = row["total"] if how == Indicator.Aggregation.SUM else row["mean"]
        result.setdefault(row["indicator_id"], {})[row["period"]] = _decimal(value)

    newer = Measurement.objects.validated().filter(
        Q(validated_at__gt=OuterRef("validated_at")) | Q(validated_at=OuterRef("validated_at"), pk__gt=OuterRef("pk")),
        indicator=OuterRef("indicator"),
        period=OuterRef("period"),
        structure__isnull=False,
        value__isnull=False,
    )
    # The indicators are named by id: joined to their table to filter on their aggregation,
    # SQLite ran the NOT EXISTS on all 400,000 values first (7.5 s, and no indicator « latest »).
    latest_ids = [pk for pk, how in aggregation.items() if how == Indicator.Aggregation.LATEST]
    if latest_ids:
        latest = per_structure.filter(indicator_id__in=latest_ids).filter(~Exists(newer))
        for indicator_id, period, value in latest.values_list("indicator_id", "period", "value"):
            result.setdefault(indicator_id, {})[period] = _decimal(value)

    for indicator_id, period, value in counted.filter(structure__isnull=True).values_list(
        "indicator_id", "period", "value"
    ):
        result.setdefault(indicator_id, {})[period] = _decimal(value)
    return result


def _decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def network_targets(indicator_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """{indicator_id: {period: network target}} in one query."""
    result: dict[int, dict[str, Decimal]] = {}
    for indicator_id, period, value in (
        Target.objects.for_network()
        .filter(indicator_id__in=list(indicator_ids))
        .values_list("indicator_id", "period", "value")
    ):
        result.setdefault(indicator_id, {})[period] = value
    return result


@dataclass(frozen=True)
class Track:
    """Where an indicator stands: its latest network value against that period's target."""

    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    LABELS = {
        ON_TRACK: "En bonne voie",
        OFF_TRACK: "En retard",
        NO_TARGET: "Sans cible",
        NO_DATA: "Sans valeur validée",
    }

    status: str
    period: str | None = None
    value: Decimal | None = None
    target: Decimal | None = None

    @property
    def label(self) -> str:
        return self.LABELS[self.status]


def track_of(indicator: Indicator, values: dict[str, Decimal], targets: dict[str, Decimal]) -> Track:
    if not values:
        return Track(Track.NO_DATA)
    period = max(values)
    value = values[period]
    target = targets.get(period)
    if target is None:
        return Track(Track.NO_TARGET, period, value)
    on_track = is_on_track(value=value, target=target, direction=indicator.direction)
    return Track(Track.ON_TRACK if on_track else Track.OFF_TRACK, period, value, target)


def tracks(indicators: Iterable[Indicator]) -> dict[int, Track]:
    """{indicator_id: Track} for these indicators, in four queries."""
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    values = network_values(ids)
    targets = network_targets(ids)
    return {
        indicator.pk: track_of(indicator, values.get(indicator.pk, {}), targets.get(indicator.pk, {}))
        for indicator in indicators
    }


MISSING_SHOWN = 100  # names of missing structures listed on an indicator's page
MEDIAN_CHARTS_SHOWN = 3  # a director of several structures: the first few


def structure_against_median(indicator: Indicator, user) -> list:
    """For a director: each of their structures' validated values beside the median of the
    structures' validated values, over the periods their structure reported (two queries and one
    per structure, at most MEDIAN_CHARTS_SHOWN). Empty for anyone who directs no structure."""
    from network.models import Structure

    from .comparisons import network_medians

    structures = list(Structure.objects.directed_by(user).order_by("name")[:MEDIAN_CHARTS_SHOWN])
    if not structures:
        return []
    own: dict[int, dict[str, Decimal]] = {}
    for structure_id, period, value in (
        Measurement.objects.validated()
        .filter(indicator=indicator, structure__in=structures, value__isnull=False)
        .values_list("structure_id", "period", "value")
    ):
        own.setdefault(structure_id, {})[period] = value
    periods = sorted({period for values in own.values() for period in values})
    medians = network_medians((indicator.pk, period) for period in periods)
    median = {period: medians[(indicator.pk, period)][0] for period in periods if (indicator.pk, period) in medians}
    return [
        values_against_targets(
            sorted(own.get(structure.pk, {})),
            [(structure.name, own.get(structure.pk, {})), ("Médiane du réseau", median)],
            {},
            title=f"{structure.name} et la médiane du réseau",
            slug=f"mediane-{structure.pk}",
            unit=indicator.unit,
            empty=f"{structure.name} n’a encore aucune valeur validée pour cet indicateur",
        )
        for structure in structures
    ]


def indicator_page(indicator: Indicator, user, *, missing_period: str | None = None) -> dict:
    """An indicator's values against its targets over periods, per structure and for the
    network; `measurements` (a queryset, to page) holds only the values `user` may see. The
    chart and the periods read plain rows, not a model instance per value (thousands at
    national scale). Each network value comes with its coverage; `missing` names the expected
    structures whose validated value is not in the figure of `missing_period` (by default the
    latest value's period), the first MISSING_SHOWN of them."""
    measurements = Measurement.objects.for_indicator_page(indicator, user)
    targets = list(indicator.targets.select_related("structure").order_by("period"))
    network = network_values([indicator.pk]).get(indicator.pk, {})
    network_target = {target.period: target.value for target in targets if target.structure_id is None}
    structures: dict = {}
    measured_periods = set()
    for period, name, value, status in measurements.values_list("period", "structure__name", "value", "status"):
        measured_periods.add(period)
        if name is not None and status == Measurement.Status.VALIDATED and value is not None:
            structures.setdefault(name, {})[period] = value
    periods = sorted(set(network) | set(network_target) | measured_periods | {t.period for t in targets})
    structure_targets: dict = {}
    for target in targets:
        if target.structure_id:
            structure_targets.setdefault(target.structure.name, {})[target.period] = target.value
    series = [("Réseau", network), *sorted(structures.items())]
    chart = values_against_targets(
        periods,
        series[:7],  # beyond a handful of bars a period the table says it better
        network_target,
        title=f"{indicator.name} : valeurs validées et cibles du réseau",
        slug="valeurs-cibles",
        unit=indicator.unit,
    )
    covered = coverage([indicator], periods) if periods else {}
    rows = [
        {
            "period": period,
            "label": period_label(period),
            "network": network.get(period),
            "coverage": covered.get((indicator.pk, period)),
            "target": network_target.get(period),
            "track": track_of(indicator, {period: network[period]}, network_target) if period in network else None,
        }
        for period in periods
    ]
    track = track_of(indicator, network, network_target)
    if missing_period not in periods:
        missing_period = track.period or (periods[-1] if periods else None)
    missing = None
    if missing_period:
        missing_coverage = covered[(indicator.pk, missing_period)]
        missing = {
            "period": missing_period,
            "label": period_label(missing_period),
            "coverage": missing_coverage,
            "structures": list(missing_structures(indicator, missing_period)[:MISSING_SHOWN])
            if missing_coverage.missing
            else [],
        }
    return {
        "measurements": measurements,
        "targets": targets,
        "chart": chart,
        "median_charts": structure_against_median(indicator, user),
        "rows": rows,
        "structure_targets": structure_targets,
        "track": track,
        "track_coverage": covered.get((indicator.pk, track.period)),
        "missing": missing,
    }


@dataclass
class Jump:
    """A value far from the same structure's value of the period before (issue 14: flagged
    before staff validate it)."""

    previous_period: str
    previous_value: Decimal
    percent: int  # signed change, rounded

    @property
    def previous_period_label(self) -> str:
        return period_label(self.previous_period)


JUMP_THRESHOLD = Decimal("0.5")  # more than half up or down


def jumps(measurements: Iterable[Measurement]) -> dict[int, Jump]:
    """{measurement pk: Jump} for the values that differ by more than half from the validated
    value of the same structure (or the network) for the period before. One query."""
    measurements = [m for m in measurements if m.value is not None]
    wanted = {(m.indicator_id, m.structure_id, previous_period(m.period)) for m in measurements}
    if not wanted:
        return {}
    found = {
        (indicator_id, structure_id, period): value
        for indicator_id, structure_id, period, value in Measurement.objects.validated()
        .filter(
            indicator_id__in={key[0] for key in wanted},
            period__in={key[2] for key in wanted},
            value__isnull=False,
        )
        .filter(Q(structure_id__in={key[1] for key in wanted if key[1]}) | Q(structure__isnull=True))
        .values_list("indicator_id", "structure_id", "period", "value")
    }
    result = {}
    for m in measurements:
        before = previous_period(m.period)
        old = found.get((m.indicator_id, m.structure_id, before))
        if old is None:
            continue
        if old == 0:
            if m.value != 0:
                result[m.pk] = Jump(before, old, 100 if m.value > 0 else -100)
            continue
        change = (m.value - old) / abs(old)
        if abs(change) > JUMP_THRESHOLD:
            result[m.pk] = Jump(before, old, int((100 * change).quantize(Decimal("1"))))
    return result
