"""Who must report what, for which period, and who has not: reads for « Mon centre »,
the reporting-rate page and the reminder command.

Who is expected to report an indicator for a period is the indicators' rule
(`indicators.coverage.expected_structures`): a target, a part in one of the actions the indicator
evidences, or, for the observatory's yearly figures, being a centre social or an EVS.

The period to report is the last one completed, by the indicator's frequency: in 2025, a
yearly indicator is reported for 2024, a quarterly one in May for the first quarter.
A structure has reported once its value is submitted (or validated); it is late when the
period is over and it has not.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from indicators.coverage import expected_rows, expected_structures, may_expect
from indicators.models import PERIOD_RE, Indicator, Measurement
from network.models import Structure

REPORTED = (Measurement.Status.SUBMITTED, Measurement.Status.VALIDATED)


def due_period(frequency: str, today: datetime.date | None = None) -> str | None:
    """The last period completed on `today` for this frequency; None for one-off indicators."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    if frequency == Indicator.Frequency.YEARLY:
        return str(year - 1)
    if frequency == Indicator.Frequency.HALF_YEARLY:
        return f"{year}-S1" if month > 6 else f"{year - 1}-S2"
    if frequency == Indicator.Frequency.QUARTERLY:
        quarter = (month - 1) // 3  # completed quarters this year
        return f"{year}-T{quarter}" if quarter else f"{year - 1}-T4"
    if frequency == Indicator.Frequency.MONTHLY:
        return f"{year}-M{month - 1:02d}" if month > 1 else f"{year - 1}-M12"
    return None


def period_end(period: str) -> datetime.date:
    """The last day of a period (« 2024-S1 » → 30 June 2024)."""
    match = PERIOD_RE.match(period)
    if not match:
        raise ValueError(period)
    year = int(match["year"])
    if match["semester"]:
        last_month = 6 * int(match["semester"])
    elif match["quarter"]:
        last_month = 3 * int(match["quarter"])
    elif match["month"]:
        last_month = int(match["month"])
    else:
        last_month = 12
    return datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])


@dataclass
class StructureReport:
    structure: Structure
    status: str  # "submitted", "late" or "pending"
    measurement_status: str | None = None  # draft, returned… (None: nothing entered)

    @property
    def label(self) -> str:
        return {"submitted": "Transmise", "late": "En retard", "pending": "À saisir"}[self.status]


@dataclass
class IndicatorReport:
    """Where the structures stand on one indicator for one period."""

    indicator: Indicator
    period: str
    is_over: bool
    structures: list[StructureReport] = field(default_factory=list)

    def _with(self, status: str) -> list[Structure]:
        return [row.structure for row in self.structures if row.status == status]

    @property
    def submitted(self) -> list[Structure]:
        return self._with("submitted")

    @property
    def late(self) -> list[Structure]:
        return self._with("late")

    @property
    def pending(self) -> list[Structure]:
        return self._with("pending")

    @property
    def expected_count(self) -> int:
        return len(self.structures)

    @property
    def rate(self) -> int | None:
        """Percentage of expected structures that have reported, or None when none is expected."""
        if not self.structures:
            return None
        return round(100 * len(self.submitted) / len(self.structures))

    @property
    def period_label(self) -> str:
        from indicators.models import period_label

        return period_label(self.period)


def reporting_status(
    indicators,
    *,
    period: str | None = None,
    today: datetime.date | None = None,
    structures=None,
) -> list[IndicatorReport]:
    """For each indicator: its period (`period`, or its due period), who is expected, who
    reported, who is late. Restricted to `structures` when given. Eight queries at most (the
    indicators' actions in one, none when prefetched), whatever the number of indicators and structures.

    Indicators without a period (one-off, no `period` given) are left out.
    """
    today = today or timezone.localdate()
    indicators = [
        indicator for indicator in indicators if (period or due_period(indicator.frequency, today)) is not None
    ]
    if not indicators:
        return []
    periods = {indicator.pk: period or due_period(indicator.frequency, today) for indicator in indicators}
    only = None if structures is None else {s.pk for s in structures}
    # Who is expected is the indicators' rule (indicators.coverage), read the same way by the
    # coverage shown beside every network figure.
    expected = {
        indicator_id: found
        for (indicator_id, _period), found in expected_structures(
            indicators, {pk: [indicator_period] for pk, indicator_period in periods.items()}, among=only
        ).items()
    }
    all_ids = set().union(*expected.values())
    statuses: dict[tuple[int, int], str] = {}
    for (
        indicator_id,
        measured_period,
        structure_id,
        status,
    ) in Measurement.objects.filter(
        indicator_id__in=periods,
        period__in=set(periods.values()),
        structure_id__in=all_ids,
    ).values_list("indicator_id", "period", "structure_id", "status"):
        if periods[indicator_id] == measured_period:
            statuses[(indicator_id, structure_id)] = status
    by_id = Structure.objects.select_related("territory").in_bulk(all_ids)

    reports = []
    for indicator in indicators:
        indicator_period = periods[indicator.pk]
        is_over = period_end(indicator_period) < today
        report = IndicatorReport(indicator=indicator, period=indicator_period, is_over=is_over)
        for structure_id in sorted(expected[indicator.pk], key=lambda pk: by_id[pk].name.lower()):
            status = statuses.get((indicator.pk, structure_id))
            if status in REPORTED:
                state = "submitted"
            elif is_over:
                state = "late"
            else:
                state = "pending"
            report.structures.append(StructureReport(by_id[structure_id], state, status))
        reports.append(report)
    return reports


