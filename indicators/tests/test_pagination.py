"""National-scale pages stay bounded: paginated review queue and indicator values."""

import pytest
from django.urls import reverse

from indicators.models import Measurement
from network.tests.factories import StructureFactory

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def _submitted(indicator, count, period="2024"):
    structures = StructureFactory.create_batch(count)
    return [
        MeasurementFactory(indicator=indicator, structure=s, period=period, status=Measurement.Status.SUBMITTED)
        for s in structures
    ]


def test_review_queue_shows_fifty_per_page_with_french_controls(client, staff_user):
    indicator = IndicatorFactory(name="Bénévoles")
    _submitted(indicator, 55)
    client.force_login(staff_user)
    first = client.get(reverse("indicators:measurement_review"))
    html = first.content.decode()
    assert len(first.context["measurements"]) == 50
    assert "55 valeurs en attente" in html and "Page 1 sur 2" in html and "Suivante" in html
    second = client.get(reverse("indicators:measurement_review"), {"page": 2})
    assert len(second.context["measurements"]) == 5
    assert "Précédente" in second.content.decode()


def test_review_queue_filters_by_indicator_and_period(client, staff_user):
    kept, other = IndicatorFactory(name="Bénévoles"), IndicatorFactory(name="Adhérents")
    _submitted(kept, 2, "2024")
    _submitted(kept, 1, "2023")
    _submitted(other, 3, "2024")
    client.force_login(staff_user)
    response = client.get(reverse("indicators:measurement_review"), {"indicateur": kept.pk, "periode": "2024"})
    shown = response.context["measurements"]
    assert len(shown) == 2 and all(m.indicator == kept and m.period == "2024" for m in shown)
    assert response.context["page"].paginator.count == 2


def test_review_queue_pages_keep_the_filters(client, staff_user):
    indicator = IndicatorFactory(name="Bénévoles")
    _submitted(indicator, 55, "2024")
    client.force_login(staff_user)
    response = client.get(reverse("indicators:measurement_review"), {"indicateur": indicator.pk, "periode": "2024"})
    html = response.content.decode()
    assert f'href="?indicateur={indicator.pk}&amp;periode=2024&amp;page=2"' in html  # « Suivante »
    second = client.get(
        reverse("indicators:measurement_review"), {"indicateur": indicator.pk, "periode": "2024", "page": 2}
    )
    assert f'href="?indicateur={indicator.pk}&amp;periode=2024&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize("size", [3, 120])
def test_review_queue_query_count_does_not_grow(client, staff_user, django_assert_max_num_queries, size):
    _submitted(IndicatorFactory(), size)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("indicators:measurement_review")).status_code == 200


def test_indicator_detail_pages_the_values_but_keeps_the_network_table(client, staff_user):
    indicator = IndicatorFactory(name="Bénévoles")
    for period in ("2023", "2024"):
        for structure in StructureFactory.create_batch(30):
            MeasurementFactory(indicator=indicator, structure=structure, period=period, status="submitted")
    client.force_login(staff_user)
    first = client.get(indicator.get_absolute_url())
    assert len(first.context["measurements"]) == 50
    assert [row["period"] for row in first.context["rows"]] == ["2023", "2024"]  # all periods, unpaged
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(indicator.get_absolute_url(), {"page": 2})
    assert len(second.context["measurements"]) == 10


def test_indicator_list_shows_fifty_per_page_in_name_order(client, board_user):
    for n in range(53):
        IndicatorFactory(name=f"Indicateur {n:02d}")
    client.force_login(board_user)
    first = client.get(reverse("indicators:indicator_list"))
    html = first.content.decode()
    assert [i.name for i in first.context["indicators"]][:2] == ["Indicateur 00", "Indicateur 01"]
    assert len(first.context["indicators"]) == 50
    assert "53 indicateurs, par ordre alphabétique, 50 par page." in html and "Page 1 sur 2" in html
    second = client.get(reverse("indicators:indicator_list"), {"page": 2})
    assert [i.name for i in second.context["indicators"]] == ["Indicateur 50", "Indicateur 51", "Indicateur 52"]
    assert all(hasattr(i, "track") for i in second.context["indicators"])
