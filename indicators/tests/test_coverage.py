"""Coverage of a network figure: how many of the structures expected to report it it counts."""

from decimal import Decimal

import pytest
from django.utils import timezone

from actions.models import Participation
from actions.tests.factories import ActionFactory
from indicators.coverage import Coverage, coverage, expected_structures, may_expect, missing_structures
from indicators.models import Indicator
from indicators.observatory import observatory_indicators_ensure
from indicators.services import measurement_record, measurement_submit, measurement_validate, target_set
from indicators.tests.factories import IndicatorFactory
from network.models import Structure
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def validated(staff_user, indicator, structure, value, period="2024"):
    measurement = measurement_record(
        user=staff_user, indicator=indicator, period=period, structure=structure, value=Decimal(value)
    )
    return measurement_validate(user=staff_user, measurement=measurement)


def test_one_of_two_expected_structures_reported_a_partial_sum(staff_user):
    a, b = StructureFactory(name="A"), StructureFactory(name="B")
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.SUM)
    for structure in (a, b):
        target_set(user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(10))
    validated(staff_user, indicator, a, 14)
    # B entered a value but it is not validated: it is not in the figure yet.
    measurement_submit(
        user=staff_user,
        measurement=measurement_record(
            user=staff_user, indicator=indicator, period="2024", structure=b, value=Decimal(3)
        ),
    )

    found = coverage([indicator])[(indicator.pk, "2024")]

    assert (found.reported, found.expected, found.missing) == (1, 2, 1)
    assert found.label == "1 structure sur 2"
    assert found.is_partial
    assert [(s.name, s.entered_status) for s in missing_structures(indicator, "2024")] == [("B", "submitted")]


def test_a_mean_over_part_of_the_network_is_not_called_a_partial_sum(staff_user):
    a, b = StructureFactory(), StructureFactory()
    indicator = IndicatorFactory(aggregation=Indicator.Aggregation.MEAN)
    for structure in (a, b):
        target_set(user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(10))
    validated(staff_user, indicator, a, 14)

    found = coverage([indicator])[(indicator.pk, "2024")]
    assert found.label == "1 structure sur 2" and not found.is_partial


def test_a_value_entered_for_the_network_is_labelled_so(staff_user):
    a = StructureFactory()
    indicator = IndicatorFactory()
    target_set(user=staff_user, indicator=indicator, period="2024", structure=a, value=Decimal(10))
    validated(staff_user, indicator, None, 120)

    found = coverage([indicator])[(indicator.pk, "2024")]
    assert found.network_entered and found.label == "saisie pour le réseau"
    assert not found.is_partial and found.missing == 0


def test_structures_not_expected_are_counted_apart(staff_user):
    expected, volunteer = StructureFactory(), StructureFactory()
    indicator = IndicatorFactory()
    target_set(user=staff_user, indicator=indicator, period="2024", structure=expected, value=Decimal(10))
    validated(staff_user, indicator, expected, 5)
    validated(staff_user, indicator, volunteer, 7)
    unexpected_only = IndicatorFactory()
    validated(staff_user, unexpected_only, volunteer, 7)

    found = coverage([indicator, unexpected_only])
    assert found[(indicator.pk, "2024")].label == "1 structure sur 1, et 1 non attendue"
    assert found[(unexpected_only.pk, "2024")].label == "1 structure, aucune attendue"


def test_observatory_figures_expect_every_centre_social_and_evs(staff_user):
    habitants = observatory_indicators_ensure()[0]
    centre = StructureFactory(kind=Structure.Kind.CENTRE_SOCIAL)
    StructureFactory(kind=Structure.Kind.EVS)
    federation = StructureFactory(kind=Structure.Kind.FEDERATION)
    validated(staff_user, habitants, centre, 300)
    validated(staff_user, habitants, federation, 10)

    found = coverage([habitants])[(habitants.pk, "2024")]
    assert (found.reported, found.expected, found.others) == (1, 2, 1)
    assert found.label == "1 structure sur 2, et 1 non attendue"


