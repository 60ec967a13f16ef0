"""The board's pages: the dashboard and the report, their figures and their query counts."""

import pytest
from django.urls import reverse

from indicators.tests.factories import AXIS_TITLES, build_plan

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the dashboard


def test_dashboard_shows_each_axis_with_charts_and_data_tables(client, board_user, staff_user):
    build_plan(2, staff_user)
    client.force_login(board_user)
    response = client.get(reverse("board:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in AXIS_TITLES:
        assert title.replace("’", "&#x27;").replace("&", "&amp;") in html or title in html
    assert html.count('role="img"') == 4
    assert html.count("<details") >= 4
    assert "Point d&#x27;étape" in html  # the journal
    # Two structures × 45 = 90 against a target of 100: within 15 %, on track.
    assert response.context["tracks_total"]["on_track"] == 3 * 2
    assert 'style="' not in html and "<script>" not in html


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_query_count_does_not_grow_with_the_plan(
    client, board_user, staff_user, django_assert_max_num_queries, size
):
    build_plan(size, staff_user)
    client.force_login(board_user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("board:dashboard"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_indicator_list_and_report_query_counts_do_not_grow(
    client, board_user, staff_user, django_assert_max_num_queries, size
):
    build_plan(size, staff_user)
    client.force_login(board_user)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("indicators:indicator_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("board:report")).status_code == 200
