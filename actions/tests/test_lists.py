"""The action list (filters, sort, pages, export), history pages and the trash, through the views."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services.journal import update_create
from actions.services.trash import plan_object_trash
from actions.tests.factories import ActionFactory, ActionPartnerFactory, MilestoneFactory
from axes.models import Axis, Objective
from axes.services import axis_update
from axes.tests.factories import AxisFactory, ObjectiveFactory
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {action.title for action in response.context["actions"]}


def test_action_list_filters(client, board_user, staff_user):
    axis, other_axis = AxisFactory(), AxisFactory()
    objective = ObjectiveFactory(axis=axis)
    structure = StructureFactory()
    link = ActionPartnerFactory(
        action=ActionFactory(axis=axis, title="Avec partenaire", start_year=2019, end_year=2020)
    )
    ActionFactory(axis=other_axis, title="Référée", status=Action.Status.LEAD, lead_person=staff_user)
    served = ActionFactory(axis=axis, title="Sert l'objectif", start_year=2023)
    served.objectives.add(objective)
    served.structures.add(structure)
    late = ActionFactory(axis=other_axis, title="En retard", start_year=2024)
    MilestoneFactory(action=late, due_date=date.today() - timedelta(days=3))
    MilestoneFactory(action=served, due_date=date.today() + timedelta(days=3))
    client.force_login(board_user)
    url = reverse("actions:action_list")

    assert titles(client.get(url, {"axis": axis.pk})) == {"Avec partenaire", "Sert l'objectif"}
    assert titles(client.get(url, {"objectives": objective.pk})) == {"Sert l'objectif"}
    assert titles(client.get(url, {"status": ["lead"]})) == {"Référée"}
    assert titles(client.get(url, {"partner": link.partner.pk})) == {"Avec partenaire"}
    assert titles(client.get(url, {"structure": structure.pk})) == {"Sert l'objectif"}
    assert titles(client.get(url, {"year": 2020})) == {"Avec partenaire"}
    assert titles(client.get(url, {"lead_person": staff_user.pk})) == {"Référée"}
    assert titles(client.get(url, {"overdue": "on"})) == {"En retard"}


def test_structure_and_partner_filters_match_names_without_listing_every_structure(client, board_user):
    kept = ActionFactory(title="Avec la Caf")
    ActionPartnerFactory(action=kept, partner__name="Caf de la Drôme")
    kept.structures.add(StructureFactory(name="Centre social La Passerelle"))
    ActionFactory(title="Sans rien")
    idle = StructureFactory(name="Centre social Sans Action")
    client.force_login(board_user)
    url = reverse("actions:action_list")

    assert titles(client.get(url, {"structure": "passerelle"})) == {"Avec la Caf"}
    assert titles(client.get(url, {"partner": "caf de la"})) == {"Avec la Caf"}
    assert titles(client.get(url, {"structure": "inconnue"})) == set()
    page = client.get(url).content.decode()
    assert '<datalist id="partner-suggestions"><option value="Caf de la Drôme"></option></datalist>' in page
    assert idle.name not in page  # structures are typed, not enumerated
    by_id = client.get(url, {"structure": idle.pk}).content.decode()
    assert f"n° {idle.pk} : Centre social Sans Action" in by_id


def test_action_list_sorts_and_pages(client, board_user):
    axis = AxisFactory()
    for i in range(30):
        ActionFactory(axis=axis, title=f"Action {i:02d}")
    client.force_login(board_user)
    url = reverse("actions:action_list")
    first_page = client.get(url, {"sort": "-title"})
    assert [a.title for a in first_page.context["actions"]][:2] == ["Action 29", "Action 28"]
    assert first_page.context["page"].paginator.num_pages == 2
    second = client.get(url, {"sort": "-title", "page": 2})
    assert [a.title for a in second.context["actions"]][-1] == "Action 00"
    assert "sort=-title&amp;page=2" in first_page.content.decode()  # the pages keep the sort


def test_export_is_the_filtered_list(client, board_user):
    axis = AxisFactory()
    ActionFactory(axis=axis, title="Gardée", status=Action.Status.DONE)
    ActionFactory(axis=axis, title="Écartée", status=Action.Status.LEAD)
    client.force_login(board_user)
    response = client.get(reverse("actions:action_export", args=["csv"]), {"status": ["done"]})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["intitulé"] for row in rows] == ["Gardée"]
    xlsx = client.get(reverse("actions:action_export", args=["xlsx"]), {"status": ["done"]})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("actions:action_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_action_list_query_count(client, board_user, django_assert_max_num_queries, size):
    axis = AxisFactory()
    for _ in range(size):
        action = ActionPartnerFactory(action=ActionFactory(axis=axis)).action
        MilestoneFactory(action=action)
    client.force_login(board_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("actions:action_list"), {"sort": "title"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_action_page_query_count(client, staff_user, django_assert_max_num_queries, size):
    action = ActionFactory()
    for i in range(size):
        MilestoneFactory(action=action)
        ActionPartnerFactory(action=action)
        action.objectives.add(ObjectiveFactory(axis=action.axis))
        update_create(action=action, author=staff_user, text=f"Entrée {i}")
    client.force_login(staff_user)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert len(response.context["action"].updates.all()) == size


@pytest.mark.parametrize("size", [2, 20])
def test_objective_page_query_count(client, board_user, django_assert_max_num_queries, size):
    objective = ObjectiveFactory()
    for _ in range(size):
        ActionFactory(axis=objective.axis, lead_person=board_user).objectives.add(objective)
    client.force_login(board_user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("actions:objective_detail", args=[objective.pk]))
    assert len(response.context["objective"].action_list) == size


# History


def test_history_page_is_a_readable_french_diff(client, staff_user, board_user):
    axis = AxisFactory(title="Ancien titre")
    axis_update(axis=axis, data={"title": "Nouveau titre"}, expected_version=1, user=staff_user, reason="Plus clair")
    client.force_login(board_user)
    response = client.get(reverse("actions:object_history", args=["axis", axis.pk]))
    content = response.content.decode()
    assert "Titre</strong> : <del>Ancien titre</del> → <ins>Nouveau titre</ins>" in content
    assert "Motif : Plus clair" in content and "Camille Test" in content
    assert "Rétablir cette version" not in content  # board members cannot restore


def test_staff_restore_an_earlier_version(client, staff_user):
    objective = ObjectiveFactory(text="Texte d'origine")
    from axes.services import objective_update

    objective_update(objective=objective, data={"text": "Texte réécrit"}, expected_version=1, user=staff_user)
    first = objective.history.earliest("history_date")
    client.force_login(staff_user)
    page = client.get(reverse("actions:object_history", args=["objective", objective.pk])).content.decode()
    assert "Rétablir cette version" in page
    client.post(reverse("actions:object_history_restore", args=["objective", objective.pk, first.history_id]))
    objective.refresh_from_db()
    assert objective.text == "Texte d'origine" and objective.version == 3


@pytest.mark.parametrize("size", [2, 25])
def test_history_page_query_count(client, staff_user, django_assert_max_num_queries, size):
    axis = AxisFactory()
    for i in range(size):
        axis = axis_update(axis=axis, data={"stakes": f"Version {i}"}, expected_version=axis.version, user=staff_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("actions:object_history", args=["axis", axis.pk]))
    assert len(response.context["entries"]) == size + 1


# The trash


def test_deleting_an_axis_with_actions_asks_where_to_move_them(client, staff_user):
    action = ActionFactory()
    axis, other = action.axis, AxisFactory()
    client.force_login(staff_user)
    url = reverse("actions:object_delete", args=["axis", axis.pk])
    refused = client.post(url)
    assert refused.status_code == 200
    assert "porte encore 1 action" in refused.content.decode()
    assert Axis.objects.filter(pk=axis.pk).exists()

    moved = client.post(url, {"move_actions_to": other.pk})
    assert moved.status_code == 302
    assert not Axis.objects.filter(pk=axis.pk).exists()
    assert Action.objects.get().axis == other


def test_trash_round_trip_through_the_pages(client, staff_user, superuser):
    objective = ObjectiveFactory(text="Objectif à retrouver")
    axis = objective.axis
    client.force_login(staff_user)
    client.post(reverse("actions:object_delete", args=["axis", axis.pk]))
    trash = client.get(reverse("actions:trash_list")).content.decode()
    assert axis.title in trash and "Objectif à retrouver" in trash and "revient avec son parent" in trash
    assert "Vider la corbeille" not in trash

    client.post(reverse("actions:trash_restore", args=["axis", axis.pk]))
    assert Objective.objects.get() == objective
    assert "La corbeille est vide" in client.get(reverse("actions:trash_list")).content.decode()

    client.post(reverse("actions:object_delete", args=["objective", objective.pk]))
    assert client.post(reverse("actions:trash_empty")).status_code == 403
    assert Objective.all_objects.filter(pk=objective.pk).exists()
    client.force_login(superuser)
    client.post(reverse("actions:trash_empty"))
    assert not Objective.all_objects.filter(pk=objective.pk).exists()


@pytest.mark.parametrize("size", [2, 20])
def test_trash_page_query_count(client, staff_user, django_assert_max_num_queries, size):
    for _ in range(size):
        objective = ObjectiveFactory()
        plan_object_trash(obj=objective.axis, user=staff_user)
        plan_object_trash(obj=ActionFactory(), user=staff_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("actions:trash_list"))
    assert response.status_code == 200


def test_filter_form_ties_labels_help_and_errors_to_their_inputs(client, board_user):
    axis = AxisFactory()
    ActionFactory(axis=axis)
    odd = StructureFactory(name="<b>Centre</b>")
    client.force_login(board_user)
    page = client.get(reverse("actions:action_list"), {"axis": axis.pk, "year": "bientôt", "structure": odd.pk})
    html = page.content.decode()

    assert '<label for="id_axis" class="form-label">Axe</label>' in html
    assert f'<option value="{axis.pk}" selected>' in html  # the chosen filter stays chosen
    year_input = re.search(r'<input [^>]*id="id_year">', html).group()
    assert 'class="form-control is-invalid"' in year_input
    assert 'aria-invalid="true" aria-describedby="id_year_error"' in year_input
    assert '<div id="id_year_error" class="invalid-feedback d-block">' in html
    assert 'aria-describedby="id_partner_helptext"' in html and 'id="id_partner_helptext"' in html
    assert '<legend class="form-label fs-6">Statut</legend>' in html
    assert '<label for="id_status_0" class="form-check-label">' in html
    assert "&lt;b&gt;Centre&lt;/b&gt;" in html and "<b>Centre</b>" not in html  # a name in a help text is escaped
