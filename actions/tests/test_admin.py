"""The admin is a superuser's tool (issue 14): deleting a plan object there puts it in the trash
(recoverable), and an edit there goes through the same version check as the application's."""

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services.trash import plan_object_restore
from actions.tests.factories import ActionFactory
from axes.models import Objective

pytestmark = pytest.mark.django_db


def test_an_admin_deletion_goes_to_the_trash_and_is_restored(client, superuser, seeded_plan):
    objective = Objective.objects.filter(axis__chapter__plan=seeded_plan).first()
    action = ActionFactory(title="Action supprimée dans l'admin")
    client.force_login(superuser)
    for obj, name in ((objective, "axes_objective"), (action, "actions_action")):
        url = reverse(f"admin:{name}_delete", args=[obj.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"post": "yes"}, follow=True)
        assert "est dans la corbeille" in response.content.decode()
        trashed = type(obj).all_objects.get(pk=obj.pk)
        assert trashed.in_trash and trashed.deleted_by == superuser
        assert not type(obj).objects.filter(pk=obj.pk).exists()
        plan_object_restore(obj=trashed, user=superuser)
        assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Action.objects.get(pk=action.pk).title == "Action supprimée dans l'admin"


def test_an_axis_holding_actions_is_not_trashed_from_the_admin(client, superuser):
    action = ActionFactory()
    client.force_login(superuser)
    response = client.post(reverse("admin:axes_axis_delete", args=[action.axis_id]), {"post": "yes"}, follow=True)
    page = response.content.decode()
    # Refused before anything is trashed (the admin sees the protected actions; the trash service would refuse too).
    assert "Impossible de supprimer" in page or "Rien n'a été mis à la corbeille" in page
    assert not type(action.axis).all_objects.get(pk=action.axis_id).in_trash


def test_the_bulk_delete_action_is_gone_for_plan_objects(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert 'value="delete_selected"' not in page
