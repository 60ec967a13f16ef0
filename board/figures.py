"""Every indicator the federation follows, as the board reads it: attached to the plan or not
(the centres' yearly figures for the observatory included), grouped by value-chain stage and
impact dimension, each with its latest network value, how many of the expected structures that
value covers, its change from the year before, and its split by territory and type of structure.

A fixed number of queries whatever the number of indicators and values (the dashboard keeps the
result, see `board.dashboard`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.comparisons import Breakdown, Change, breakdown, year_on_year
from indicators.coverage import EXPECTED_FROM, Coverage, coverage
from indicators.models import Indicator, Measurement, Target, indicator_scope
from indicators.selectors import Track, network_targets, network_values, track_of
from toolkit import aggregates
from toolkit.aggregates import model_label
from toolkit.text import fold


@dataclass
class FollowedLine:
    indicator: Indicator
    track: Track
    coverage: Coverage | None = None  # of the latest value
    change: Change | None = None
    breakdown: Breakdown | None = None  # its territories: the largest, then the others together


@dataclass
class DimensionGroup:
    label: str
    lines: list[FollowedLine] = field(default_factory=list)


@dataclass
class StageGroup:
    label: str
    dimensions: list[DimensionGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.lines) for group in self.dimensions)


TERRITORIES_SHOWN = 5  # in a figure's breakdown, the largest; the others on one line

NO_STAGE = "Étape de la chaîne de valeur non renseignée"
NO_DIMENSION = "Dimension d’impact non renseignée"


@dataclass
class IndicatorFigures:
    """One indicator's network figures, kept on their own (toolkit.aggregates.cached_each): a
    value validated recomputes its indicator's, not the two hundred others'."""

    values: dict[str, Decimal]
    targets: dict[str, Decimal]
    coverage: dict[str, Coverage]  # {period: coverage of its value}
    change: Change | None
    breakdown: Breakdown | None  # its territories: the largest, then the others together


@dataclass
class NetworkFigures:
    """Every indicator (by stage and dimension, its action joined) with its figures, read once
    for a page that shows several views of them."""

    indicators: list[Indicator]
    figures: dict[int, IndicatorFigures]

    def __post_init__(self):
        self.values = {pk: found.values for pk, found in self.figures.items() if found.values}
        self.targets = {pk: found.targets for pk, found in self.figures.items() if found.targets}
        self.pairs = {(pk, period): found for pk, own in self.figures.items() for period, found in own.coverage.items()}

    def coverage_of(self, indicator_id: int) -> dict[str, Coverage]:
        found = self.figures.get(indicator_id)
        return found.coverage if found else {}


def _figures_depend_on() -> list[str]:
    """What an indicator's figures read besides its own rows (itself, its values, its targets:
    its scope): who is expected to report, and the indicators' other tables (links, stages)."""
    own = {model_label(model) for model in (Indicator, Measurement, Target)}
    others = [label for label in aggregates.models_of("indicators") if label not in own]
    return [*EXPECTED_FROM, *others]


def indicator_figures(indicators: list[Indicator]) -> dict[int, IndicatorFigures]:
    """{indicator_id: IndicatorFigures} of `indicators` (their actions prefetched): those kept,
    and the others computed together in a fixed number of queries (about twenty)."""
    by_pk = {indicator.pk: indicator for indicator in indicators}
    return aggregates.cached_each(
        "indicator-figures",
        {pk: indicator_scope(pk) for pk in by_pk},
        compute=lambda missing: _indicator_figures([by_pk[pk] for pk in missing]),
        depends_on=_figures_depend_on(),
    )


def _indicator_figures(indicators: list[Indicator]) -> dict[int, IndicatorFigures]:
    ids = [indicator.pk for indicator in indicators]
    values, targets, covered = network_values(ids), network_targets(ids), coverage(indicators)
    latest = {}
    for indicator in indicators:
        track = track_of(indicator, values.get(indicator.pk, {}), targets.get(indicator.pk, {}))
        if track.period:
            latest[indicator.pk] = track.period
    changes = year_on_year(indicators, latest, values, covered)
    parts = breakdown(indicators, latest)
    for part in parts.values():
        # Only what the dashboard shows is kept (and cached): a hundred départements each, else.
        part.by_territory = part.territories_shown(TERRITORIES_SHOWN)
    by_indicator: dict[int, dict[str, Coverage]] = {pk: {} for pk in ids}
    for (indicator_id, period), found in covered.items():
        by_indicator[indicator_id][period] = found
    return {
        pk: IndicatorFigures(values.get(pk, {}), targets.get(pk, {}), by_indicator[pk], changes.get(pk), parts.get(pk))
        for pk in ids
    }


def network_figures() -> NetworkFigures:
    """Two queries and the figures kept; about twenty more for the indicators whose figures
    changed, whatever the number of indicators and values."""
    indicators = list(Indicator.objects.by_stage_and_dimension().prefetch_related("actions"))
    return NetworkFigures(indicators, indicator_figures(indicators))


def followed_indicators(figures: NetworkFigures) -> list[StageGroup]:
    """[StageGroup] in the stages' order, each with its dimensions' groups in their order (the
    unclassified last), each line an indicator with its figures."""
    stages: list[StageGroup] = []
    for indicator in figures.indicators:
        stage_label = indicator.stage.name if indicator.stage else NO_STAGE
        if not stages or stages[-1].label != stage_label:
            stages.append(StageGroup(stage_label))
        dimension_label = indicator.dimension.name if indicator.dimension else NO_DIMENSION
        groups = stages[-1].dimensions
        if not groups or groups[-1].label != dimension_label:
            groups.append(DimensionGroup(dimension_label))
        own = figures.figures[indicator.pk]
        track = track_of(indicator, own.values, own.targets)
        groups[-1].lines.append(
            FollowedLine(indicator, track, own.coverage.get(track.period), own.change, own.breakdown)
        )
    for stage in stages:
        for group in stage.dimensions:
            # By name as a French reader sorts (« Bénévoles » before « Budget »), whatever the
            # database's collation.
            group.lines.sort(key=lambda line: fold(line.indicator.name))
    return stages
