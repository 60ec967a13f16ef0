"""The years the demo's figures and journal fall in: the plan's period, so that nothing the
demo shows lies outside it. A plan imported without its years gets the demo's own
(DEFAULT_PERIOD), the same for every part of the demo."""

import datetime

from django.utils import timezone

from axes.models import Plan

# The seed document describes projects « déjà engagés » since 2016-2018: a plan written
# after them, whose last year is the one the demo is tried in.
DEFAULT_PERIOD = (2022, 2026)


def plan_years(plan: Plan) -> tuple[int, int]:
    """(first year, last year) of `plan`, or the demo's when the plan has not both."""
    if plan.start_year and plan.end_year:
        return plan.start_year, plan.end_year
    return DEFAULT_PERIOD


def completed_years(plan: Plan, today: datetime.date | None = None) -> list[int]:
    """The years of the period that are over: the ones a yearly figure can be given for."""
    today = today or timezone.localdate()
    first, last = plan_years(plan)
    return list(range(first, min(last, today.year - 1) + 1))


def current_year(plan: Plan, today: datetime.date | None = None) -> int:
    """This year, brought back within the period."""
    today = today or timezone.localdate()
    first, last = plan_years(plan)
    return min(max(today.year, first), last)


def journal_day(plan: Plan, position: int, count: int, today: datetime.date | None = None) -> datetime.date:
    """The day of the `position`-th of `count` demo journal entries: one a month, the last
    one a week before today (or before the period's end), never before the period starts
    nor after today."""
    today = today or timezone.localdate()
    first, last = plan_years(plan)
    end = min(today, datetime.date(last, 12, 31)) - datetime.timedelta(days=7)
    day = end - datetime.timedelta(days=30 * (count - 1 - position))
    return min(max(day, datetime.date(first, 1, 1)), today)
