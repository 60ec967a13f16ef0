"""An indicator evaluates several actions (issue 14): each of them makes its structures report it,
« Mon centre » included, and one in the trash stops only its own structures from being expected."""

import pytest
from django.urls import reverse

from actions.services.trash import plan_object_trash
from actions.tests.factories import ActionFactory
from centres.reporting import due_period, structure_obligations
from indicators.coverage import expected_structures
from indicators.models import Indicator
from indicators.tests.factories import IndicatorFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
DUE = due_period(Indicator.Frequency.YEARLY)


@pytest.fixture
def two_actions():
    gardens, workshops = ActionFactory(title="Jardins partagés"), ActionFactory(title="Ateliers numériques")
    alpha, beta, gamma = (StructureFactory(name=name) for name in ("Centre Alpha", "Centre Bêta", "Centre Gamma"))
    gardens.structures.add(alpha)
    workshops.structures.add(beta)
    indicator = IndicatorFactory(name="Familles accueillies", actions=[gardens, workshops])
    return {
        "gardens": gardens,
        "workshops": workshops,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "indicator": indicator,
    }


def test_a_structure_of_either_action_reports_the_indicator_in_its_centre(client, two_actions):
    indicator = two_actions["indicator"]
    for name in ("alpha", "beta"):
        structure = two_actions[name]
        assert [o.indicator for o in structure_obligations(structure)] == [indicator]
        client.force_login(director_for(structure, username=f"dir-{name}"))
        page = client.get(reverse("centres:centre_detail", args=[structure.pk])).content.decode()
        assert "Familles accueillies" in page
    assert structure_obligations(two_actions["gamma"]) == []


def test_the_indicator_page_and_list_name_both_actions(client, board_user, two_actions):
    client.force_login(board_user)
    detail = client.get(two_actions["indicator"].get_absolute_url()).content.decode()
    for action in (two_actions["gardens"], two_actions["workshops"]):
        assert f'<a href="{action.get_absolute_url()}">{action.title}</a>' in detail
    listed = client.get(reverse("indicators:indicator_list")).content.decode()
    assert "Action : Jardins partagés" in listed and "Action : Ateliers numériques" in listed


def test_an_action_in_the_trash_stops_only_its_own_structures(client, staff_user, board_user, two_actions):
    indicator, gardens = two_actions["indicator"], two_actions["gardens"]
    plan_object_trash(obj=gardens, user=staff_user)
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert expected_structures([indicator], {indicator.pk: [DUE]})[(indicator.pk, DUE)] == {two_actions["beta"].pk}
    client.force_login(board_user)
    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert "Ateliers numériques" in detail and "Jardins partagés" not in detail
    # The link stays, hidden: the action back from the trash evaluates the indicator again.
    assert Indicator.actions.through.objects.filter(indicator=indicator, action=gardens).exists()


def test_staff_choose_several_actions_in_the_form(client, staff_user, two_actions):
    gardens, workshops = two_actions["gardens"], two_actions["workshops"]
    client.force_login(staff_user)
    form = client.get(reverse("indicators:indicator_create")).content.decode()
    assert 'name="actions"' in form and "multiple" in form and reverse("autocomplete_actions") in form
    data = {
        "code": "ateliers",
        "name": "Ateliers menés",
        "direction": "up",
        "aggregation": "sum",
        "frequency": "yearly",
        "actions": [gardens.pk, workshops.pk],
    }
    assert client.post(reverse("indicators:indicator_create"), data).status_code == 302
    indicator = Indicator.objects.get(code="ateliers")
    assert set(indicator.actions.all()) == {gardens, workshops}

    edit = reverse("indicators:indicator_edit", args=[indicator.pk])
    page = client.get(edit).content.decode()
    assert "Jardins partagés" in page and "Ateliers numériques" in page  # both shown as chosen
    assert client.post(edit, {**data, "actions": [workshops.pk], "version": indicator.version}).status_code == 302
    assert list(indicator.actions.all()) == [workshops]
