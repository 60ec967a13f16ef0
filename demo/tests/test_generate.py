"""The demo data generator: coherent, marked as generated, refused where it is unsafe."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Participation
from axes.models import Plan
from demo.generate import PREFIX, SCALES, GenerationRefused, Scale, generate
from indicators.models import Indicator, Measurement, Target
from network.models import Structure

TINY = Scale(
    name="minuscule",
    departements=1,
    bassins_per_departement=1,
    structures=5,
    partners=3,
    chapters=1,
    axes=2,
    objectives=4,
    actions=12,
    participations=10,
    indicators=3,
    measurements=45,
    years=2,
    comments=3,
    staff_users=2,
    board_users=1,
)


def test_generates_a_coherent_marked_data_set(db):
    # A fixed day: the draws depend on it, and on some days the tiny scale drew 28 values.
    result = generate(scale=TINY, today=datetime.date(2026, 12, 1))

    assert result.plan.title.startswith(PREFIX)
    assert Structure.objects.count() == 5
    assert all(name.startswith(PREFIX) for name in Structure.objects.values_list("name", flat=True))
    assert Indicator.objects.filter(is_demo=True).count() == 3
    assert Action.objects.filter(axis__chapter__plan=result.plan).count() == 12
    assert Participation.objects.count() == 10
    # Every axis has an action of the previous plan, a lead and one under way.
    for status in (Action.Status.PREVIOUS_PLAN, Action.Status.LEAD, Action.Status.IN_PROGRESS):
        assert Action.objects.filter(status=status).values("axis").distinct().count() == 2
    # Values: about the requested number, unique per (indicator, period, structure), with history.
    measurements = Measurement.objects.count()
    assert 30 <= measurements <= 45
    assert Measurement.history.count() == measurements
    assert Action.history.filter(history_type="+").count() == 12
    assert Target.objects.filter(structure__isnull=True).exists()
    # Validated values carry their date (a database constraint would refuse otherwise).
    assert not Measurement.objects.filter(status="validated", validated_at__isnull=True).exists()
    assert result.counts["valeurs d'indicateurs"] == measurements


def test_the_generated_history_holds_the_links_from_each_object_latest_row(db):
    """Links and history rows are written in bulk (no signal): the latest row of each action
    takes its links, the earlier ones say they hold none, so that the next edit shows only
    what it changed."""
    generate(scale=TINY, today=datetime.date(2026, 12, 1))
    linked = next(action for action in Action.objects.all() if action.objectives.exists())
    rows = list(linked.history.order_by("-history_id"))
    assert rows[0].history_links_known and not any(row.history_links_known for row in rows[1:])
    assert set(rows[0].objectives.values_list("objective_id", flat=True)) == set(
        linked.objectives.values_list("pk", flat=True)
    )


def test_refused_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(GenerationRefused):
        generate(scale=TINY)
    assert not Structure.objects.exists()
    generate(scale=TINY, force=True)
    assert Structure.objects.exists()


def test_refused_next_to_a_real_plan_unless_asked(db):
    Plan.objects.create(title="Projet fédéral 2022-2026")
    with pytest.raises(GenerationRefused, match="projet fédéral réel"):
        generate(scale=TINY)
    assert not Structure.objects.exists()
    generate(scale=TINY, allow_mixed=True)
    assert Plan.objects.count() == 2


def test_refused_twice(db):
    generate(scale=TINY)
    with pytest.raises(GenerationRefused, match="existent déjà"):
        generate(scale=TINY)


def test_command_reports_and_refuses_in_french(db, settings, capsys):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        call_command("generate_demo_data", "--scale", "departmental")
    settings.DEMO_DATA_ALLOWED = True
    call_command("generate_demo_data", "--scale", "departmental")
    output = capsys.readouterr().out
    assert "Données générées (departmental)" in output
    assert Action.objects.count() == SCALES["departmental"].actions
    # Whole periods only: up to one value per reporting structure short of the target count.
    assert (
        0.9 * SCALES["departmental"].measurements <= Measurement.objects.count() <= SCALES["departmental"].measurements
    )
