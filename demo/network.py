"""Demo data for the network's figures, called by `seed_demo`: the two demo directors'
structures take part in actions of the plan (accepted by the federal team, one still
proposed), have reported their observatory figures for the past years of the plan (validated)
and have this year's to finish (one draft, one submitted), so that the separation between
structures can be tried. The plan's demo indicators are then derived from these rows
(demo.indicators). Idempotent."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action
from axes.models import Axis, Plan
from centres.reporting import due_period
from centres.services import participation_decide, participation_propose
from indicators.observatory import observatory_indicators_ensure
from indicators.services import measurement_record, measurement_submit, measurement_validate
from network.models import Structure, Territory

from .indicators import seed_plan_indicators
from .period import completed_years

SOURCE = "Démonstration"
CONTRIBUTION = "Démonstration : notre centre relaie l'action auprès des familles du quartier."

# username → [(observatory code, value for the period due now, submit?)]; each earlier year
# of the plan was 5 % lower than the next, and is validated.
VALUES = {
    "direction": [("observatoire-habitants", 1250, True), ("observatoire-benevoles", 48, False)],
    "direction2": [("observatoire-habitants", 420, False), ("observatoire-salaries", 3, True)],
}
YEARLY_GROWTH = Decimal("0.95")

# username → [(axis position in the plan, position among its actions in progress, accepted?)]:
# each axis has its own structures (Impact social: Valence; Gouvernance: Romans; Fonction
# accueil: both), so that no two axes show the same figure; Romans' offer to a second
# Impact social project waits for the federal team's answer.
PARTICIPATIONS = {
    "direction": [(0, 0, True), (2, 0, True)],
    "direction2": [(1, 0, True), (2, 0, True), (0, 1, False)],
}


def _territories(structures: dict[str, Structure]) -> None:
    drome, _ = Territory.objects.get_or_create(name="Drôme", defaults={"kind": Territory.Kind.DEPARTEMENT})
    for username, bassin_name, commune_name in [
        ("direction", "Bassin valentinois", "Valence"),
        ("direction2", "Bassin romanais", "Romans-sur-Isère"),
    ]:
        bassin, _ = Territory.objects.get_or_create(
            name=bassin_name, defaults={"kind": Territory.Kind.BASSIN, "parent": drome}
        )
        commune, _ = Territory.objects.get_or_create(
            name=commune_name, defaults={"kind": Territory.Kind.COMMUNE, "parent": bassin}
        )
        structure = structures[username]
        if structure.territory_id in (None, drome.pk):
            structure.territory = commune
            structure.save(update_fields=["territory"])


def _participations(plan: Plan, directors: dict, structures: dict[str, Structure], staff) -> None:
    in_progress = [
        list(axis.actions.filter(status=Action.Status.IN_PROGRESS).order_by("order", "pk"))
        for axis in Axis.objects.for_plan(plan)
    ]
    for username, rows in PARTICIPATIONS.items():
        structure = structures[username]
        for axis_position, action_position, accepted in rows:
            actions = in_progress[axis_position] if axis_position < len(in_progress) else []
            if (
                action_position >= len(actions)
                or structure.participations.filter(action=actions[action_position]).exists()
            ):
                continue
            participation = participation_propose(
                user=directors[username],
                action=actions[action_position],
                structure=structure,
                contribution=CONTRIBUTION,
            )
            if accepted and staff is not None:
                participation_decide(user=staff, participation=participation, accept=True)


def _observatory_values(plan: Plan, directors: dict, structures: dict[str, Structure], staff) -> str:
    indicators = {indicator.code: indicator for indicator in observatory_indicators_ensure()}
    period = due_period("yearly")
    earlier = [year for year in completed_years(plan) if year < int(period)]
    for username, rows in VALUES.items():
        user, structure = directors[username], structures[username]
        for code, value, submit in rows:
            indicator = indicators[code]
            for year in earlier:
                if structure.measurements.filter(indicator=indicator, period=str(year)).exists() or staff is None:
                    continue
                past = (Decimal(value) * YEARLY_GROWTH ** (int(period) - year)).quantize(Decimal(1), ROUND_HALF_UP)
                measurement = measurement_record(
                    user=user, indicator=indicator, period=str(year), structure=structure, value=past, source=SOURCE
                )
                measurement_submit(user=user, measurement=measurement)
                measurement_validate(user=staff, measurement=measurement)
            if structure.measurements.filter(indicator=indicator, period=period).exists():
                continue
            measurement = measurement_record(
                user=user, indicator=indicator, period=period, structure=structure, value=value, source=SOURCE
            )
            if submit:
                measurement_submit(user=user, measurement=measurement)
    return period


@transaction.atomic
def seed_demo(*, stdout=None) -> None:
    User = get_user_model()
    plan = Plan.objects.current()
    staff = User.objects.filter(username="equipe").first()
    directors = {user.username: user for user in User.objects.filter(username__in=VALUES)}
    structures = {
        username: Structure.objects.directed_by(user).order_by("pk").first() for username, user in directors.items()
    }
    if plan is not None and len(structures) == len(VALUES) and None not in structures.values():
        _territories(structures)
        _participations(plan, directors, structures, staff)
        period = _observatory_values(plan, directors, structures, staff)
        if stdout is not None:
            names = ", ".join(structure.name for structure in structures.values())
            stdout.write(f"Chiffres de démonstration (jusqu'à {period}) pour : {names}")
    # Last: the plan's demo indicators are computed from the rows above.
    seed_plan_indicators(plan=plan, stdout=stdout)
