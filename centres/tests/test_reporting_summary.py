"""« Qui a transmis » counted in SQL agrees with the rule read as sets, on generated data."""

import pytest

from centres.reporting import LATE_NAMES_SHOWN, reporting_status, reporting_summary, with_late_names
from demo.generate import Scale, generate
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

SCALE = Scale(
    name="résumé",
    departements=1,
    bassins_per_departement=2,
    structures=25,
    partners=4,
    chapters=1,
    axes=3,
    objectives=6,
    actions=40,
    participations=80,
    indicators=8,
    measurements=400,
    years=3,
    comments=2,
    staff_users=1,
    board_users=1,
)


@pytest.mark.parametrize("period", [None, "2024", "2025"])
def test_summary_counts_what_the_rule_expects_and_who_reported(period):
    generate(scale=SCALE, allow_mixed=True)
    indicators = list(Indicator.objects.prefetch_related("actions").order_by("name", "pk"))
    by_sets = {r.indicator.pk: r for r in reporting_status(indicators, period=period) if r.structures}
    rows = with_late_names(reporting_summary(indicators, period=period))
    assert by_sets, "the generated data expects some structures to report"
    assert [row.indicator.pk for row in rows] == [pk for pk in (i.pk for i in indicators) if pk in by_sets]
    for row in rows:
        report = by_sets[row.indicator.pk]
        assert (row.period, row.expected_count, row.submitted_count, row.late_count, row.pending_count) == (
            report.period,
            len(report.structures),
            len(report.submitted),
            len(report.late),
            len(report.pending),
        ), row.indicator
        late = sorted(report.late, key=lambda s: (s.name, s.pk))[:LATE_NAMES_SHOWN]
        assert [s.pk for s in row.late_names] == [s.pk for s in late]
