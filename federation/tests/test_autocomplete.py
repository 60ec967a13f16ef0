"""The searchable choices: the JSON endpoints and the <select> that names them.

Who may call each endpoint is in the permission matrix (routes.py); here, what they answer.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions.models import Action
from actions.tests.factories import ActionFactory
from network import roles
from network.tests.factories import PartnerFactory, StructureFactory, TerritoryFactory, UserFactory
from toolkit.autocomplete import MAX_RESULTS

pytestmark = pytest.mark.django_db


def results(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_structures_are_found_by_every_word_of_their_name_or_territory(client, staff_user):
    drome = TerritoryFactory(name="Drôme")
    StructureFactory(name="Centre social Le Lien", territory=drome)
    StructureFactory(name="Centre social La Passerelle", territory=TerritoryFactory(name="Ardèche"))
    StructureFactory(name="EVS Le Lien des familles", territory=TerritoryFactory(name="Isère"))
    client.force_login(staff_user)
    found = results(client, "autocomplete_structures", q="lien centre")["results"]
    assert [r["text"] for r in found] == ["Centre social Le Lien"]
    assert [r["text"] for r in results(client, "autocomplete_structures", q="drôme")["results"]] == [
        "Centre social Le Lien"
    ]


def test_answers_are_capped_and_say_there_is_more(client, staff_user):
    for n in range(MAX_RESULTS + 5):
        PartnerFactory(name=f"Caf {n:02d}")
    client.force_login(staff_user)
    answer = results(client, "autocomplete_partners", q="caf")
    assert len(answer["results"]) == MAX_RESULTS and answer["more"] is True
    assert answer["results"][0]["text"] == "Caf 00"
    drome = PartnerFactory(name="Caf de la Drôme")
    assert results(client, "autocomplete_partners", q="caf drôme") == {
        "results": [{"value": drome.pk, "text": "Caf de la Drôme"}],
        "more": False,
    }


def test_people_are_the_active_staff_accounts_by_their_name(client, staff_user):
    """« Personne référente » offers staff only (issue 14): never a director nor a board member."""
    staff = Group.objects.get(name=roles.STAFF)
    UserFactory(username="cdupont", first_name="Claire", last_name="Dupont").groups.add(staff)
    UserFactory(username="parti", first_name="Claire", last_name="Partie", is_active=False).groups.add(staff)
    UserFactory(username="cdirection", first_name="Claire", last_name="Direction").groups.add(
        Group.objects.get(name=roles.DIRECTOR)
    )
    UserFactory(username="cconseil", first_name="Claire", last_name="Conseil").groups.add(
        Group.objects.get(name=roles.BOARD)
    )
    client.force_login(staff_user)
    assert [r["text"] for r in results(client, "autocomplete_people", q="claire")["results"]] == ["Claire Dupont"]


def test_the_audits_accounts_are_every_account_for_administrators_only(client, superuser, staff_user):
    """The audit's « Personne »: inactive accounts too (they wrote); staff may not list them."""
    gone = UserFactory(username="cparti", first_name="Claire", last_name="Partie", is_active=False)
    client.force_login(superuser)
    assert results(client, "autocomplete_accounts", q="claire partie")["results"] == [
        {"value": gone.pk, "text": "Claire Partie (cparti)"}
    ]
    client.force_login(staff_user)
    assert client.get(reverse("autocomplete_accounts"), {"q": "claire"}).status_code == 403


def test_open_actions_only_when_asked(client, staff_user):
    ActionFactory(title="Jardin ouvert", status=Action.Status.IN_PROGRESS)
    ActionFactory(title="Jardin fini", status=Action.Status.DONE)
    client.force_login(staff_user)
    every = [r["text"].split(" (")[0] for r in results(client, "autocomplete_actions", q="jardin")["results"]]
    assert sorted(every) == ["Jardin fini", "Jardin ouvert"]
    open_ = results(client, "autocomplete_actions", q="jardin", ouvertes="1")["results"]
    assert [r["text"].split(" (")[0] for r in open_] == ["Jardin ouvert"]


def test_the_action_form_writes_only_the_chosen_structures_and_keeps_a_bad_choice_harmless(
    client, seeded_plan, staff_user
):
    action = Action.objects.filter(axis__chapter__plan=seeded_plan).first()
    chosen, other = StructureFactory(name="Centre choisi"), StructureFactory(name="Centre ignoré")
    action.structures.set([chosen])
    client.force_login(staff_user)
    page = client.get(reverse("actions:action_update", args=[action.pk])).content.decode()
    assert f'<option value="{chosen.pk}" selected>Centre choisi</option>' in page
    assert other.name not in page
    assert 'data-autocomplete-url="/autocompletion/structures/"' in page
    assert 'data-autocomplete-url="/autocompletion/personnes/"' in page

    # A forged or unknown id is refused in French, and the chosen structure stays chosen.
    data = {"title": action.title, "start_year": 2024, "end_year": 2025, "progress": 0, "weight": 1}
    url = reverse("actions:action_update", args=[action.pk])
    for bad, message in [
        ("abc", "n’est pas une valeur correcte"),
        ("999999", "Sélectionnez un choix valide. 999999 n’en fait pas partie"),
    ]:
        response = client.post(url, {**data, "structures": [str(chosen.pk), bad]})
        page = response.content.decode()
        assert response.status_code == 200 and message in page
        assert f'<option value="{chosen.pk}" selected>Centre choisi</option>' in page
