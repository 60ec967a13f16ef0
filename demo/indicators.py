"""Demo indicators of the seeded plan: three per axis along the value chain, each value derived
from the demo's own rows, so that a board member who recomputes a figure finds it
(demo/tests/test_coherence.py does):

- « Actions menées — <axe> » (activités; the network's value for each completed year of the
  plan's period): the axis's actions in progress or done whose years cover that year (no
  start year: running from the start; no end year: still running). Target: the same number
  plus the axis's leads, as if every lead were started.
- « Habitants touchés par les structures engagées — <axe> » (réalisations; one value per
  structure and year): the inhabitants that a structure taking part in one of the axis's
  actions (participation accepted) reported to the observatory that year, once validated;
  the network's figure is their sum. Target: each structure's first year plus 10 % (so each
  engaged structure is expected to report), the network's their sum.
- « Part des structures engagées — <axe> » (effets; the network's value for the current year
  of the period): the share of the network's centres and EVS taking part in one of the
  axis's actions. Target: 100 % in the plan's last year.

Each sits in its axis's impact dimension (AXES), is flagged `is_demo`, and every value's
source says « Démonstration » and how it was counted. Called by `demo.network.seed_demo`
once the participations and the observatory's values exist. Idempotent: indicators are found
again by their code and left as they are.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action, Participation
from axes.models import Axis, Plan
from indicators.models import ImpactDimension, Indicator, Measurement, ValueChainStage
from indicators.services import measurement_record, measurement_validate, target_set
from network.models import Structure

from .period import completed_years, current_year, plan_years

SOURCE = "Données de démonstration"
RUNNING = (Action.Status.IN_PROGRESS, Action.Status.DONE)
OBSERVATORY_INHABITANTS = "observatoire-habitants"


@dataclass(frozen=True)
class AxisDemo:
    dimension: str  # the impact dimension that fits the axis (indicators/migrations/0002_seed_lists.py)
    objectives: tuple[int, int, int]  # the order of the objective each of the three indicators evidences


# The seed document's axes. Impact social: measuring and showing the value the centres create
# for their territory (« richesses produites » : services rendus au territoire); Fonction
# accueil: listening to and linking inhabitants (« cohésion sociale »). An axis not listed
# here gets indicators without a dimension rather than a guess.
AXES = {
    "Impact social": AxisDemo("richesses-produites", (1, 3, 2)),
    "Gouvernance": AxisDemo("gouvernance", (1, 1, 1)),
    "Fonction accueil": AxisDemo("cohesion-sociale", (1, 2, 4)),
}


@dataclass(frozen=True)
class Template:
    stage: str
    name: str
    unit: str
    aggregation: str
    description: str


TEMPLATES = [
    Template(
        "activites",
        "Actions menées — {axis}",
        "actions",
        Indicator.Aggregation.SUM,
        "Actions de l'axe en cours ou terminées dans l'année, d'après leurs années de début et de fin.",
    ),
    Template(
        "realisations",
        "Habitants touchés par les structures engagées — {axis}",
        "personnes",
        Indicator.Aggregation.SUM,
        "Habitants touchés, déclarés à l'observatoire, par les structures qui prennent part à une action de l'axe.",
    ),
    Template(
        "effets",
        "Part des structures engagées — {axis}",
        "%",
        Indicator.Aggregation.MEAN,
        "Part des centres sociaux et EVS du réseau qui prennent part à au moins une action de l'axe.",
    ),
]


def actions_running(actions: list[Action], year: int) -> int:
    """How many of `actions` are in progress or done and whose years cover `year`."""
    return sum(
        1
        for action in actions
        if action.status in RUNNING and (action.start_year or year) <= year <= (action.end_year or year)
    )


def engaged_structures(axis: Axis) -> set[int]:
    """The structures whose participation in one of the axis's live actions was accepted."""
    return set(
        Participation.objects.accepted()
        .filter(action__axis=axis, action__deleted_at__isnull=True)
        .values_list("structure_id", flat=True)
    )


def network_structures() -> int:
    """The centres sociaux and EVS of the network (the federation itself takes part in none)."""
    return Structure.objects.exclude(kind=Structure.Kind.FEDERATION).count()


def inhabitants(structure_ids: set[int], years: list[int]) -> dict[tuple[int, str], Decimal]:
    """{(structure id, year): inhabitants reached} from the observatory's validated values."""
    rows = Measurement.objects.validated().filter(
        indicator__code=OBSERVATORY_INHABITANTS,
        structure_id__in=structure_ids,
        period__in=[str(year) for year in years],
        value__isnull=False,
    )
    return {
        (structure_id, period): value
        for structure_id, period, value in rows.values_list("structure", "period", "value")
    }


