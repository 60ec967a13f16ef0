"""The values import keeps its promises at size (its behaviour is tested in test_import.py)."""

import pytest

from indicators.imports.values import values_import
from indicators.models import Measurement

from .factories import csv

pytestmark = pytest.mark.django_db


def test_bulk_import_writes_history_and_counts_in_a_fixed_number_of_queries(
    world,  # noqa: F811
    staff_user,
    django_assert_max_num_queries,
):
    from network.tests.factories import StructureFactory

    names = [s.name for s in StructureFactory.create_batch(300)]
    body = "".join(f"{name};benevoles;2024;{n}\n" for n, name in enumerate(names))
    dataset = csv("structure;indicateur;période;valeur\n" + body)
    with django_assert_max_num_queries(20):
        report = values_import(user=staff_user, dataset=dataset, dry_run=False, validate=True)
    assert report.ok and report.created == 300
    assert Measurement.objects.filter(status="validated", validated_by=staff_user).count() == 300
    history = Measurement.history.filter(history_type="+")
    assert history.count() == 300 and set(history.values_list("history_user", flat=True)) == {staff_user.pk}
    # The history says where the rows came from, and that they were validated in bulk.
    assert set(history.values_list("history_change_reason", flat=True)) == {"Import de fichier (valeurs validées)"}


def test_bulk_import_refuses_the_same_value_twice_in_a_file(world, staff_user):  # noqa: F811
    dataset = csv(
        "structure;indicateur;période;valeur\nEVS du Vercors;benevoles;2024;1\nEVS du Vercors;benevoles;2024;2\n"
    )
    report = values_import(user=staff_user, dataset=dataset, dry_run=False)
    assert [(e.line, e.message) for e in report.errors] == [
        (3, "Même structure, indicateur et période qu’à la ligne 2.")
    ]
    assert not Measurement.objects.exists()


def test_a_director_imports_only_for_their_structure(world, director_user):  # noqa: F811
    own = director_user.structures.get()
    dataset = csv(
        f"structure;indicateur;période;valeur\n{own.name};benevoles;2024;1\nEVS du Vercors;benevoles;2024;2\n"
    )
    report = values_import(user=director_user, dataset=dataset, dry_run=False)
    assert [e.line for e in report.errors] == [3] and not Measurement.objects.exists()
