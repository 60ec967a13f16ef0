"""Where a day falls in a plan's period: the sentence read next to every progress figure."""

from datetime import date

import pytest

from axes.models import Elapsed, Plan


def elapsed(start_year, end_year, today):
    return Plan(title="Projet fédéral", start_year=start_year, end_year=end_year).elapsed(today)


def test_before_the_start_the_plan_has_not_begun():
    period = elapsed(2027, 2031, date(2026, 12, 31))
    assert (period.state, period.year, period.percent) == (Elapsed.BEFORE, None, 0)
    assert period.label == "commence en 2027"


def test_on_its_first_day_the_plan_is_in_year_one_with_nothing_elapsed():
    period = elapsed(2022, 2026, date(2022, 1, 1))
    assert (period.state, period.year, period.years, period.percent) == (Elapsed.RUNNING, 1, 5, 0)
    assert period.label == "année 1 sur 5 (0 % de la période écoulée)"


def test_halfway_through_a_five_year_plan():
    # 1 July 2024: 913 of the 1,826 days from 1 January 2022 to 31 December 2026 have begun.
    period = elapsed(2022, 2026, date(2024, 7, 1))
    assert period.share == pytest.approx(913 / 1826)
    assert period.label == "année 3 sur 5 (50 % de la période écoulée)"


def test_in_its_last_year_and_on_its_last_day():
    assert elapsed(2022, 2026, date(2026, 1, 1)).label == "année 5 sur 5 (80 % de la période écoulée)"
    last_day = elapsed(2022, 2026, date(2026, 12, 31))
    assert (last_day.state, last_day.year, last_day.percent) == (Elapsed.RUNNING, 5, 100)


def test_the_share_is_rounded_down_never_up():
    # The day before the last: 99.95 % of the period has begun, which reads 99 %, not 100 %.
    assert elapsed(2022, 2026, date(2026, 12, 30)).percent == 99


def test_a_plan_of_one_year():
    assert elapsed(2025, 2025, date(2025, 12, 31)).label == "année 1 sur 1 (100 % de la période écoulée)"


def test_after_the_end_the_plan_is_over():
    period = elapsed(2017, 2021, date(2022, 1, 1))
    assert (period.state, period.year, period.percent) == (Elapsed.OVER, None, 100)
    assert period.label == "projet achevé en 2021"


def test_no_years_nothing_is_said_but_that():
    period = elapsed(None, None, date(2026, 3, 3))
    assert (period.known, period.share, period.year) == (False, None, None)
    assert period.label == "période non renseignée"


def test_one_end_of_the_period_unknown_gives_no_share():
    open_ended = elapsed(2022, None, date(2024, 5, 1))
    assert (open_ended.year, open_ended.share) == (3, None)
    assert open_ended.label == "année 3 depuis 2022, année de fin non renseignée"
    assert elapsed(None, 2026, date(2024, 5, 1)).label == "jusqu’en 2026, année de début non renseignée"
    assert elapsed(None, 2021, date(2024, 5, 1)).label == "projet achevé en 2021"
    assert elapsed(2027, None, date(2024, 5, 1)).label == "commence en 2027"


def test_period_label():
    assert Plan(start_year=2022, end_year=2026).period_label == "2022–2026"
    assert Plan(start_year=2022).period_label == "depuis 2022"
    assert Plan().period_label == ""
