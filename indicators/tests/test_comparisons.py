"""Network figures compared: the year before, by territory and type, a structure against the median."""

from decimal import Decimal

import pytest

from indicators.comparisons import breakdown, network_medians, previous_period, year_on_year
from indicators.coverage import coverage
from indicators.models import Indicator
from indicators.observatory import observatory_indicators_ensure
from indicators.selectors import network_values
from indicators.services import measurement_record, measurement_validate, target_set
from indicators.tests.factories import IndicatorFactory
from network.models import Structure
from network.tests.factories import StructureFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def validated(user, indicator, structure, value, period):
    measurement = measurement_record(
        user=user, indicator=indicator, period=period, structure=structure, value=Decimal(value)
    )
    return measurement_validate(user=user, measurement=measurement)


def change_of(indicator, period="2025"):
    values = network_values([indicator.pk])
    found = year_on_year([indicator], {indicator.pk: period}, values, coverage([indicator]))
    return found[indicator.pk]


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025", "2024"), ("2025-S1", "2024-S1"), ("2025-T4", "2024-T4"), ("2025-M03", "2024-M03"), ("x", None)],
)
def test_previous_period_is_the_same_period_a_year_before(period, expected):
    assert previous_period(period) == expected


def test_change_from_the_year_before_when_the_same_structures_reported(staff_user):
    a, b = StructureFactory(), StructureFactory()
    indicator = IndicatorFactory()
    for structure, before, now in [(a, 40, 50), (b, 60, 62)]:
        validated(staff_user, indicator, structure, before, "2024")
        validated(staff_user, indicator, structure, now, "2025")

    change = change_of(indicator)

    assert change.percent == Decimal(12)  # 100 → 112
    assert change.label == "+12\u202f% par rapport à 2024"


def test_change_at_constant_structures_when_the_structures_differ(staff_user):
    a, b, newcomer = StructureFactory(), StructureFactory(), StructureFactory()
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    for structure, before, now in [(a, 40, 30), (b, 60, 50)]:
        validated(staff_user, indicator, structure, before, "2024")
        validated(staff_user, indicator, structure, now, "2025")
    validated(staff_user, indicator, newcomer, 500, "2025")  # the raw sum would say +480 %

    change = change_of(indicator)

    assert (change.percent, change.constant_structures) == (Decimal(-20), 2)
    assert change.label == (
        "−20\u202f% par rapport à 2024, à structures constantes (2 structures présentes les deux années)"
    )


def test_no_change_without_the_year_before_or_structures_in_common(staff_user):
    a, b = StructureFactory(), StructureFactory()
    indicator = IndicatorFactory()
    validated(staff_user, indicator, a, 10, "2025")
    assert change_of(indicator).label == "évolution non calculée : pas de valeur validée du réseau pour 2024"

    validated(staff_user, indicator, b, 10, "2024")
    change = change_of(indicator)
    assert change.percent is None
    assert change.label == "évolution non calculée : pas les mêmes structures (1 en 2025, 1 en 2024, 0 en commun)"


def test_no_change_between_a_value_entered_for_the_network_and_a_sum(staff_user):
    indicator = IndicatorFactory()
    validated(staff_user, indicator, None, 100, "2024")
    validated(staff_user, indicator, StructureFactory(), 120, "2025")
    assert change_of(indicator).label.startswith(
        "évolution non calculée : la valeur de 2024 a été saisie pour le réseau"
    )


def test_breakdown_by_top_level_territory_and_type_of_structure(staff_user):
    drome = TerritoryFactory(name="Drôme")
    valence = TerritoryFactory(name="Bassin de Valence", parent=drome)
    ardeche = TerritoryFactory(name="Ardèche")
    centre = StructureFactory(kind=Structure.Kind.CENTRE_SOCIAL, territory=valence)
    evs = StructureFactory(kind=Structure.Kind.EVS, territory=drome)
    silent = StructureFactory(kind=Structure.Kind.CENTRE_SOCIAL, territory=ardeche)
    habitants = observatory_indicators_ensure()[0]  # every centre social and EVS is expected
    validated(staff_user, habitants, centre, 300, "2024")
    validated(staff_user, habitants, evs, 40, "2024")
    validated(staff_user, habitants, centre, 999, "2023")  # another year: not in the 2024 figure

    found = breakdown([habitants], {habitants.pk: "2024"})[habitants.pk]

    assert [(s.label, s.value, s.coverage.label) for s in found.by_territory] == [
        ("Ardèche", None, "0 structure sur 1"),
        ("Drôme", Decimal(340), "2 structures sur 2"),
    ]
    assert [(s.label, s.value, s.coverage.label, s.coverage.is_partial) for s in found.by_kind] == [
        ("Centre social", Decimal(300), "1 structure sur 2", True),
        ("Espace de vie sociale", Decimal(40), "1 structure sur 1", False),
    ]
    assert silent


