"""Links a person made: the axis page shows the actions serving no objective, and staff link
actions to objectives in one grid, with history, never overwriting someone else's change."""

import json
from html import unescape

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services.actions import axis_links_update
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def axis():
    axis = AxisFactory()
    ObjectiveFactory(axis=axis, text="Développer l'écoute", order=1)
    ObjectiveFactory(axis=axis, text="Former les équipes", order=2)
    return axis


def objectives(axis):
    return list(axis.objectives.order_by("order"))


def links_of(action) -> set[str]:
    return set(action.objectives.values_list("text", flat=True))


def grid_url(axis):
    return reverse("actions:axis_links_update", args=[axis.pk])


def opened_grid(client, axis) -> dict:
    """The grid's form as the page gives it: every field's initial value."""
    form = client.get(grid_url(axis)).context["form"]
    data = {"opened": form["opened"].value()}
    for name, field in form.fields.items():
        if name.startswith("a"):
            data[name] = [str(pk) for pk in field.initial]
    return data


def test_the_axis_page_lists_the_counted_actions_serving_no_objective(client, board_user, axis):
    listen, _train = objectives(axis)
    linked = ActionFactory(axis=axis, title="Accueil convivial")
    linked.objectives.add(listen)
    ActionFactory(axis=axis, title="Commission accueil", status=Action.Status.PLANNED)
    ActionFactory(axis=axis, title="Une piste", status=Action.Status.LEAD)  # does not count
    client.force_login(board_user)

    response = client.get(reverse("actions:axis_detail", args=[axis.pk, axis.slug]))

    unlinked = response.context["unlinked"]
    assert [action.title for action in unlinked.actions] == ["Commission accueil"]
    html = unescape(response.content.decode())
    assert "À rattacher à un objectif (1)" in html
    assert grid_url(axis) not in html  # the board reads; staff link


def test_staff_link_actions_in_one_grid_each_change_in_the_actions_history(client, staff_user, axis):
    listen, train = objectives(axis)
    welcome = ActionFactory(axis=axis, title="Accueil convivial")
    commission = ActionFactory(axis=axis, title="Commission accueil")
    untouched = ActionFactory(axis=axis, title="Déjà rattachée")
    untouched.objectives.add(train)  # its creation and this link: two history rows
    client.force_login(staff_user)
    assert "Rattacher les actions aux objectifs" in unescape(client.get(axis.get_absolute_url()).content.decode())

    data = opened_grid(client, axis)
    data[f"a{welcome.pk}"] = [str(listen.pk)]
    data[f"a{commission.pk}"] = [str(listen.pk), str(train.pk)]
    response = client.post(grid_url(axis), data)

    assert response.status_code == 302
    assert links_of(welcome) == {"Développer l'écoute"}
    assert links_of(commission) == {"Développer l'écoute", "Former les équipes"}
    assert links_of(untouched) == {"Former les équipes"}
    record = commission.history.first()
    assert record.history_user == staff_user
    assert record.history_change_reason == (
        "Objectifs (grille de l’axe) : + 1. Développer l'écoute ; + 2. Former les équipes"
    )
    assert record.version == 2
    assert untouched.history.count() == 2  # nothing changed, nothing written


def test_the_grid_is_for_staff_only(client, board_user, director_user, axis):
    action = ActionFactory(axis=axis)
    listen = objectives(axis)[0]
    for user in (board_user, director_user):
        client.force_login(user)
        assert client.get(grid_url(axis)).status_code == 403
        assert client.post(grid_url(axis), {f"a{action.pk}": [str(listen.pk)]}).status_code == 403
    assert not action.objectives.exists()


def test_a_forged_post_linking_an_objective_of_another_axis_is_refused(client, staff_user, axis):
    action = ActionFactory(axis=axis)
    elsewhere = ObjectiveFactory(text="Objectif d'un autre axe")
    client.force_login(staff_user)
    data = opened_grid(client, axis)
    data[f"a{action.pk}"] = [str(elsewhere.pk)]

    response = client.post(grid_url(axis), data)

    assert response.status_code == 200
    assert not action.objectives.exists()
    assert action.history.count() == 1
    with pytest.raises(Exception, match="objectifs de cet axe"):
        axis_links_update(axis=axis, links={action.pk: {elsewhere.pk}}, user=staff_user)
    other_axis_action = ActionFactory()
    with pytest.raises(Exception, match="actions de cet axe"):
        axis_links_update(axis=axis, links={other_axis_action.pk: set()}, user=staff_user)


def test_a_row_someone_else_changed_meanwhile_is_never_overwritten_silently(client, staff_user, axis):
    listen, train = objectives(axis)
    mine = ActionFactory(axis=axis, title="Accueil convivial")
    theirs = ActionFactory(axis=axis, title="Commission accueil")
    client.force_login(staff_user)
    data = opened_grid(client, axis)
    # Meanwhile, someone else links both actions.
    axis_links_update(axis=axis, links={mine.pk: {train.pk}, theirs.pk: {train.pk}}, user=None)

    # I change one row only (`mine`), from the grid as I opened it.
    data[f"a{mine.pk}"] = [str(listen.pk)]
    response = client.post(grid_url(axis), data)

    assert response.status_code == 200
    assert "Quelqu’un d’autre a modifié les objectifs de « Accueil convivial »" in unescape(response.content.decode())
    assert links_of(mine) == links_of(theirs) == {"Former les équipes"}  # nothing written
    [row] = [row for row in response.context["rows"] if row["now"] is not None]
    assert row["action"] == mine and [o.text for o in row["now"]] == ["Former les équipes"]

    # The page keeps my choice, shows their change on the row I left alone, and saving again,
    # deliberately, confirms my choice without undoing theirs.
    again = response.context["form"].data
    assert again.getlist(f"a{mine.pk}") == [str(listen.pk)]
    assert again.getlist(f"a{theirs.pk}") == [str(train.pk)]
    assert json.loads(again["opened"])[str(mine.pk)] == [train.pk]
    response = client.post(grid_url(axis), again)
    assert response.status_code == 302
    assert links_of(mine) == {"Développer l'écoute"}
    assert links_of(theirs) == {"Former les équipes"}


def test_the_grid_leaves_the_links_to_other_axes_objectives_alone(staff_user, axis):
    listen = objectives(axis)[0]
    elsewhere = ObjectiveFactory(text="Objectif d'un autre axe")
    action = ActionFactory(axis=axis)
    # A link from before an action could serve only its own axis's objectives (actions.signals
    # refuses a new one): written past the rule, as such data sits in a database.
    Action.objectives.through.objects.create(action=action, objective=elsewhere)

    axis_links_update(axis=axis, links={action.pk: {listen.pk}}, user=staff_user)

    assert links_of(action) == {"Développer l'écoute", "Objectif d'un autre axe"}
