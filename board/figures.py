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
from indicators.coverage import Coverage, coverage
from indicators.models import Indicator
from indicators.selectors import Track, network_targets, network_values, track_of
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
class NetworkFigures:
    """Every indicator (by stage and dimension, its action joined) with its network values,
    targets and their coverage, read once for a page that shows several views of them."""

    indicators: list[Indicator]
    values: dict[int, dict[str, Decimal]]
    targets: dict[int, dict[str, Decimal]]
    pairs: dict[tuple[int, str], Coverage]  # {(indicator_id, period): coverage}

    def coverage_of(self, indicator_id: int) -> dict[str, Coverage]:
        return self._by_indicator.get(indicator_id, {})

    def __post_init__(self):
        self._by_indicator: dict[int, dict[str, Coverage]] = {}
        for (indicator_id, period), found in self.pairs.items():
            self._by_indicator.setdefault(indicator_id, {})[period] = found


def network_figures() -> NetworkFigures:
    """About a dozen queries, whatever the number of indicators and values."""
    indicators = list(Indicator.objects.by_stage_and_dimension().prefetch_related("actions"))
    ids = [indicator.pk for indicator in indicators]
    return NetworkFigures(indicators, network_values(ids), network_targets(ids), coverage(indicators))


def followed_indicators(figures: NetworkFigures) -> list[StageGroup]:
    """[StageGroup] in the stages' order, each with its dimensions' groups in their order (the
    unclassified last), each line an indicator with its figures (eight more queries)."""
    indicators, values, targets, covered = figures.indicators, figures.values, figures.targets, figures.pairs
    tracks = {
        indicator.pk: track_of(indicator, values.get(indicator.pk, {}), targets.get(indicator.pk, {}))
        for indicator in indicators
    }
    latest = {pk: track.period for pk, track in tracks.items() if track.period}
    changes = year_on_year(indicators, latest, values, covered)
    parts = breakdown(indicators, latest)
    for part in parts.values():
        # Only what the dashboard shows is kept (and cached): a hundred départements each, else.
        part.by_territory = part.territories_shown(TERRITORIES_SHOWN)

    stages: list[StageGroup] = []
    for indicator in indicators:
        stage_label = indicator.stage.name if indicator.stage else NO_STAGE
        if not stages or stages[-1].label != stage_label:
            stages.append(StageGroup(stage_label))
        dimension_label = indicator.dimension.name if indicator.dimension else NO_DIMENSION
        groups = stages[-1].dimensions
        if not groups or groups[-1].label != dimension_label:
            groups.append(DimensionGroup(dimension_label))
        track = tracks[indicator.pk]
        groups[-1].lines.append(
            FollowedLine(
                indicator,
                track,
                covered.get((indicator.pk, track.period)),
                changes.get(indicator.pk),
                parts.get(indicator.pk),
            )
        )
    for stage in stages:
        for group in stage.dimensions:
            # By name as a French reader sorts (« Bénévoles » before « Budget »), whatever the
            # database's collation.
            group.lines.sort(key=lambda line: fold(line.indicator.name))
    return stages
