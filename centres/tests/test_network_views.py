import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import ActionFactory
from centres.reporting import due_period
from centres.services import participation_decide, participation_propose
from indicators.models import Measurement
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network.models import Territory
from network.tests.factories import StructureFactory, TerritoryFactory, director_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drome(db):
    departement = TerritoryFactory(name="Drôme", kind=Territory.Kind.DEPARTEMENT)
    bassin = TerritoryFactory(name="Valentinois", kind=Territory.Kind.BASSIN, parent=departement)
    commune = TerritoryFactory(name="Bourg-lès-Valence", kind=Territory.Kind.COMMUNE, parent=bassin)
    return departement, bassin, commune


def test_territory_page_groups_structures_with_actions_reporting_and_approval(client, drome, staff_user, board_user):
    departement, bassin, commune = drome
    soon = timezone.localdate() + datetime.timedelta(days=100)
    alpha = StructureFactory(name="Centre Alpha", territory=commune, caf_approval_ends_on=soon)
    beta = StructureFactory(name="Centre Bêta", territory=bassin)
    StructureFactory(name="Ailleurs", territory=TerritoryFactory(name="Ardèche"))
    action = ActionFactory(title="Jardins partagés")
    participation = participation_propose(user=director_for(alpha), action=action, structure=alpha, contribution="x")
    participation_decide(user=staff_user, participation=participation, accept=True)
    indicator = IndicatorFactory(actions=[action])
    action.structures.add(beta)
    MeasurementFactory(
        indicator=indicator,
        structure=alpha,
        period=due_period(indicator.frequency),
        status=Measurement.Status.SUBMITTED,
    )

    client.force_login(board_user)
    response = client.get(reverse("centres:territory_detail", args=[departement.pk]))
    page = response.content.decode()
    assert "Centre Alpha" in page and "Centre Bêta" in page and "Ailleurs" not in page
    assert "Jardins partagés" in page
    groups = {group.territory.name: group for group in response.context["groups"]}
    assert set(groups) == {"Valentinois", "Bourg-lès-Valence"}
    [alpha_row] = groups["Bourg-lès-Valence"].rows
    [beta_row] = groups["Valentinois"].rows
    assert (alpha_row.submitted, alpha_row.late) == (1, 0)
    assert (beta_row.submitted, beta_row.late) == (0, 1)
    assert alpha_row.approval_ends_soon and not beta_row.approval_ends_soon
    assert "Fin dans moins de 12 mois" in page


def test_network_pages_show_no_values(client, drome, board_user):
    structure = StructureFactory(territory=drome[2])
    action = ActionFactory()
    action.structures.add(structure)
    MeasurementFactory(
        indicator=IndicatorFactory(actions=[action]),
        structure=structure,
        value=None,
        text="brouillon-secret",
    )
    client.force_login(board_user)
    for url in (
        reverse("centres:structure_detail", args=[structure.pk]),
        reverse("centres:structure_list"),
        reverse("centres:territory_detail", args=[drome[0].pk]),
    ):
        assert "brouillon-secret" not in client.get(url).content.decode()


def test_territory_list_shows_the_tree_and_ending_approvals(client, drome, board_user):
    StructureFactory(
        name="Centre Gamma",
        territory=drome[2],
        caf_approval_ends_on=timezone.localdate(),
    )
    client.force_login(board_user)
    page = client.get(reverse("centres:territory_list")).content.decode()
    assert page.index("Drôme") < page.index("Valentinois") < page.index("Bourg-lès-Valence")
    assert "Centre Gamma" in page


def test_many_ending_approvals_show_the_soonest_and_lead_to_the_filtered_list(client, drome, board_user):
    from centres.views.network import APPROVALS_SHOWN, STRUCTURES_PER_PAGE

    today = timezone.localdate()
    total = STRUCTURES_PER_PAGE + 2
    for n in range(total):
        StructureFactory(name=f"Centre {n:02d}", caf_approval_ends_on=today + datetime.timedelta(days=total - n))
    StructureFactory(name="Centre tranquille", caf_approval_ends_on=today + datetime.timedelta(days=800))
    client.force_login(board_user)
    page = client.get(reverse("centres:territory_list"))
    html = page.content.decode()
    assert [s.name for s in page.context["approval_soon"]] == [f"Centre {n:02d}" for n in range(total - 1, -1, -1)][
        :APPROVALS_SHOWN
    ]
    link = f"{reverse('centres:structure_list')}?agrement=bientot"
    assert f'<a href="{link}">Voir les {total} structures concernées</a>' in html
    listed = client.get(link)
    assert listed.context["page"].paginator.count == total  # not « Centre tranquille »
    assert [row.structure.name for row in listed.context["rows"]][:2] == [
        f"Centre {total - 1:02d}",
        f"Centre {total - 2:02d}",
    ]
    assert "dont l’agrément Caf prend fin dans les 12 mois" in listed.content.decode()
    assert "?agrement=bientot&amp;page=2" in listed.content.decode()  # the filter follows the pages
    second = client.get(f"{link}&page=2")
    assert [row.structure.name for row in second.context["rows"]] == ["Centre 01", "Centre 00"]


@pytest.mark.parametrize("size", [2, 12])
def test_network_pages_query_count(client, drome, board_user, size, django_assert_max_num_queries):
    action = ActionFactory()
    indicator = IndicatorFactory(actions=[action])
    for n in range(size):
        structure = StructureFactory(territory=drome[n % 3])
        action.structures.add(structure)
        MeasurementFactory(
            indicator=indicator,
            structure=structure,
            period=due_period(indicator.frequency),
        )
    client.force_login(board_user)
    for url in (
        reverse("centres:territory_list"),
        reverse("centres:territory_detail", args=[drome[0].pk]),
        reverse("centres:structure_list"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_structure_list_pages_by_fifty_and_filters_by_name(client, board_user):
    for n in range(55):
        StructureFactory(name=f"Centre {n:02d}")
    StructureFactory(name="Maison pour tous Les Tilleuls")
    client.force_login(board_user)
    url = reverse("centres:structure_list")

    first = client.get(url)
    assert [row.structure.name for row in first.context["rows"]][:2] == ["Centre 00", "Centre 01"]
    assert len(first.context["rows"]) == 50
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["rows"]) == 6
    assert "Maison pour tous Les Tilleuls" in second.content.decode()

    found = client.get(url, {"q": "tilleuls"})
    assert [row.structure.name for row in found.context["rows"]] == ["Maison pour tous Les Tilleuls"]
    assert "1 structure dont le nom contient « tilleuls »" in found.content.decode()