@transaction.atomic
def seed_plan_indicators(*, plan: Plan | None = None, stdout=None) -> int:
    """Create the demo indicators of `plan` (the current one by default); return how many are new."""
    plan = plan or Plan.objects.current()
    staff = get_user_model().objects.filter(username="equipe").first()
    if plan is None or staff is None:
        return 0
    stages = {stage.code: stage for stage in ValueChainStage.objects.all()}
    dimensions = {dimension.code: dimension for dimension in ImpactDimension.objects.all()}
    created = 0
    for axis in Axis.objects.for_plan(plan):
        demo = AXES.get(axis.title)
        objectives = list(axis.objectives.order_by("order", "pk"))
        writers = [_actions_done, _inhabitants_reached, _structures_engaged]
        for n, (template, write) in enumerate(zip(TEMPLATES, writers, strict=True)):
            code = f"demo-{axis.pk}-{n + 1}"
            if Indicator.objects.filter(code=code).exists():
                continue
            indicator = Indicator(
                code=code,
                name=template.name.format(axis=axis.title)[:250],
                description=template.description,
                unit=template.unit,
                aggregation=template.aggregation,
                direction=Indicator.Direction.UP,
                source=SOURCE,
                stage=stages.get(template.stage),
                dimension=dimensions.get(demo.dimension) if demo else None,
                is_demo=True,
            )
            indicator.full_clean()
            indicator._history_user = staff
            indicator.save()
            if objectives:
                position = demo.objectives[n] if demo else n + 1
                chosen = [o for o in objectives if o.order == position] or [objectives[n % len(objectives)]]
                indicator.objectives.set(chosen[:1])
            write(indicator, axis=axis, plan=plan, staff=staff)
            created += 1
    if stdout is not None:
        stdout.write(f"Indicateurs de démonstration du projet : {created} créés.")
    return created


def _network_value(indicator: Indicator, *, staff, year: int, value: Decimal, source: str) -> None:
    measurement = measurement_record(user=staff, indicator=indicator, period=str(year), value=value, source=source)
    measurement_validate(user=staff, measurement=measurement)


def _actions_done(indicator: Indicator, *, axis: Axis, plan: Plan, staff) -> None:
    actions = list(Action.objects.filter(axis=axis))
    leads = sum(1 for action in actions if action.status == Action.Status.LEAD)
    source = "Démonstration : actions de l'axe en cours ou terminées cette année-là, d'après leurs années"
    for year in completed_years(plan):
        running = actions_running(actions, year)
        target_set(user=staff, indicator=indicator, period=str(year), value=Decimal(running + leads))
        _network_value(indicator, staff=staff, year=year, value=Decimal(running), source=source)


def _inhabitants_reached(indicator: Indicator, *, axis: Axis, plan: Plan, staff) -> None:
    years = completed_years(plan)
    reported = inhabitants(engaged_structures(axis), years)
    structures = Structure.objects.in_bulk({structure_id for structure_id, _period in reported})
    source = "Démonstration : habitants touchés déclarés par la structure à l'observatoire"
    for (structure_id, period), value in sorted(reported.items(), key=lambda item: (item[0][1], item[0][0])):
        measurement = measurement_record(
            user=staff,
            indicator=indicator,
            period=period,
            structure=structures[structure_id],
            value=value,
            source=source,
        )
        measurement_validate(user=staff, measurement=measurement)
    # Each engaged structure aims at 10 % more than its first reported year, every year since; the
    # network's target is the sum. A structure with a target is expected to report (indicators.coverage).
    first_values: dict[int, tuple[str, Decimal]] = {}
    for (structure_id, period), value in reported.items():
        if structure_id not in first_values or period < first_values[structure_id][0]:
            first_values[structure_id] = (period, value)
    network: dict[str, Decimal] = {}
    for structure_id, (first_year, value) in sorted(first_values.items()):
        target = (value * Decimal("1.1")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        for year in years:
            if str(year) >= first_year:
                target_set(
                    user=staff, indicator=indicator, period=str(year), structure=structures[structure_id], value=target
                )
                network[str(year)] = network.get(str(year), Decimal(0)) + target
    for period, target in sorted(network.items()):
        target_set(user=staff, indicator=indicator, period=period, value=target)


def _structures_engaged(indicator: Indicator, *, axis: Axis, plan: Plan, staff) -> None:
    total = network_structures()
    if not total:
        return
    engaged = len(engaged_structures(axis))
    share = (Decimal(100 * engaged) / total).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    source = f"Démonstration : {engaged} structure{'s' if engaged > 1 else ''} engagée{'s' if engaged > 1 else ''} sur {total}"
    year = current_year(plan)
    _network_value(indicator, staff=staff, year=year, value=share, source=source)
    last = plan_years(plan)[1]
    target_set(user=staff, indicator=indicator, period=str(last), value=Decimal(100))
    if year != last:
        target_set(user=staff, indicator=indicator, period=str(year), value=Decimal(100))
