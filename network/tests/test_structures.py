"""Structures and the territory tree, for staff (issue 14)."""

import pytest
from django.urls import reverse

from network.models import Structure, Territory
from network.tests.factories import StructureFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_structure_with_every_field(client, staff_user):
    drome = TerritoryFactory(name="Drôme", kind=Territory.Kind.DEPARTEMENT)
    client.force_login(staff_user)
    response = client.post(
        reverse("network:structure_create"),
        {
            "name": "Centre social de Crest",
            "kind": Structure.Kind.CENTRE_SOCIAL,
            "territory": drome.pk,
            "address": "3 rue de la Tour, 26400 Crest",
            "governance": Structure.Governance.ASSOCIATIVE,
            "caf_approval_ends_on": "2027-06-30",
        },
    )
    structure = Structure.objects.get(name="Centre social de Crest")
    assert response.status_code == 302 and response["Location"] == structure.get_absolute_url()
    assert (structure.territory, structure.governance, str(structure.caf_approval_ends_on)) == (
        drome,
        "associative",
        "2027-06-30",
    )
    assert structure.history.first().history_user == staff_user


def test_a_duplicate_name_is_refused_in_french_and_the_input_kept(client, staff_user):
    StructureFactory(name="Centre social de Crest")
    other = StructureFactory(name="EVS de Die")
    client.force_login(staff_user)
    response = client.post(
        reverse("network:structure_edit", args=[other.pk]), {"name": "centre social de CREST", "kind": "evs"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Une structure porte déjà ce nom" in page and 'value="centre social de CREST"' in page
    other.refresh_from_db()
    assert other.name == "EVS de Die"


def test_a_territory_moves_but_never_under_itself_or_its_descendants(client, staff_user):
    drome = TerritoryFactory(name="Drôme", kind=Territory.Kind.DEPARTEMENT)
    valence = TerritoryFactory(name="Bassin valentinois", kind=Territory.Kind.BASSIN, parent=drome)
    bourg = TerritoryFactory(name="Bourg-lès-Valence", kind=Territory.Kind.COMMUNE, parent=valence)
    ardeche = TerritoryFactory(name="Ardèche", kind=Territory.Kind.DEPARTEMENT)
    client.force_login(staff_user)
    for parent in (drome, bourg):
        response = client.post(
            reverse("network:territory_edit", args=[drome.pk]),
            {"name": "Drôme", "kind": "departement", "parent": parent.pk},
        )
        assert response.status_code == 200
        assert "ne peut pas être placé sous lui-même" in response.content.decode()
    drome.refresh_from_db()
    assert drome.parent is None
    client.post(
        reverse("network:territory_edit", args=[valence.pk]),
        {"name": "Bassin valentinois", "kind": "bassin", "parent": ardeche.pk},
    )
    valence.refresh_from_db()
    assert valence.parent == ardeche and bourg.pk in Territory.objects.subtree_ids(ardeche)
    response = client.post(reverse("network:territory_create"), {"name": "Diois", "kind": "bassin", "parent": drome.pk})
    assert response.status_code == 302 and Territory.objects.get(name="Diois").parent == drome


def test_directors_and_board_cannot_edit_the_network(client, director_user, board_user):
    structure = director_user.structures.get()
    for user in (director_user, board_user):
        client.force_login(user)
        response = client.post(reverse("network:structure_edit", args=[structure.pk]), {"name": "Pris", "kind": "evs"})
        assert response.status_code == 403
    structure.refresh_from_db()
    assert structure.name != "Pris"
