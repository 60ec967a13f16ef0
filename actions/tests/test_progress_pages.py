"""Progress rules told where the figures are, and never changed silently by the milestones."""

from html import unescape

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services.journal import update_create
from actions.tests.factories import ActionFactory, MilestoneFactory
from axes.tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db


def page(client, action) -> str:
    return unescape(client.get(action.get_absolute_url()).content.decode())


def test_the_plan_axis_and_objective_pages_tell_their_rule(client, board_user):
    objective = ObjectiveFactory()
    axis, plan = objective.axis, objective.axis.chapter.plan
    ActionFactory(axis=axis, progress=50).objectives.add(objective)
    client.force_login(board_user)

    plan_html = unescape(client.get(plan.get_absolute_url()).content.decode())
    axis_html = unescape(client.get(axis.get_absolute_url()).content.decode())
    objective_html = unescape(client.get(objective.get_absolute_url()).content.decode())

    assert "Comment est-ce calculé ?" in plan_html
    assert "L’avancement du projet est la moyenne de l’avancement de ses axes" in plan_html
    assert "L’avancement d’un axe est la moyenne de l’avancement de toutes ses actions" in axis_html
    assert "qu’elles soient rattachées à un objectif ou non" in axis_html
    assert "L’avancement d’un objectif est la moyenne de l’avancement des actions" in objective_html
    assert "qui lui sont rattachées" in objective_html


def test_an_action_and_the_objective_list_say_where_its_figure_comes_from(client, staff_user, board_user):
    staff_user.first_name, staff_user.last_name = "Élise", "Martin"
    staff_user.save()
    objective = ObjectiveFactory()
    entered = ActionFactory(axis=objective.axis, progress=None, title="Saisie")
    driven = ActionFactory(axis=objective.axis, title="Jalonnée")
    unset = ActionFactory(axis=objective.axis, progress=None, title="Vide")
    # Linked first: a link is in the action's history, written from the instance at hand.
    for action in (entered, driven, unset):
        action.objectives.add(objective)
    update_create(action=entered, author=staff_user, text="Point d'étape", new_progress=30)
    MilestoneFactory(action=driven, done=True)
    MilestoneFactory(action=driven, done=False)
    client.force_login(board_user)

    assert "indiqué au suivi du " in page(client, entered) and "par Élise Martin" in page(client, entered)
    assert "jalons : 1 sur 2 atteints" in page(client, driven)
    objective_html = unescape(client.get(objective.get_absolute_url()).content.decode())
    for source in ("par Élise Martin", "jalons : 1 sur 2 atteints", "non renseigné"):
        assert source in objective_html


def test_when_milestones_drive_the_progress_the_journal_says_so_and_offers_no_percentage(client, staff_user):
    action = ActionFactory(progress=10)
    MilestoneFactory(action=action, done=True)
    client.force_login(staff_user)

    html = page(client, action)

    assert 'name="new_progress"' not in html
    assert "L’avancement suit les jalons (jalons : 1 sur 1 atteint) : il ne se saisit pas ici." in html
    assert "Saisir l’avancement à la main" in html


def test_adding_milestones_to_an_action_entered_by_hand_says_the_progress_now_follows_them(client, staff_user):
    action = ActionFactory(progress=10)
    client.force_login(staff_user)

    response = client.post(reverse("actions:milestone_create", args=[action.pk]), {"title": "Bilan"}, follow=True)

    assert (
        "L’avancement de l’action suit désormais ses jalons (0 sur 1 atteint, soit 0 %, au lieu des 10 % saisis)"
        in unescape(response.content.decode())
    )


def test_staff_switch_an_action_to_the_figure_entered_by_hand_and_milestones_no_longer_override_it(client, staff_user):
    action = ActionFactory(progress=10)
    milestone = MilestoneFactory(action=action, done=False)
    client.force_login(staff_user)

    response = client.post(reverse("actions:action_progress_switch", args=[action.pk]), {"follows": "0"}, follow=True)
    html = unescape(response.content.decode())
    assert "L’avancement de l’action est désormais saisi à la main (10 %, le dernier chiffre saisi)" in html
    assert 'name="new_progress"' in html  # the journal offers a percentage again

    response = client.post(reverse("actions:milestone_toggle", args=[milestone.pk]), follow=True)
    assert "l’avancement reste celui saisi à la main (10 %)" in unescape(response.content.decode()).lower()
    action.refresh_from_db()
    assert not action.progress_follows_milestones
    assert action.history.first().history_change_reason == "Avancement : saisi à la main"


def test_a_done_action_says_so(client, board_user):
    action = ActionFactory(status=Action.Status.DONE, progress=None)
    client.force_login(board_user)
    assert "terminée" in page(client, action)


def test_the_action_form_shows_but_does_not_offer_a_percentage_the_milestones_would_override(client, staff_user):
    action = ActionFactory(progress=10)
    MilestoneFactory(action=action)
    client.force_login(staff_user)

    form = client.get(reverse("actions:action_update", args=[action.pk])).context["form"]

    assert form.fields["progress"].disabled
    assert "L’avancement suit les jalons" in form.fields["progress"].help_text