def test_coverage_for_given_periods_includes_periods_without_values(staff_user):
    action = ActionFactory()
    indicator = IndicatorFactory(actions=[action])
    action.structures.add(StructureFactory())
    assert coverage([indicator], ["2023"]) == {(indicator.pk, "2023"): Coverage(expected=1, summed=True)}
    assert coverage([indicator], ["2023"])[(indicator.pk, "2023")].label == "0 structure sur 1"


def test_the_two_forms_of_the_rule_agree(staff_user):
    """The sets (« Qui a transmis ») and the SQL condition (coverage, who is missing) name the
    same structures, for each clause of the rule."""
    action = ActionFactory()
    targeted, participant, designated, centre, evs, bystander = (
        StructureFactory(name=name, kind=kind)
        for name, kind in [
            ("Ciblée", Structure.Kind.CENTRE_SOCIAL),
            ("Participante", Structure.Kind.CENTRE_SOCIAL),
            ("Désignée", Structure.Kind.CENTRE_SOCIAL),
            ("Centre", Structure.Kind.CENTRE_SOCIAL),
            ("EVS", Structure.Kind.EVS),
            ("Fédé", Structure.Kind.FEDERATION),
        ]
    )
    declined = StructureFactory(name="Déclinée", kind=Structure.Kind.FEDERATION)
    by_target, by_action = IndicatorFactory(), IndicatorFactory(actions=[action])
    habitants = observatory_indicators_ensure()[0]
    for indicator in (by_target, by_action, habitants):
        target_set(user=staff_user, indicator=indicator, period="2024", structure=targeted, value=Decimal(1))
        target_set(user=staff_user, indicator=indicator, period="2023", structure=bystander, value=Decimal(1))
    # Participations as staff decide them (their pages are in centres/, above this app).
    for structure, status in [(participant, Participation.Status.ACCEPTED), (declined, Participation.Status.DECLINED)]:
        Participation.objects.create(
            action=action, structure=structure, contribution="x", status=status, decided_at=timezone.now()
        )
    action.structures.add(designated)

    indicators = (by_target, by_action, habitants)
    sets = expected_structures(indicators, {indicator.pk: ["2024"] for indicator in indicators})
    names = {pk: name for pk, name in Structure.objects.values_list("pk", "name")}
    assert {names[pk] for pk in sets[(by_target.pk, "2024")]} == {"Ciblée"}
    assert {names[pk] for pk in sets[(by_action.pk, "2024")]} == {"Ciblée", "Participante", "Désignée"}
    assert {names[pk] for pk in sets[(habitants.pk, "2024")]} == {
        "Ciblée",
        "Participante",
        "Désignée",
        "Centre",
        "EVS",
    }
    # The third form, per structure (« Mon centre »): the indicators it may be expected to
    # report, whatever the period, are those the sets expect it for in some period.
    any_period = expected_structures(indicators, {indicator.pk: ["2023", "2024"] for indicator in indicators})
    for structure in Structure.objects.all():
        may = set(Indicator.objects.filter(pk__in=[i.pk for i in indicators]).filter(may_expect(structure)))
        assert may == {i for i in indicators if any(structure.pk in any_period[(i.pk, p)] for p in ("2023", "2024"))}
        assert (by_action in may) is (structure.name in {"Ciblée", "Participante", "Désignée", "Fédé"})
    for indicator in indicators:
        assert {s.pk for s in missing_structures(indicator, "2024")} == sets[(indicator.pk, "2024")]
        for structure in Structure.objects.all():
            validated(staff_user, indicator, structure, 1)
        found = coverage([indicator])[(indicator.pk, "2024")]
        assert found.reported == len(sets[(indicator.pk, "2024")])
        assert found.reported + found.others == Structure.objects.count()
    assert centre and evs  # named above for the reader


def test_coverage_query_count_does_not_grow(staff_user, django_assert_max_num_queries):
    from django.core.cache import caches

    action = ActionFactory()
    indicators = [IndicatorFactory(actions=[action]) for _ in range(3)] + observatory_indicators_ensure()
    structures = StructureFactory.create_batch(4)
    action.structures.add(*structures[:2])
    for indicator in indicators:
        for period in ("2023", "2024"):
            for structure in structures:
                validated(staff_user, indicator, structure, 2, period)
    caches["aggregates"].clear()
    with django_assert_max_num_queries(7):
        found = coverage(indicators)
    assert len(found) == len(indicators) * 2
