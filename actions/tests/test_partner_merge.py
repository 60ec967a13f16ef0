"""Merging two partners that are the same (issue 14): every link kept, duplicates collapsed,
the merge in the history, a confirmation page first."""

import pytest
from django.urls import reverse

from actions.models import Action, ActionPartner
from actions.services.partners import partner_merge
from actions.tests.factories import ActionFactory
from network.models import Partner
from network.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cafs():
    kept = PartnerFactory(name="Caf de la Drôme")
    duplicate = PartnerFactory(name="CAF Drôme")
    both = ActionFactory(title="Jardins partagés")
    only_duplicate = ActionFactory(title="Accueil des familles")
    trashed = ActionFactory(title="Ancienne action")
    ActionPartner.objects.create(action=both, partner=kept, role="financeur")
    ActionPartner.objects.create(action=both, partner=duplicate, role="co-portage")
    ActionPartner.objects.create(action=only_duplicate, partner=duplicate, role="partenariat")
    ActionPartner.objects.create(action=trashed, partner=duplicate)
    Action.all_objects.filter(pk=trashed.pk).update(deleted_at="2026-01-01T00:00:00Z")
    return kept, duplicate, both, only_duplicate, trashed


def test_merge_keeps_every_link_and_collapses_the_same_action(two_cafs, staff_user):
    kept, duplicate, both, only_duplicate, trashed = two_cafs
    plan = partner_merge(user=staff_user, source=duplicate, target=kept)
    assert plan.link_count == 3
    assert not Partner.objects.filter(pk=duplicate.pk).exists()
    links = {link.action_id: link.role for link in ActionPartner.all_objects.filter(partner=kept)}
    assert links == {both.pk: "financeur ; co-portage", only_duplicate.pk: "partenariat", trashed.pk: ""}
    assert ActionPartner.all_objects.count() == 3
    removed = Partner.history.filter(id=duplicate.pk).latest("history_date")
    assert removed.history_type == "-" and removed.history_change_reason == "Fusionné dans « Caf de la Drôme »"
    assert removed.history_user == staff_user
    moved = ActionPartner.history.filter(action_id=only_duplicate.pk).latest("history_date")
    assert moved.history_change_reason == "Fusion de « CAF Drôme » dans « Caf de la Drôme »"


def test_every_relation_to_partner_is_handled_by_the_merge():
    """A new model linking to Partner must be looked at: the merge moves it generically, and
    this list says it was thought of."""
    relations = {(rel.related_model._meta.label, rel.field.name) for rel in Partner._meta.related_objects}
    assert relations == {("actions.ActionPartner", "partner"), ("actions.Action", "partners")}


def test_the_merge_page_shows_what_will_move_before_merging(client, two_cafs, staff_user):
    kept, duplicate, both, only_duplicate, trashed = two_cafs
    client.force_login(staff_user)
    url = reverse("actions:partner_merge", args=[duplicate.pk])
    preview = client.get(url, {"dans": kept.pk}).content.decode()
    assert "« Accueil des familles »" in preview and "« Ancienne action » (dans la corbeille)" in preview
    assert "les deux partenaires figurent déjà" in preview
    assert Partner.objects.filter(pk=duplicate.pk).exists()  # nothing written yet
    response = client.post(url, {"dans": kept.pk})
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=duplicate.pk).exists()
    assert ActionPartner.all_objects.filter(partner=kept).count() == 3


def test_a_partner_is_never_merged_into_itself_and_directors_cannot_merge(client, two_cafs, staff_user, director_user):
    kept, duplicate, *_ = two_cafs
    client.force_login(staff_user)
    response = client.post(reverse("actions:partner_merge", args=[kept.pk]), {"dans": kept.pk})
    assert response.status_code == 200 and Partner.objects.filter(pk=kept.pk).exists()
    client.force_login(director_user)
    response = client.post(reverse("actions:partner_merge", args=[duplicate.pk]), {"dans": kept.pk})
    assert response.status_code == 403 and Partner.objects.filter(pk=duplicate.pk).exists()


def test_partner_list_queries_do_not_grow(client, staff_user, django_assert_max_num_queries):
    client.force_login(staff_user)
    for size in (2, 10):
        for _ in range(size):
            ActionPartner.objects.create(action=ActionFactory(), partner=PartnerFactory())
        with django_assert_max_num_queries(8):
            assert client.get(reverse("actions:partner_list")).status_code == 200