@dataclass
class Obligation:
    """One figure a structure must report: the indicator, the period, what it has entered."""

    indicator: Indicator
    period: str
    is_over: bool
    measurement: Measurement | None

    @property
    def is_missing(self) -> bool:
        return self.measurement is None or self.measurement.status not in REPORTED

    @property
    def period_label(self) -> str:
        from indicators.models import period_label

        return period_label(self.period)


def structure_obligations(structure: Structure, *, today: datetime.date | None = None) -> list[Obligation]:
    """What `structure` must report for the current periods, with its own values (any status)."""
    today = today or timezone.localdate()
    reports = reporting_status(
        Indicator.objects.active().filter(may_expect(structure)).prefetch_related("actions").order_by("name"),
        today=today,
        structures=[structure],
    )
    reports = [report for report in reports if report.structures]
    measurements = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.filter(
            structure=structure,
            indicator_id__in=[report.indicator.pk for report in reports],
            period__in={report.period for report in reports},
        )
    }
    return [
        Obligation(
            report.indicator,
            report.period,
            report.is_over,
            measurements.get((report.indicator.pk, report.period)),
        )
        for report in reports
    ]


# ---------------------------------------------------------------- « Qui a transmis », counted in SQL

LATE_NAMES_SHOWN = 5


@dataclass
class ReportingRow:
    """One indicator's line of « Qui a transmis »: counts from the database, and the first
    late structures by name (`late_names`, at most LATE_NAMES_SHOWN; the indicator's page
    lists the others)."""

    indicator: Indicator
    period: str
    is_over: bool
    expected_count: int
    submitted_count: int
    late_names: list[Structure] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return self.expected_count - self.submitted_count

    @property
    def late_count(self) -> int:
        return self.missing_count if self.is_over else 0

    @property
    def pending_count(self) -> int:
        return 0 if self.is_over else self.missing_count

    @property
    def rate(self) -> int:
        return round(100 * self.submitted_count / self.expected_count)

    @property
    def period_label(self) -> str:
        from indicators.models import period_label

        return period_label(self.period)


def _reporting_sql(rows_sql: str, select: str, tail: str = "") -> str:
    measurement = Measurement._meta.db_table
    return (
        f"SELECT {select} FROM ({rows_sql}) e LEFT JOIN {measurement} m "
        "ON m.indicator_id = e.i AND m.period = e.p AND m.structure_id = e.s " + tail
    )


def reporting_summary(
    indicators, *, period: str | None = None, today: datetime.date | None = None
) -> list[ReportingRow]:
    """The reporting status of `indicators` (each for `period`, or its due period), counted in
    the database: only the indicators some structure is expected to report, in the given
    order. Three queries whatever the number of indicators, periods and structures (no
    structure is loaded: `with_late_names` adds the first late ones of a page's rows)."""
    from django.db import connection

    today = today or timezone.localdate()
    indicators = list(indicators)
    period_of = {i.pk: period or due_period(i.frequency, today) for i in indicators}
    indicators = [i for i in indicators if period_of[i.pk]]
    if not indicators:
        return []
    sql, params = expected_rows(indicators, period_of).query.sql_with_params()
    reported = ", ".join(["%s"] * len(REPORTED))
    query = _reporting_sql(
        sql,
        f"e.i, COUNT(*), SUM(CASE WHEN m.status IN ({reported}) THEN 1 ELSE 0 END)",
        "GROUP BY e.i",
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*REPORTED, *params])  # the SELECT's placeholders come first
        counts = {indicator_id: (expected, submitted or 0) for indicator_id, expected, submitted in cursor.fetchall()}
    return [
        ReportingRow(
            indicator=i,
            period=period_of[i.pk],
            is_over=period_end(period_of[i.pk]) < today,
            expected_count=counts[i.pk][0],
            submitted_count=counts[i.pk][1],
        )
        for i in indicators
        if i.pk in counts
    ]


def with_late_names(rows: list[ReportingRow]) -> list[ReportingRow]:
    """Fills `late_names` of the rows whose period is over: the first LATE_NAMES_SHOWN late
    structures of each, by name. One query for all the rows (a window per indicator)."""
    from django.db import connection

    late = [row for row in rows if row.is_over and row.late_count]
    if not rows:
        return rows
    # The query runs for any page that has rows (the same count whether or not some are late).
    asked = late or rows
    sql, params = expected_rows(
        [row.indicator for row in asked], {r.indicator.pk: r.period for r in asked}
    ).query.sql_with_params()
    structure = Structure._meta.db_table
    reported = ", ".join(["%s"] * len(REPORTED))
    inner = _reporting_sql(
        sql,
        "e.i AS i, st.id AS sid, st.name AS name, ROW_NUMBER() OVER (PARTITION BY e.i ORDER BY st.name, st.id) AS n",
        f"JOIN {structure} st ON st.id = e.s WHERE m.id IS NULL OR m.status NOT IN ({reported})",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i, sid, name FROM ({inner}) x WHERE n <= %s ORDER BY i, n", [*params, *REPORTED, LATE_NAMES_SHOWN]
        )
        found = cursor.fetchall()
    by_indicator: dict[int, list[Structure]] = {}
    for indicator_id, structure_id, name in found:
        by_indicator.setdefault(indicator_id, []).append(Structure(pk=structure_id, name=name))
    for row in late:
        row.late_names = by_indicator.get(row.indicator.pk, [])
    return rows
