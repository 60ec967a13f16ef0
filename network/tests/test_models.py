import datetime

import pytest

from network.models import Structure, Territory, approval_warning_limit
from network.tests.factories import StructureFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def drome_tree():
    drome = TerritoryFactory(name="Drôme", kind=Territory.Kind.DEPARTEMENT)
    valence = TerritoryFactory(name="Bassin valentinois", kind=Territory.Kind.BASSIN, parent=drome)
    bourg = TerritoryFactory(name="Bourg-lès-Valence", kind=Territory.Kind.COMMUNE, parent=valence)
    diois = TerritoryFactory(name="Diois", kind=Territory.Kind.BASSIN, parent=drome)
    return drome, valence, bourg, diois


def test_tree_lists_parents_before_children_with_depth(django_assert_num_queries):
    drome, valence, bourg, diois = drome_tree()
    with django_assert_num_queries(1):
        tree = Territory.objects.tree()
    assert tree == [(drome, 0), (valence, 1), (bourg, 2), (diois, 1)]


def test_subtree_ids_holds_the_territory_and_everything_below():
    drome, valence, bourg, diois = drome_tree()
    assert Territory.objects.subtree_ids(valence) == {valence.pk, bourg.pk}
    assert Territory.objects.subtree_ids(drome) == {
        drome.pk,
        valence.pk,
        bourg.pk,
        diois.pk,
    }


def test_approval_ending_within_twelve_months_is_flagged():
    today = datetime.date(2025, 3, 15)
    soon = StructureFactory(caf_approval_ends_on=datetime.date(2026, 3, 15))
    later = StructureFactory(caf_approval_ends_on=datetime.date(2026, 3, 16))
    ended = StructureFactory(caf_approval_ends_on=datetime.date(2024, 12, 31))
    unknown = StructureFactory(caf_approval_ends_on=None)
    flagged = set(Structure.objects.approval_ending_soon(today))
    assert flagged == {soon, ended}
    assert soon.approval_ends_soon(today) and not later.approval_ends_soon(today)
    assert not unknown.approval_ends_soon(today)


def test_approval_window_from_29_february():
    assert approval_warning_limit(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_directed_by_gives_only_the_users_structures():
    director = UserFactory()
    mine, other = StructureFactory(), StructureFactory()
    mine.directors.add(director)
    assert list(Structure.objects.directed_by(director)) == [mine]
    assert mine.is_directed_by(director) and not other.is_directed_by(director)
