"""Print how long the progress report's PDF takes: for the seeded plan, then a large generated one.

Not a test (timings depend on the machine): run it by hand or in CI's log. Everything it
writes is rolled back. Target: under 5 s for the large plan.
"""

import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Update
from actions.services.plan_import import plan_import
from axes.models import Axis, Chapter, Objective, Plan
from board.pdf import render_report_pdf
from indicators.models import Indicator, Measurement, Target
from network.models import Structure


class Rollback(Exception):
    pass


def large_plan(*, axes: int, objectives: int, actions: int, indicators: int, structures: int) -> Plan:
    """A plan of `axes` axes, each with `objectives` objectives, `actions` actions (one journal
    entry each) and `indicators` indicators with targets and validated values of `structures`
    structures over three years. Written in bulk: it only feeds the benchmark."""
    now = timezone.now()
    year = now.year
    plan = Plan.objects.create(title="Projet fédéral (banc d'essai)", start_year=year - 3, end_year=year + 2)
    chapter = Chapter.objects.create(plan=plan, title="Chapitre du banc d'essai")
    axis_list = Axis.objects.bulk_create(
        Axis(chapter=chapter, title=f"Axe {a} du banc d'essai", slug=f"axe-{a}", order=a) for a in range(axes)
    )
    Objective.objects.bulk_create(
        Objective(axis=axis, text=f"Objectif {o} de l'axe {axis.order}", order=o)
        for axis in axis_list
        for o in range(objectives)
    )
    statuses = [Action.Status.IN_PROGRESS, Action.Status.PLANNED, Action.Status.DONE, Action.Status.LEAD]
    action_list = Action.objects.bulk_create(
        Action(
            axis=axis,
            title=f"Action {n} de l'axe {axis.order}",
            status=statuses[n % 4],
            start_year=year - n % 5,
            order=n,
        )
        for axis in axis_list
        for n in range(actions)
    )
    Update.objects.bulk_create(
        Update(action=action, text="Point d'étape du banc d'essai.", created_at=now) for action in action_list
    )
    structure_list = Structure.objects.bulk_create(
        Structure(name=f"Centre du banc d'essai {s}") for s in range(structures)
    )
    objective_by_axis = {}
    for objective in Objective.objects.filter(axis__chapter=chapter):
        objective_by_axis.setdefault(objective.axis_id, objective)
    indicator_list = Indicator.objects.bulk_create(
        Indicator(
            code=f"banc-{axis.pk}-{i}", name=f"Indicateur {i} de l'axe {axis.order}", unit="personnes", is_demo=True
        )
        for axis in axis_list
        for i in range(indicators)
    )
    through = Indicator.objects.model.objectives.through
    through.objects.bulk_create(
        through(indicator_id=indicator.pk, objective_id=objective_by_axis[axis.pk].pk)
        for axis, chunk in zip(
            axis_list,
            [indicator_list[i : i + indicators] for i in range(0, len(indicator_list), indicators)],
            strict=True,
        )
        for indicator in chunk
    )
    periods = [str(y) for y in range(year - 3, year)]
    Target.objects.bulk_create(
        Target(indicator=indicator, period=period, value=Decimal(100 * structures))
        for indicator in indicator_list
        for period in periods
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period=period,
            structure=structure,
            value=Decimal(90 + s % 20),
            status=Measurement.Status.VALIDATED,
            validated_at=now,
        )
        for indicator in indicator_list
        for period in periods
        for s, structure in enumerate(structure_list)
    )
    return plan


class Command(BaseCommand):
    help = "Mesure le temps de génération du PDF du rapport d'avancement (projet importé, puis grand projet généré)."

    def add_arguments(self, parser):
        parser.add_argument("--axes", type=int, default=12)
        parser.add_argument("--objectives", type=int, default=8)
        parser.add_argument("--actions", type=int, default=25)
        parser.add_argument("--indicators", type=int, default=5)
        parser.add_argument("--structures", type=int, default=40)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                Plan.objects.update(status=Plan.Status.ARCHIVED)
                seeded = plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes(), user=None).plan
                self._time("projet importé (document de la fédération)", seeded)
                Plan.objects.update(status=Plan.Status.ARCHIVED)
                sizes = {key: options[key] for key in ("axes", "objectives", "actions", "indicators", "structures")}
                large = large_plan(**sizes)
                label = (
                    f"grand projet ({sizes['axes']} axes, {sizes['axes'] * sizes['objectives']} objectifs, "
                    f"{sizes['axes'] * sizes['actions']} actions, {sizes['axes'] * sizes['indicators']} indicateurs, "
                    f"{sizes['structures']} structures)"
                )
                self._time(label, large)
                raise Rollback
        except Rollback:
            self.stdout.write("Données du banc d'essai annulées (rien n'a été enregistré).")

    def _time(self, label: str, plan: Plan) -> None:
        started = time.perf_counter()
        pdf = render_report_pdf(plan)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{label} : {elapsed:.2f} s, {len(pdf) // 1024} ko")
