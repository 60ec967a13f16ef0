"""Demo indicators for the seeded plan: a handful per axis, along the value chain, with
network targets and a few validated values (`is_demo`). Called by `demo.network.seed_demo`.
Idempotent: indicators are found again by their code."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from axes.models import Axis, Plan
from indicators.models import ImpactDimension, Indicator, ValueChainStage
from indicators.services import measurement_record, measurement_validate, target_set

# (stage code, name template, unit, aggregation, direction, base value, yearly growth, target)
TEMPLATES = [
    ("activites", "Actions menées — {axis}", "actions", "sum", "up", 12, 4, 24),
    ("realisations", "Habitants touchés — {axis}", "personnes", "sum", "up", 300, 60, 450),
    ("effets", "Part des structures engagées — {axis}", "%", "mean", "up", 40, 12, 60),
]
DIMENSIONS = ["cohesion-sociale", "gouvernance", "epanouissement", "environnement", "richesses-produites"]


@transaction.atomic
def seed_plan_indicators(*, plan: Plan | None = None, stdout=None) -> int:
    """Create the demo indicators of `plan` (the current one by default); return how many are new."""
    plan = plan or Plan.objects.current()
    staff = get_user_model().objects.filter(username="equipe").first()
    if plan is None or staff is None:
        return 0
    stages = {stage.code: stage for stage in ValueChainStage.objects.all()}
    dimensions = {dimension.code: dimension for dimension in ImpactDimension.objects.all()}
    year = timezone.localdate().year
    created = 0
    for axis_index, axis in enumerate(Axis.objects.for_plan(plan)):
        objectives = list(axis.objectives.order_by("order", "pk")[:3])
        for n, (stage, name, unit, aggregation, direction, base, growth, target) in enumerate(TEMPLATES):
            code = f"demo-{axis.pk}-{n + 1}"
            if Indicator.objects.filter(code=code).exists():
                continue
            indicator = Indicator(
                code=code,
                name=name.format(axis=axis.title)[:250],
                unit=unit,
                aggregation=aggregation,
                direction=direction,
                baseline=Decimal(base),
                baseline_period=str(year - 3),
                source="Données de démonstration",
                stage=stages.get(stage),
                dimension=dimensions.get(DIMENSIONS[(axis_index + n) % len(DIMENSIONS)]),
                is_demo=True,
            )
            indicator.full_clean()
            indicator._history_user = staff
            indicator.save()
            if objectives:
                indicator.objectives.set([objectives[n % len(objectives)]])
            created += 1
            for offset, period_year in enumerate(range(year - 2, year)):
                target_set(user=staff, indicator=indicator, period=str(period_year), value=Decimal(target))
                # The third indicator of the second axis lags behind, so the board sees both states.
                lag = Decimal("0.6") if (axis_index, n) == (1, 2) else Decimal(1)
                value = (Decimal(base + growth * (offset + 1)) * lag).quantize(Decimal(1))
                measurement = measurement_record(
                    user=staff, indicator=indicator, period=str(period_year), value=value, source="Démonstration"
                )
                measurement_validate(user=staff, measurement=measurement)
            target_set(user=staff, indicator=indicator, period=str(year), value=Decimal(target))
    if stdout is not None:
        stdout.write(f"Indicateurs de démonstration du projet : {created} créés.")
    return created
