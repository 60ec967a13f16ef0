"""Network values (aggregation across structures) and the « en bonne voie » rule."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import Indicator, Measurement
from indicators.selectors import Track, is_on_track, network_values, tracks
from network.tests.factories import StructureFactory

from .factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db


def validated(indicator, value, *, structure=None, period="2024", minutes_ago=0):
    return MeasurementFactory(
        indicator=indicator,
        period=period,
        value=value,
        structure=structure,
        status=Measurement.Status.VALIDATED,
        validated_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def structures():
    return StructureFactory.create_batch(3)


def test_sum_adds_the_structures_validated_values(structures):
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    validated(indicator, 10, structure=structures[0])
    validated(indicator, 15, structure=structures[1])
    validated(indicator, 7, structure=structures[0], period="2023")
    assert network_values([indicator.pk]) == {indicator.pk: {"2024": Decimal(25), "2023": Decimal(7)}}


def test_mean_averages_the_structures_validated_values(structures):
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.MEAN)
    validated(indicator, 10, structure=structures[0])
    validated(indicator, 20, structure=structures[1])
    validated(indicator, 40, structure=structures[2])
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal("23.33")


def test_latest_takes_the_most_recently_validated_value(structures):
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.LATEST)
    validated(indicator, 10, structure=structures[0], minutes_ago=30)
    validated(indicator, 99, structure=structures[1], minutes_ago=5)
    validated(indicator, 50, structure=structures[2], minutes_ago=60)
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal(99)


def test_each_indicator_combines_its_own_way_in_one_call(structures, django_assert_num_queries):
    summed = IndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    latest = IndicatorFactory(aggregation=Indicator.Aggregation.LATEST)
    for indicator in (summed, latest):
        validated(indicator, 10, structure=structures[0], minutes_ago=5)
        validated(indicator, 4, structure=structures[1], minutes_ago=30)
    with django_assert_num_queries(4):
        values = network_values([summed.pk, latest.pk])
    assert values == {summed.pk: {"2024": Decimal(14)}, latest.pk: {"2024": Decimal(10)}}
    # Without an indicator that keeps the latest value, its query is not made (SQLite ran it
    # on every value: 7.5 s at national scale).
    other = IndicatorFactory(aggregation=Indicator.Aggregation.MEAN)
    with django_assert_num_queries(3):
        network_values([summed.pk, other.pk])


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
@pytest.mark.parametrize("aggregation", ["sum", "mean", "latest"])
def test_only_validated_values_count(structures, status, aggregation):
    indicator = IndicatorFactory(aggregation=aggregation)
    validated(indicator, 10, structure=structures[0], minutes_ago=10)
    MeasurementFactory(indicator=indicator, value=1000, structure=structures[1], status=status)
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal(10)


def test_no_validated_value_means_no_network_value(structures):
    indicator = IndicatorFactory()
    MeasurementFactory(indicator=indicator, value=5, structure=structures[0], status="submitted")
    assert network_values([indicator.pk]) == {}


def test_a_value_entered_for_the_network_is_the_networks_value(structures):
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    validated(indicator, 10, structure=structures[0])
    validated(indicator, 12, structure=structures[1])
    validated(indicator, 30, structure=None)
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal(30)


def test_qualitative_values_do_not_count(structures):
    indicator = IndicatorFactory()
    validated(indicator, 4, structure=structures[0])
    MeasurementFactory(
        indicator=indicator,
        value=None,
        text="Belle dynamique",
        structure=structures[1],
        status=Measurement.Status.VALIDATED,
        validated_at=timezone.now(),
    )
    assert network_values([indicator.pk])[indicator.pk]["2024"] == Decimal(4)


def test_indicators_are_aggregated_independently(structures):
    summed = IndicatorFactory(aggregation="sum")
    averaged = IndicatorFactory(aggregation="mean")
    for indicator in (summed, averaged):
        validated(indicator, 2, structure=structures[0])
        validated(indicator, 4, structure=structures[1])
    values = network_values([summed.pk, averaged.pk])
    assert values[summed.pk]["2024"] == Decimal(6)
    assert values[averaged.pk]["2024"] == Decimal(3)


# The on-track rule, at its edges (tolerance 15 %).
@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        ("85", "100", "up", True),  # exactly at the tolerance
        ("84.99", "100", "up", False),  # just beyond
        ("100", "100", "up", True),
        ("250", "100", "up", True),  # beyond the target the right way
        ("115", "100", "down", True),
        ("115.01", "100", "down", False),
        ("10", "100", "down", True),
        ("0", "0", "up", True),
        ("0.01", "0", "down", False),
    ],
)
def test_on_track_rule_at_its_edges(value, target, direction, expected):
    assert (
        is_on_track(
            value=Decimal(value),
            target=Decimal(target),
            direction=direction,
            tolerance=Decimal("0.15"),
        )
        is expected
    )


def test_tolerance_is_a_setting(settings):
    settings.INDICATORS_ON_TRACK_TOLERANCE = "0.05"
    assert not is_on_track(value=Decimal(90), target=Decimal(100), direction="up")
    settings.INDICATORS_ON_TRACK_TOLERANCE = "0.10"
    assert is_on_track(value=Decimal(90), target=Decimal(100), direction="up")


def test_track_uses_the_latest_validated_period_and_its_target(structures):
    indicator = IndicatorFactory(direction="up")
    TargetFactory(indicator=indicator, period="2023", value=10)
    TargetFactory(indicator=indicator, period="2024", value=100)
    validated(indicator, 10, structure=structures[0], period="2023")
    validated(indicator, 80, structure=structures[0], period="2024")
    # A draft for a later period does not move the latest period.
    MeasurementFactory(indicator=indicator, period="2025", value=1, structure=structures[0])
    track = tracks([indicator])[indicator.pk]
    assert (track.status, track.period, track.value, track.target) == (
        Track.OFF_TRACK,
        "2024",
        80,
        100,
    )
    validated(indicator, 6, structure=structures[1], period="2024")
    assert tracks([indicator])[indicator.pk].status == Track.ON_TRACK


def test_track_without_target_or_without_value(structures):
    no_value, no_target = IndicatorFactory(), IndicatorFactory()
    TargetFactory(indicator=no_value, period="2024", value=5)
    validated(no_target, 3, structure=structures[0])
    result = tracks([no_value, no_target])
    assert result[no_value.pk].status == Track.NO_DATA
    assert result[no_target.pk].status == Track.NO_TARGET
