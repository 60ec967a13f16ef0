"""Participation and comments through the pages: two directors try each other's structures."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Comment, Participation
from actions.services.comments import comment_post
from actions.tests.factories import ActionFactory
from axes.tests.factories import ObjectiveFactory
from centres.services import participation_propose
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(db):
    a, b = StructureFactory(name="Centre Alpha"), StructureFactory(name="Centre Bêta")
    return {
        "a": a,
        "b": b,
        "director_a": director_for(a),
        "director_b": director_for(b),
    }


def test_the_open_actions_are_searched_with_the_chosen_one_selected(client, centres):
    """Thousands of open actions nationally: the page writes the chosen one only, and the
    combobox's endpoint offers the open ones (never a finished one), with their axis."""
    from axes.tests.factories import AxisFactory

    accueil, jeunesse = AxisFactory(title="Fonction accueil", order=1), AxisFactory(title="Jeunesse & <b>", order=2)
    chosen = ActionFactory(axis=accueil, title="Jardins partagés", status=Action.Status.IN_PROGRESS)
    ActionFactory(axis=jeunesse, title="Chantiers jeunes", status=Action.Status.PLANNED)
    ActionFactory(axis=jeunesse, title="Vieille action", status=Action.Status.DONE)  # not open
    client.force_login(centres["director_a"])
    html = client.get(reverse("centres:participation_propose"), {"action": chosen.pk}).content.decode()
    assert f'<option value="{chosen.pk}" selected>Jardins partagés</option>' in html
    assert 'data-autocomplete-url="/autocompletion/actions/?ouvertes=1"' in html
    assert "Chantiers jeunes" not in html and "Vieille action" not in html

    found = client.get(reverse("autocomplete_actions"), {"ouvertes": "1", "q": "a"}).json()["results"]
    assert [r["text"] for r in found] == ["Jardins partagés (Fonction accueil)", "Chantiers jeunes (Jeunesse & <b>)"]


def test_director_declares_participation_and_staff_accept_it(client, centres, staff_user):
    action = ActionFactory(title="Jardins partagés")
    client.force_login(centres["director_a"])
    form = client.get(reverse("centres:participation_propose"), {"action": action.pk}).content.decode()
    assert "Centre Alpha" in form and "Centre Bêta" not in form
    response = client.post(
        reverse("centres:participation_propose"),
        {
            "structure": centres["a"].pk,
            "action": action.pk,
            "contribution": "Un jardin au pied des tours",
        },
    )
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert (participation.structure, participation.status) == (
        centres["a"],
        Participation.Status.PROPOSED,
    )

    client.force_login(staff_user)
    listing = client.get(reverse("centres:participation_list")).content.decode()
    assert "Un jardin au pied des tours" in listing
    client.post(
        reverse("centres:participation_decide", args=[participation.pk]),
        {"decision": "accept"},
    )
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACCEPTED
    assert list(action.structures.all()) == [centres["a"]]


def test_forged_structure_id_gets_403_and_nothing_is_created(client, centres):
    action = ActionFactory()
    client.force_login(centres["director_a"])
    for forged in (centres["b"].pk, 999999):
        response = client.post(
            reverse("centres:participation_propose"),
            {"structure": forged, "action": action.pk, "contribution": "Pas chez nous"},
        )
        assert response.status_code == 403
    assert not Participation.objects.exists()


