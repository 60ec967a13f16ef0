"""Bulk validation from the review page (issue 14, item 6): ticked values validated together,
in one transaction, never one that changed since the page was shown; large jumps flagged first."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Measurement, previous_period
from indicators.selectors import jumps
from indicators.services import measurement_return, measurements_validate
from network.tests.factories import StructureFactory

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db
URL = "indicators:measurements_validate"


def _submitted(indicator, value, period="2024", structure=None):
    return MeasurementFactory(
        indicator=indicator,
        structure=structure or StructureFactory(),
        period=period,
        value=value,
        status=Measurement.Status.SUBMITTED,
    )


def _ticked(*measurements):
    return [f"{m.pk}:{m.version}" for m in measurements]


@pytest.mark.parametrize(
    ("period", "before"),
    [
        ("2024", "2023"),
        ("2024-S1", "2023-S2"),
        ("2024-S2", "2024-S1"),
        ("2024-T1", "2023-T4"),
        ("2024-M01", "2023-M12"),
        ("2024-M11", "2024-M10"),
        ("n’importe", None),
    ],
)
def test_previous_period(period, before):
    assert previous_period(period) == before


def test_ticked_values_are_validated_together_with_history(client, staff_user):
    indicator = IndicatorFactory()
    a, b, untouched = (_submitted(indicator, 10) for _ in range(3))
    client.force_login(staff_user)
    response = client.post(reverse(URL), {"valeurs": _ticked(a, b)})
    assert response.status_code == 302 and response.url == reverse("indicators:measurement_review")
    a.refresh_from_db(), b.refresh_from_db(), untouched.refresh_from_db()
    assert (a.status, b.status, untouched.status) == ("validated", "validated", "submitted")
    assert a.validated_by == staff_user and a.validated_at is not None
    assert a.history.first().history_user == staff_user
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 valeurs validées."]


def test_a_value_returned_meanwhile_is_not_validated(client, staff_user):
    indicator = IndicatorFactory()
    kept, returned = _submitted(indicator, 10), _submitted(indicator, 12)
    ticked = _ticked(kept, returned)  # the page as staff saw it
    measurement_return(user=staff_user, measurement=returned, comment="Chiffre de 2023 ?")
    client.force_login(staff_user)
    response = client.post(reverse(URL), {"valeurs": ticked})
    kept.refresh_from_db(), returned.refresh_from_db()
    assert kept.status == "validated" and returned.status == "returned"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "1 valeur validée." in messages
    assert any("modifiée entre-temps" in m and str(returned) in m for m in messages)


def test_a_value_corrected_and_transmitted_again_meanwhile_is_not_validated(staff_user):
    indicator = IndicatorFactory()
    measurement = _submitted(indicator, 10)
    seen = measurement.version
    Measurement.objects.filter(pk=measurement.pk).update(value=11)  # a newer write: a newer version
    measurement.refresh_from_db()
    measurement.save()  # auto_now moves updated_at
    result = measurements_validate(user=staff_user, versions={measurement.pk: seen})
    assert result.validated == [] and [m.pk for m in result.changed] == [measurement.pk]
    measurement.refresh_from_db()
    assert measurement.status == "submitted"


def test_directors_and_board_cannot_validate_in_bulk(client, director_user, board_user):
    measurement = _submitted(IndicatorFactory(), 10)
    for user in (director_user, board_user):
        client.force_login(user)
        assert client.post(reverse(URL), {"valeurs": _ticked(measurement)}).status_code == 403
    measurement.refresh_from_db()
    assert measurement.status == "submitted"


@pytest.mark.parametrize("junk", [[], ["abc"], ["12"], ["12:x"], ["99999999999999999999:1"]])
def test_nothing_ticked_or_junk_says_so(client, staff_user, junk):
    client.force_login(staff_user)
    response = client.post(reverse(URL), {"valeurs": junk}, follow=True)
    assert "Cochez au moins une valeur à valider." in response.content.decode()


def test_a_jump_of_more_than_half_is_flagged_and_asks_for_confirmation(client, staff_user):
    indicator = IndicatorFactory(unit="personnes")
    centre, steady_centre = StructureFactory(name="Centre Alpha"), StructureFactory(name="Centre Bêta")
    MeasurementFactory(
        indicator=indicator,
        structure=centre,
        period="2023",
        value=100,
        status="validated",
        validated_at="2024-01-10T10:00:00Z",
    )
    MeasurementFactory(
        indicator=indicator,
        structure=steady_centre,
        period="2023",
        value=100,
        status="validated",
        validated_at="2024-01-10T10:00:00Z",
    )
    jumping = _submitted(indicator, 260, structure=centre)
    steady = _submitted(indicator, 140, structure=steady_centre)
    client.force_login(staff_user)

    review = client.get(reverse("indicators:measurement_review")).content.decode()
    assert "+160 % par rapport à 2023 (100)" in review and "+40 %" not in review

    confirm = client.post(reverse(URL), {"valeurs": _ticked(jumping, steady)})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Centre Alpha" in page and "Centre Bêta" not in page and "Valider les 2 valeurs" in page
    jumping.refresh_from_db()
    assert jumping.status == "submitted"  # nothing validated before confirming

    done = client.post(reverse(URL), {"valeurs": _ticked(jumping, steady), "confirmer": "1"})
    assert done.status_code == 302
    assert set(Measurement.objects.filter(period="2024").values_list("status", flat=True)) == {"validated"}


def test_jumps_down_and_from_zero():
    indicator = IndicatorFactory()
    structure = StructureFactory()
    other = StructureFactory()
    MeasurementFactory(
        indicator=indicator,
        structure=structure,
        period="2023",
        value=Decimal(80),
        status="validated",
        validated_at="2024-01-10T10:00:00Z",
    )
    MeasurementFactory(
        indicator=indicator,
        structure=other,
        period="2023",
        value=Decimal(0),
        status="validated",
        validated_at="2024-01-10T10:00:00Z",
    )
    down = _submitted(indicator, 30, structure=structure)
    from_zero = _submitted(indicator, 5, structure=other)
    found = jumps([down, from_zero])
    assert found[down.pk].percent == -62 and found[from_zero.pk].percent == 100


@pytest.mark.parametrize("count", [3, 30])
def test_bulk_validation_costs_the_same_whatever_the_number(client, staff_user, django_assert_max_num_queries, count):
    indicator = IndicatorFactory()
    measurements = [_submitted(indicator, 10) for _ in range(count)]
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        client.post(reverse(URL), {"valeurs": _ticked(*measurements), "confirmer": "1"})
    assert Measurement.objects.filter(status="validated").count() == count


@pytest.mark.parametrize("count", [3, 30])
def test_review_page_with_flags_costs_the_same_whatever_the_number(
    client, staff_user, django_assert_max_num_queries, count
):
    indicator = IndicatorFactory()
    for _ in range(count):
        structure = StructureFactory()
        MeasurementFactory(
            indicator=indicator,
            structure=structure,
            period="2023",
            value=1,
            status="validated",
            validated_at="2024-01-10T10:00:00Z",
        )
        _submitted(indicator, 10, structure=structure)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("indicators:measurement_review")).content.decode()
    assert page.count("par rapport à 2023 (1)") == count
