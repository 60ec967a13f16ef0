import datetime

import pytest

from actions.tests.factories import ActionFactory
from centres.reporting import due_period, period_end, reporting_status, structure_obligations
from centres.services import participation_decide, participation_propose
from indicators.models import Indicator, Measurement
from indicators.observatory import observatory_indicators_ensure
from indicators.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from network.models import Structure
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 5, 10)


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (Indicator.Frequency.YEARLY, "2024"),
        (Indicator.Frequency.HALF_YEARLY, "2024-S2"),
        (Indicator.Frequency.QUARTERLY, "2025-T1"),
        (Indicator.Frequency.MONTHLY, "2025-M04"),
        (Indicator.Frequency.ONCE, None),
    ],
)
def test_due_period_is_the_last_completed_one(frequency, expected):
    assert due_period(frequency, TODAY) == expected


def test_due_period_at_the_turn_of_the_year():
    january = datetime.date(2025, 1, 3)
    assert due_period(Indicator.Frequency.QUARTERLY, january) == "2024-T4"
    assert due_period(Indicator.Frequency.MONTHLY, january) == "2024-M12"


def test_period_end():
    assert period_end("2024") == datetime.date(2024, 12, 31)
    assert period_end("2024-S1") == datetime.date(2024, 6, 30)
    assert period_end("2024-T1") == datetime.date(2024, 3, 31)
    assert period_end("2024-M02") == datetime.date(2024, 2, 29)


def test_who_is_expected_who_reported_who_is_late(staff_user):
    a, b, c, other = (StructureFactory(name=n) for n in ["A", "B", "C", "Hors champ"])
    action = ActionFactory()
    indicator = IndicatorFactory(actions=[action])
    # A: a target; B: an accepted participation; C: one of the action's structures.
    TargetFactory(indicator=indicator, period="2024", structure=a)
    participation = participation_propose(user=director_for(b), action=action, structure=b, contribution="x")
    participation_decide(user=staff_user, participation=participation, accept=True)
    action.structures.add(c)
    MeasurementFactory(
        indicator=indicator,
        period="2024",
        structure=a,
        status=Measurement.Status.SUBMITTED,
    )
    MeasurementFactory(indicator=indicator, period="2024", structure=b, status=Measurement.Status.DRAFT)
    MeasurementFactory(
        indicator=indicator,
        period="2023",
        structure=c,
        status=Measurement.Status.SUBMITTED,
    )

    [report] = reporting_status([indicator], today=TODAY)
    assert report.period == "2024" and report.is_over
    assert report.submitted == [a]
    assert report.late == [b, c]
    assert other not in [row.structure for row in report.structures]
    assert report.rate == 33


def test_a_period_not_over_is_pending_not_late():
    structure = StructureFactory()
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, period="2025", structure=structure)
    [report] = reporting_status([indicator], period="2025", today=TODAY)
    assert report.pending == [structure] and report.late == []


def test_observatory_figures_are_expected_from_every_centre_and_evs():
    centre = StructureFactory(kind=Structure.Kind.CENTRE_SOCIAL)
    evs = StructureFactory(kind=Structure.Kind.EVS)
    StructureFactory(kind=Structure.Kind.FEDERATION)
    indicators = observatory_indicators_ensure()
    assert len(indicators) == 5 and observatory_indicators_ensure() == indicators
    reports = reporting_status(indicators, today=TODAY)
    assert all(set(report.late) == {centre, evs} for report in reports)


def test_reporting_status_query_count_does_not_grow(django_assert_max_num_queries):
    for size in (2, 12):
        action = ActionFactory()
        indicators = [IndicatorFactory(actions=[action]) for _ in range(size)]
        for _ in range(size):
            structure = StructureFactory()
            action.structures.add(structure)
            MeasurementFactory(indicator=indicators[0], structure=structure, period="2024")
        observatory_indicators_ensure()
        with django_assert_max_num_queries(8):  # the indicators' actions in one
            reports = reporting_status(Indicator.objects.all(), today=TODAY)
        assert len(reports) >= size


def test_structure_obligations_show_only_its_own_values():
    mine, theirs = StructureFactory(), StructureFactory()
    action = ActionFactory()
    action.structures.add(mine, theirs)
    indicator = IndicatorFactory(actions=[action])
    own = MeasurementFactory(
        indicator=indicator,
        structure=mine,
        period="2024",
        status=Measurement.Status.RETURNED,
    )
    MeasurementFactory(indicator=indicator, structure=theirs, period="2024", value=999)
    [obligation] = structure_obligations(mine, today=TODAY)
    assert obligation.indicator == indicator and obligation.period == "2024"
    assert obligation.measurement == own and obligation.is_missing
