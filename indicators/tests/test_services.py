"""The measurement workflow: who may enter, submit, validate, return; history records who."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import Measurement
from indicators.selectors import network_values
from indicators.services import measurement_record, measurement_return, measurement_submit, measurement_validate
from network.tests.factories import StructureFactory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return IndicatorFactory()


@pytest.fixture
def own_structure(director_user):
    return director_user.structures.get()


def test_director_reports_submits_and_staff_validate(indicator, director_user, staff_user, own_structure):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=own_structure,
        value=Decimal(12),
    )
    assert measurement.status == Measurement.Status.DRAFT
    assert measurement.entered_by == director_user
    assert network_values([indicator.pk]) == {}
    measurement_submit(user=director_user, measurement=measurement)
    assert network_values([indicator.pk]) == {}
    measurement_validate(user=staff_user, measurement=measurement)
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.VALIDATED
    assert measurement.validated_by == staff_user and measurement.validated_at is not None
    assert network_values([indicator.pk]) == {indicator.pk: {"2024": Decimal(12)}}
    # The history says who did each step.
    users = [row.history_user for row in measurement.history.order_by("history_date")]
    assert users == [director_user, director_user, staff_user]


def test_a_director_cannot_validate_or_return(indicator, director_user, own_structure):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=own_structure,
        value=Decimal(3),
    )
    measurement_submit(user=director_user, measurement=measurement)
    with pytest.raises(PermissionDenied):
        measurement_validate(user=director_user, measurement=measurement)
    with pytest.raises(PermissionDenied):
        measurement_return(user=director_user, measurement=measurement, comment="non")
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.SUBMITTED


def test_a_director_reports_only_for_their_own_structure(indicator, director_user):
    with pytest.raises(PermissionDenied):
        measurement_record(
            user=director_user,
            indicator=indicator,
            period="2024",
            structure=StructureFactory(),
            value=Decimal(1),
        )
    with pytest.raises(PermissionDenied):
        measurement_record(
            user=director_user,
            indicator=indicator,
            period="2024",
            structure=None,
            value=Decimal(1),
        )
    assert not Measurement.objects.exists()


def test_the_board_enters_nothing(indicator, board_user):
    with pytest.raises(PermissionDenied):
        measurement_record(
            user=board_user,
            indicator=indicator,
            period="2024",
            structure=None,
            value=Decimal(1),
        )


def test_returned_value_carries_a_comment_and_can_be_resubmitted(indicator, director_user, staff_user, own_structure):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=own_structure,
        value=Decimal(500),
    )
    measurement_submit(user=director_user, measurement=measurement)
    with pytest.raises(ValidationError):
        measurement_return(user=staff_user, measurement=measurement, comment="  ")
    measurement_return(
        user=staff_user,
        measurement=measurement,
        comment="500 habitants ? Vérifiez l'unité.",
    )
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.RETURNED
    assert measurement.return_comment == "500 habitants ? Vérifiez l'unité."
    corrected = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=own_structure,
        value=Decimal(50),
    )
    assert corrected.pk == measurement.pk
    measurement_submit(user=director_user, measurement=corrected)
    assert Measurement.objects.get().status == Measurement.Status.SUBMITTED


def test_a_director_cannot_overwrite_a_validated_value(indicator, director_user, staff_user, own_structure):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=own_structure,
        value=Decimal(8),
    )
    measurement_validate(user=staff_user, measurement=measurement)
    with pytest.raises(ValidationError):
        measurement_record(
            user=director_user,
            indicator=indicator,
            period="2024",
            structure=own_structure,
            value=Decimal(9),
        )
    assert Measurement.objects.get().value == Decimal(8)


def test_staff_correcting_a_validated_value_takes_it_out_of_the_totals(indicator, staff_user):
    measurement = measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(8))
    measurement_validate(user=staff_user, measurement=measurement)
    measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(9))
    assert Measurement.objects.get().status == Measurement.Status.DRAFT
    assert network_values([indicator.pk]) == {}


def test_cannot_validate_twice_or_submit_a_validated_value(indicator, staff_user):
    measurement = measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(8))
    measurement_validate(user=staff_user, measurement=measurement)
    with pytest.raises(ValidationError):
        measurement_validate(user=staff_user, measurement=measurement)
    with pytest.raises(ValidationError):
        measurement_submit(user=staff_user, measurement=measurement)


@pytest.mark.parametrize("period", ["24", "2024-S3", "2024-T5", "2024-M13", "2024 "])
def test_bad_period_is_refused_in_french(indicator, staff_user, period):
    with pytest.raises(ValidationError) as error:
        measurement_record(user=staff_user, indicator=indicator, period=period, value=Decimal(1))
    assert "Période invalide" in str(error.value)


def test_a_value_or_a_text_is_required(indicator, staff_user):
    with pytest.raises(ValidationError) as error:
        measurement_record(user=staff_user, indicator=indicator, period="2024", value=None, text="")
    assert "valeur chiffrée ou une valeur qualitative" in str(error.value)
    qualitative = measurement_record(user=staff_user, indicator=indicator, period="2024", text="Dynamique forte")
    assert qualitative.display_value == "Dynamique forte"


def test_a_submit_decided_on_a_stale_page_cannot_undo_a_validation(indicator, director_user, staff_user, own_structure):
    draft = measurement_record(
        user=director_user, indicator=indicator, period="2024", structure=own_structure, value=Decimal(12)
    )
    # Staff validate the draft while the director's page still shows it as a draft.
    stale_copy = Measurement.objects.get(pk=draft.pk)
    measurement_validate(user=staff_user, measurement=draft)

    with pytest.raises(ValidationError):
        measurement_submit(user=director_user, measurement=stale_copy)

    draft.refresh_from_db()
    assert draft.status == Measurement.Status.VALIDATED
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal(12)
