"""An action serves only the objectives of its own axis (issue 16): the form offered every
axis's objectives and saved an action of one axis with an objective of another, which the
list import then refused, so that the exported list could not be reimported."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from actions.forms import ActionForm
from actions.models import Action
from actions.resources import ACTION_LIST
from actions.services import actions as action_services
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ObjectiveFactory
from toolkit.tables import table_export, table_import, table_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_axes():
    axis = AxisFactory(title="Jeunesse")
    other = AxisFactory(title="Habitat", chapter=axis.chapter)
    return {
        "axis": axis,
        "own": ObjectiveFactory(axis=axis, text="Mieux accueillir"),
        "stranger": ObjectiveFactory(axis=other, text="Loger les jeunes"),
        "action": ActionFactory(axis=axis, title="Former les équipes"),
    }


def test_the_action_form_offers_only_its_axis_objectives(two_axes):
    form = ActionForm(instance=two_axes["action"], axis=two_axes["axis"])
    assert list(form.fields["objectives"].queryset) == [two_axes["own"]]


def test_a_forged_post_with_another_axis_objective_is_refused_and_changes_nothing(client, staff_user, two_axes):
    client.force_login(staff_user)
    action = two_axes["action"]
    response = client.post(
        reverse("actions:action_update", args=[action.pk]),
        {"title": "Changé", "version": action.version, "weight": 1, "objectives": [two_axes["stranger"].pk]},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "objectives" in response.context["form"].errors
    action.refresh_from_db()
    assert action.title == "Former les équipes" and not action.objectives.exists()


@pytest.mark.parametrize("direction", ["action", "objective"])
def test_any_other_write_is_refused_in_french(two_axes, direction):
    action, stranger = two_axes["action"], two_axes["stranger"]
    with pytest.raises(ValidationError, match="une action ne sert que les objectifs de son axe"), transaction.atomic():
        if direction == "action":
            action.objectives.add(stranger)
        else:
            stranger.actions.add(action)
    assert not action.objectives.exists()
    action.objectives.add(two_axes["own"])  # its own axis's: fine
    assert list(action.objectives.all()) == [two_axes["own"]]


def test_the_service_refuses_it_too(two_axes, staff_user):
    with pytest.raises(ValidationError), transaction.atomic():
        action_services.action_create(
            axis=two_axes["axis"], title="Nouvelle", user=staff_user, objectives=[two_axes["stranger"]]
        )
    assert not Action.objects.filter(title="Nouvelle").exists()


def test_the_exported_list_can_be_reimported(two_axes):
    two_axes["action"].objectives.add(two_axes["own"])
    content = table_export(kind=ACTION_LIST, file_format="csv")
    report = table_import(kind=ACTION_LIST, dataset=table_read(content=content, filename="a.csv"), dry_run=True)
    assert report.ok, report.errors
