"""Demo data for the network's figures, called by `seed_demo`: the two demo directors'
structures take part in actions and have a few draft and submitted values, so that the
separation between structures can be tried. Idempotent."""

from django.contrib.auth import get_user_model
from django.db import transaction

from actions.models import Action
from centres.reporting import due_period
from centres.services import participation_propose
from indicators.observatory import observatory_indicators_ensure
from indicators.services import measurement_record, measurement_submit
from network.models import Structure, Territory

from .indicators import seed_plan_indicators

# username → [(observatory code, value, submit?)]
VALUES = {
    "direction": [("observatoire-habitants", 1250, True), ("observatoire-benevoles", 48, False)],
    "direction2": [("observatoire-habitants", 420, False), ("observatoire-salaries", 3, True)],
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


@transaction.atomic
def seed_demo(*, stdout=None) -> None:
    seed_plan_indicators(stdout=stdout)  # the plan's demo indicators, targets and validated values
    User = get_user_model()
    directors = {user.username: user for user in User.objects.filter(username__in=VALUES)}
    structures = {
        username: Structure.objects.directed_by(user).order_by("pk").first() for username, user in directors.items()
    }
    if len(structures) < len(VALUES) or None in structures.values():
        return
    _territories(structures)
    indicators = {indicator.code: indicator for indicator in observatory_indicators_ensure()}
    period = due_period("yearly")
    joinable = list(Action.objects.filter(status=Action.Status.IN_PROGRESS).order_by("axis__order", "order", "pk")[:2])
    for (username, user), action in zip(directors.items(), joinable, strict=False):
        structure = structures[username]
        if not structure.participations.filter(action=action).exists():
            participation_propose(
                user=user,
                action=action,
                structure=structure,
                contribution="Démonstration : notre centre relaie l'action auprès des familles du quartier.",
            )
    for username, rows in VALUES.items():
        user, structure = directors[username], structures[username]
        for code, value, submit in rows:
            if structure.measurements.filter(indicator=indicators[code], period=period).exists():
                continue
            measurement = measurement_record(
                user=user, indicator=indicators[code], period=period, structure=structure, value=value
            )
            if submit:
                measurement_submit(user=user, measurement=measurement)
    if stdout is not None:
        stdout.write(f"Chiffres de démonstration ({period}) pour : {', '.join(s.name for s in structures.values())}")