def test_breakdown_of_a_mean_is_the_mean_of_each_group(staff_user):
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.MEAN)
    for value in (10, 20):
        validated(staff_user, indicator, StructureFactory(kind=Structure.Kind.EVS), value, "2024")
    target_set(user=staff_user, indicator=indicator, period="2024", value=Decimal(1))
    found = breakdown([indicator], {indicator.pk: "2024"})[indicator.pk]
    assert [(s.label, s.value) for s in found.by_kind] == [("Espace de vie sociale", Decimal(15))]


def test_network_median_of_the_structures_that_reported(staff_user):
    odd, even = IndicatorFactory(), IndicatorFactory()
    for value in (1, 5, 100):
        validated(staff_user, odd, StructureFactory(), value, "2024")
    for value in (1, 5, 7, 100):
        validated(staff_user, even, StructureFactory(), value, "2024")
    draft = measurement_record(
        user=staff_user, indicator=odd, period="2024", structure=StructureFactory(), value=Decimal(1000)
    )
    assert draft.status == "draft"  # not validated: not in the median

    found = network_medians([(odd.pk, "2024"), (even.pk, "2024"), (even.pk, "2023")])

    assert found == {(odd.pk, "2024"): (Decimal(5), 3), (even.pk, "2024"): (Decimal(6), 4)}


def test_comparisons_query_counts_do_not_grow(staff_user, django_assert_max_num_queries):
    indicators = [IndicatorFactory() for _ in range(3)] + observatory_indicators_ensure()
    territory = TerritoryFactory(parent=TerritoryFactory())
    structures = StructureFactory.create_batch(4, territory=territory)
    for indicator in indicators:
        for period in ("2024", "2025"):
            for structure in structures:
                validated(staff_user, indicator, structure, 3, period)
    latest = {indicator.pk: "2025" for indicator in indicators}
    values, covered = network_values(latest), coverage(indicators)
    with django_assert_max_num_queries(2):
        assert len(year_on_year(indicators, latest, values, covered)) == len(indicators)
    with django_assert_max_num_queries(8):
        assert len(breakdown(indicators, latest)) == len(indicators)
    with django_assert_max_num_queries(1):
        assert len(network_medians((pk, "2025") for pk in latest)) == len(indicators)


def test_breakdown_of_a_departmental_network_is_by_bassin_de_vie(staff_user):
    """One top-level territory would split nothing: the level below it does."""
    drome = TerritoryFactory(name="Drôme")
    valence, romans = (TerritoryFactory(name=name, parent=drome) for name in ("Valence", "Romans"))
    commune = TerritoryFactory(name="Bourg-de-Péage", parent=romans)
    indicator = IndicatorFactory()
    for territory, value in [(valence, 10), (commune, 20), (drome, 5)]:
        validated(staff_user, indicator, StructureFactory(territory=territory), value, "2024")

    found = breakdown([indicator], {indicator.pk: "2024"})[indicator.pk]

    # A commune counts in its bassin; a structure attached to the département itself, there.
    assert [(s.label, s.value) for s in found.by_territory] == [
        ("Drôme", Decimal(5)),
        ("Romans", Decimal(20)),
        ("Valence", Decimal(10)),
    ]


def test_a_long_breakdown_shows_the_largest_territories_and_sums_the_others(staff_user):
    indicator = IndicatorFactory()
    for n in range(5):
        territory = TerritoryFactory(name=f"Département {n}")
        for _ in range(n + 1):  # Département 4 has five structures, Département 0 one
            validated(staff_user, indicator, StructureFactory(territory=territory), 10, "2024")
    found = breakdown([indicator], {indicator.pk: "2024"})[indicator.pk]

    shown = found.territories_shown(2)

    assert [(s.label, s.value, s.coverage.label) for s in shown] == [
        ("Département 3", Decimal(40), "4 structures, aucune attendue"),
        ("Département 4", Decimal(50), "5 structures, aucune attendue"),
        ("3 autres territoires", Decimal(60), "6 structures, aucune attendue"),
    ]
    assert sum(s.value for s in shown) == network_values([indicator.pk])[indicator.pk]["2024"]
