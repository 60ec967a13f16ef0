"""Entering a figure as a French person writes it (issue 14, item 7): the director's form, the
staff's form and the service agree on what a number and a count are."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from centres.reporting import due_period
from indicators.models import Indicator, Measurement
from indicators.services import measurement_record
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
DUE = due_period(Indicator.Frequency.YEARLY)


@pytest.fixture
def entry(db):
    structure = StructureFactory(name="Centre Alpha")
    return {"structure": structure, "director": director_for(structure, username="dir-a")}


def _post(client, entry, indicator, value, period=DUE):
    client.force_login(entry["director"])
    url = reverse("centres:measurement_edit", args=[entry["structure"].pk, indicator.pk, period])
    return client.post(url, {"value": value, "text": "", "comment": "", "submit": "1"})


@pytest.mark.parametrize(
    ("unit", "typed", "stored"),
    [
        ("personnes", "1 200", Decimal("1200")),
        ("personnes", "1\u202f200", Decimal("1200")),
        ("personnes", "1\u00a0200", Decimal("1200")),
        ("€", "1 200,5", Decimal("1200.5")),
        ("%", "12,5", Decimal("12.5")),
        ("%", "12.5", Decimal("12.5")),
        ("€", "-3", Decimal("-3")),  # a deficit may be negative: not a count
    ],
)
def test_director_types_a_french_number(client, entry, unit, typed, stored):
    indicator = IndicatorFactory(unit=unit)
    response = _post(client, entry, indicator, typed)
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator, structure=entry["structure"])
    assert measurement.value == stored and measurement.status == Measurement.Status.SUBMITTED


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("partenaires", "-3", "Un nombre de partenaires ne peut pas être négatif."),
        ("partenaires", "12,5", "Un nombre de partenaires se compte en entier"),
        ("Bénévoles", "2,5", "Un nombre de Bénévoles se compte en entier"),
        ("personnes", "douze", "n’est pas un nombre : écrivez par exemple 1 200 ou 12,5."),
        ("€", "12 €", "n’est pas un nombre"),
    ],
)
def test_director_gets_a_clear_message_and_keeps_what_was_typed(client, entry, unit, typed, message):
    indicator = IndicatorFactory(unit=unit)
    response = _post(client, entry, indicator, typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page  # nothing lost
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_the_service_refuses_a_negative_count_whatever_the_caller(entry):
    indicator = IndicatorFactory(unit="personnes")
    with pytest.raises(ValidationError, match="ne peut pas être négatif"):
        measurement_record(
            user=entry["director"], indicator=indicator, period=DUE, structure=entry["structure"], value=Decimal(-3)
        )


def test_staff_form_reads_french_numbers_and_counts(client, staff_user):
    indicator = IndicatorFactory(unit="personnes")
    client.force_login(staff_user)
    url = reverse("indicators:measurement_create", args=[indicator.pk])
    refused = client.post(url, {"period": "2024", "value": "12,5", "draft": "1"})
    assert refused.status_code == 200 and "Un nombre de personnes se compte en entier" in refused.content.decode()
    accepted = client.post(url, {"period": "2024", "value": "1 200", "draft": "1"})
    assert accepted.status_code == 302
    assert Measurement.objects.get(indicator=indicator, structure=None).value == Decimal("1200")


def test_form_shows_definition_unit_and_previous_value(client, entry):
    indicator = IndicatorFactory(unit="personnes", description="Habitants venus au moins une fois dans l'année.")
    previous_year = str(int(DUE) - 1)
    MeasurementFactory(indicator=indicator, structure=entry["structure"], period=previous_year, value=1500)
    MeasurementFactory(indicator=indicator, structure=entry["structure"], period=f"{previous_year}-S1", value=7)
    client.force_login(entry["director"])
    page = client.get(
        reverse("centres:measurement_edit", args=[entry["structure"].pk, indicator.pk, DUE])
    ).content.decode()
    assert "Habitants venus au moins une fois dans l&#x27;année." in page
    assert "personnes (un nombre entier)" in page
    assert f"1\u202f500 personnes pour {previous_year} (brouillon)" in page


def test_form_says_when_there_is_no_previous_value(client, entry):
    indicator = IndicatorFactory(unit="personnes")
    other = StructureFactory(name="Centre Bêta")
    MeasurementFactory(indicator=indicator, structure=other, period=str(int(DUE) - 1), value=99)
    client.force_login(entry["director"])
    page = client.get(
        reverse("centres:measurement_edit", args=[entry["structure"].pk, indicator.pk, DUE])
    ).content.decode()
    # Another structure's value is not this structure's previous one (« 99 personnes pour … »;
    # a bare « 99 » may occur in the page's random CSRF token).
    assert "aucune valeur saisie avant cette période" in page and "99 personnes" not in page