def test_directors_cannot_decide(client, centres):
    participation = participation_propose(
        user=centres["director_a"],
        action=ActionFactory(),
        structure=centres["a"],
        contribution="x",
    )
    client.force_login(centres["director_b"])
    response = client.post(
        reverse("centres:participation_decide", args=[participation.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PROPOSED


def test_declining_without_a_reason_keeps_it_pending(client, centres, staff_user):
    participation = participation_propose(
        user=centres["director_a"],
        action=ActionFactory(),
        structure=centres["a"],
        contribution="x",
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("centres:participation_decide", args=[participation.pk]),
        {"decision": "decline"},
        follow=True,
    )
    assert "pourquoi" in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PROPOSED


def test_joining_a_finished_action_gets_a_french_message(client, centres):
    action = ActionFactory(status=Action.Status.DONE)
    client.force_login(centres["director_a"])
    response = client.post(
        reverse("centres:participation_propose"),
        {"structure": centres["a"].pk, "action": action.pk, "contribution": "x"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Participation.objects.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_participation_list_query_count(client, staff_user, size, django_assert_max_num_queries):
    for _ in range(size):
        structure = StructureFactory()
        participation_propose(
            user=staff_user,
            action=ActionFactory(),
            structure=structure,
            contribution="x",
        )
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("centres:participation_list"))
    assert len(response.context["pending"]) == size


def test_staff_search_or_name_the_structure_instead_of_picking_it_among_thousands(client, centres, staff_user):
    action = ActionFactory(title="Jardins partagés")
    client.force_login(staff_user)
    url = reverse("centres:participation_propose")
    form = client.get(url, {"action": action.pk, "structure": centres["b"].pk}).content.decode()
    assert f'<option value="{centres["b"].pk}" selected>Centre Bêta</option>' in form
    assert 'data-autocomplete-url="/autocompletion/structures/"' in form
    assert "Centre Alpha" not in form  # structures are searched, not listed

    unknown = client.post(url, {"structure": "Centre Oméga", "action": action.pk, "contribution": "x"})
    assert unknown.status_code == 200 and "Aucune structure ne porte ce nom" in unknown.content.decode()
    assert not Participation.objects.exists()

    response = client.post(url, {"structure": "centre alpha", "action": action.pk, "contribution": "Un jardin"})
    assert response.status_code == 302
    assert Participation.objects.get().structure == centres["a"]


def test_participation_list_pages_pending_participations_by_fifty(client, staff_user):
    action = ActionFactory()
    for n in range(53):
        participation_propose(
            user=staff_user,
            action=action,
            structure=StructureFactory(name=f"Centre {n:02d}"),
            contribution="x",
        )
    client.force_login(staff_user)
    url = reverse("centres:participation_list")
    first = client.get(url)
    assert len(first.context["pending"]) == 50
    assert first.context["pending"][0].structure.name == "Centre 00"  # oldest first
    assert "53 participations en attente" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [p.structure.name for p in second.context["pending"]] == ["Centre 50", "Centre 51", "Centre 52"]


def render_thread(user, subject):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load action_tags %}{% comment_thread subject %}")
    return template.render(Context({"request": request, "subject": subject}))


def test_comment_text_is_escaped(client, board_user):
    action = ActionFactory()
    client.force_login(board_user)
    client.post(
        reverse("actions:action_comment_create", args=[action.pk]),
        {"text": '<script>alert("x")</script><b onclick="x()">gras</b>'},
    )
    comment = Comment.objects.get()
    assert comment.author == board_user
    html = render_thread(board_user, action)
    assert "<script>" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_every_role_comments_on_an_objective(client, centres, board_user, staff_user):
    objective = ObjectiveFactory()
    for user in (centres["director_a"], board_user, staff_user):
        client.force_login(user)
        response = client.post(
            reverse("actions:objective_comment_create", args=[objective.pk]),
            {"text": f"Avis de {user.username}"},
        )
        assert response.status_code == 302
    assert Comment.objects.filter(objective=objective).count() == 3
    html = render_thread(board_user, objective)
    assert f"Avis de {centres['director_a'].username}" in html


def test_comment_redirects_only_to_this_site(client, board_user):
    action = ActionFactory()
    client.force_login(board_user)
    response = client.post(
        reverse("actions:action_comment_create", args=[action.pk]),
        {"text": "ok", "next": "https://evil.example/"},
    )
    assert "evil.example" not in response.url


def test_authors_edit_their_own_comment_within_the_hour(client, centres):
    action = ActionFactory()
    comment = comment_post(user=centres["director_a"], text="Premier jet", action=action)
    url = reverse("actions:comment_edit", args=[comment.pk])
    client.force_login(centres["director_b"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Détourné"}).status_code == 403
    client.force_login(centres["director_a"])
    assert client.post(url, {"text": "Version corrigée"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Version corrigée" and comment.edited_at is not None
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    assert client.post(url, {"text": "Trop tard"}).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Version corrigée"


def test_staff_hide_a_comment_and_others_no_longer_see_it(client, centres, staff_user, board_user):
    action = ActionFactory()
    comment = comment_post(user=centres["director_a"], text="Message à masquer", action=action)
    client.force_login(board_user)
    assert client.post(reverse("actions:comment_moderate", args=[comment.pk]), {"hidden": "1"}).status_code == 403
    client.force_login(staff_user)
    client.post(reverse("actions:comment_moderate", args=[comment.pk]), {"hidden": "1"})
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_by == staff_user
    assert "Message à masquer" not in render_thread(board_user, action)
    assert "Message à masquer" in render_thread(staff_user, action)


@pytest.mark.parametrize("size", [2, 12])
def test_comment_thread_query_count(staff_user, size, django_assert_max_num_queries):
    action = ActionFactory()
    for n in range(size):
        comment_post(user=staff_user, text=f"Commentaire {n}", action=action)
    staff_user.has_perm("actions.add_comment")  # permissions cached, as in a request
    with django_assert_max_num_queries(2):
        html = render_thread(staff_user, action)
    assert html.count("Commentaire ") >= size


def test_participants_fragment_lists_accepted_and_proposed(centres, staff_user, board_user):
    action = ActionFactory()
    participation_propose(
        user=centres["director_a"],
        action=action,
        structure=centres["a"],
        contribution="Alpha fait",
    )
    request = RequestFactory().get("/")
    request.user = board_user
    html = Template("{% load action_tags %}{% action_participants action %}").render(
        Context({"request": request, "action": action})
    )
    assert "Centre Alpha" in html and "Alpha fait" in html and "Proposée" in html
