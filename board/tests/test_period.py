"""The plan's period on the board's pages: beside every progress figure, and as the bounds of
« Actions menées chaque année », where an action counts only in the years it ran."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory
from board.dashboard import _timeline

pytestmark = pytest.mark.django_db

S = Action.Status


def test_the_timeline_is_bounded_by_the_period_and_counts_an_action_only_in_the_years_it_ran(staff_user):
    axis = AxisFactory(chapter__plan__start_year=2019, chapter__plan__end_year=2023)
    plan = axis.chapter.plan

    def action(status, start, end=None, **kwargs):
        return ActionFactory(axis=axis, status=status, start_year=start, end_year=end, **kwargs)

    # « depuis 2017 », still running: every year of the period, and none after it, up to today.
    action(S.IN_PROGRESS, 2017)
    action(S.DONE, 2020, 2021)
    action(S.PREVIOUS_PLAN, 2014, 2015)  # before the period: not drawn
    # No years, but a journal entry dated 24 November 2022: running in 2022 only.
    planned = action(S.PLANNED, None)
    update_create(action=planned, author=staff_user, text="Retenue au bureau", date=datetime.date(2022, 11, 24))
    # Done in 2020 without an end year, its journal reporting on it in 2023: 2020 and 2023, not between.
    done = action(S.DONE, 2020)
    update_create(action=done, author=staff_user, text="Bilan publié", date=datetime.date(2023, 3, 3))
    action(S.IN_PROGRESS, None)  # no year, no journal: in no year, counted apart
    action(S.LEAD, 2021, 2022)  # a lead is not an action carried out

    columns, undated = _timeline(plan)

    assert columns == [
        ("2019", {S.IN_PROGRESS: 1}),
        ("2020", {S.IN_PROGRESS: 1, S.DONE: 2}),
        ("2021", {S.IN_PROGRESS: 1, S.DONE: 1}),
        ("2022", {S.IN_PROGRESS: 1, S.PLANNED: 1}),
        ("2023", {S.IN_PROGRESS: 1, S.DONE: 1}),
    ]
    assert undated == 1


def test_a_period_still_running_ends_the_open_actions_this_year(staff_user):
    this_year = timezone.localdate().year
    axis = AxisFactory(chapter__plan__start_year=this_year - 1, chapter__plan__end_year=this_year + 3)
    ActionFactory(axis=axis, status=S.IN_PROGRESS, start_year=this_year - 5, end_year=None)
    ActionFactory(axis=axis, status=S.PLANNED, start_year=this_year + 2, end_year=this_year + 3)

    columns, _undated = _timeline(axis.chapter.plan)

    # The period's five years are drawn; the open action runs until this year, not in the years to come.
    assert [year for year, _counts in columns] == [str(year) for year in range(this_year - 1, this_year + 4)]
    assert [counts.get(S.IN_PROGRESS, 0) for _year, counts in columns] == [1, 1, 0, 0, 0]
    assert [counts.get(S.PLANNED, 0) for _year, counts in columns] == [0, 0, 0, 1, 1]


def test_without_a_period_the_timeline_spans_the_years_the_actions_state_not_up_to_today():
    axis = AxisFactory(chapter__plan__start_year=None, chapter__plan__end_year=None)
    ActionFactory(axis=axis, status=S.IN_PROGRESS, start_year=2017, end_year=None)
    ActionFactory(axis=axis, status=S.PREVIOUS_PLAN, start_year=2014, end_year=2015)

    columns, undated = _timeline(axis.chapter.plan)

    assert columns == [
        ("2014", {S.PREVIOUS_PLAN: 1}),
        ("2015", {S.PREVIOUS_PLAN: 1}),
        ("2016", {}),
        ("2017", {S.IN_PROGRESS: 1}),
    ]
    assert undated == 0


def test_the_dashboard_and_report_show_the_period_beside_the_progress(client, board_user):
    axis = AxisFactory(chapter__plan__start_year=2017, chapter__plan__end_year=2021)
    ActionFactory(axis=axis, status=S.IN_PROGRESS, progress=40)
    client.force_login(board_user)

    dashboard = client.get(reverse("board:dashboard")).content.decode()
    # Once with the years beside the overall figure, once beside the axis's.
    assert dashboard.count("période 2017–2021 : projet achevé en 2021") == 1
    assert dashboard.count("projet achevé en 2021") == 2
    assert "Années du projet (2017–2021)" in dashboard  # what bounds the yearly chart

    report = client.get(reverse("board:report")).content.decode()
    assert "période 2017–2021 : projet achevé en 2021" in report


def test_without_a_period_the_dashboard_says_so_once_with_a_link_for_staff(client, board_user, staff_user):
    axis = AxisFactory(chapter__plan__start_year=None, chapter__plan__end_year=None)
    ActionFactory(axis=axis, status=S.IN_PROGRESS, progress=40, start_year=2024)
    edit_url = reverse("axes:plan_update", args=[axis.chapter.plan.pk])
    for user in (board_user, staff_user):
        client.force_login(user)
        page = client.get(reverse("board:dashboard")).content.decode()
        assert page.count("période non renseignée") == 1
        assert "la période du projet n’est pas indiquée" in page  # under the yearly chart
        assert (f'href="{edit_url}"' in page) == (user == staff_user)
