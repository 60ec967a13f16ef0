"""Every write traceable (issue 16, item 6): the links of an action (the objectives it serves, the
structures involved) are in its history, with who and when, and a restore gives them back.
Before, a change of links left no trace and a restore left the links as they were."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from actions.models import Action
from actions.services.actions import action_create, action_update
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ObjectiveFactory
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def axis_objectives():
    axis = AxisFactory(title="Jeunesse")
    return (
        axis,
        ObjectiveFactory(axis=axis, text="Mieux accueillir", order=1),
        ObjectiveFactory(axis=axis, text="Former les bénévoles", order=2),
    )


def _post_form(client, action: Action, **changes):
    data = {
        "title": action.title,
        "status": action.status,
        "version": action.version,
        "weight": action.weight,
        "start_year": action.start_year or "",
        "progress_follows_milestones": "on",
        "objectives": [o.pk for o in action.objectives.all()],
        "structures": [s.pk for s in action.structures.all()],
    }
    data.update(changes)
    return client.post(reverse("actions:action_update", args=[action.pk]), data)


def test_a_link_change_through_the_form_shows_on_the_history_page_with_who_and_when(
    client, staff_user, axis_objectives
):
    axis, welcome, train = axis_objectives
    action = action_create(axis=axis, title="Ateliers", user=staff_user, objectives=[welcome])
    client.force_login(staff_user)
    response = _post_form(client, action, objectives=[train.pk])
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    # One history row for the edit (not one per add and remove), holding the links as they now are.
    records = list(action.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert list(records[1].objectives.values_list("objective_id", flat=True)) == [train.pk]
    assert records[1].history_user == staff_user

    page = client.get(reverse("actions:object_history", args=["action", action.pk])).content.decode()
    assert (
        f"Objectifs servis</strong>{NBSP}: ajouté <ins>«{NBSP}Former les bénévoles{NBSP}»</ins>"
        f"\u202f; retiré <del>«{NBSP}Mieux accueillir{NBSP}»</del>"
    ) in page
    assert "Camille Test" in page
    entries = client.get(reverse("actions:object_history", args=["action", action.pk])).context["entries"]
    assert entries[0].date == records[1].history_date
    # The creation says which objectives the action served from the start.
    assert [c.added for c in entries[1].changes if c.name == "objectives"] == [(f"«{NBSP}Mieux accueillir{NBSP}»",)]


def test_restoring_a_version_gives_back_its_links_and_says_so(client, staff_user, axis_objectives):
    axis, welcome, train = axis_objectives
    centre = StructureFactory(name="Centre social La Passerelle")
    action = action_create(
        axis=axis, title="Ateliers", user=staff_user, objectives=[welcome, train], structures=[centre]
    )
    first = action.history.get()
    action = action_update(
        action=action,
        data={"title": "Ateliers du jeudi"},
        objectives=[train],
        structures=[],
        expected_version=action.version,
        user=staff_user,
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("actions:object_history_restore", args=["action", action.pk, first.history_id]), follow=True
    )
    action.refresh_from_db()
    assert action.title == "Ateliers"
    assert set(action.objectives.all()) == {welcome, train} and list(action.structures.all()) == [centre]
    assert (
        "La version choisie est rétablie, ses liens compris" in [str(m) for m in get_messages(response.wsgi_request)][0]
    )
    # The restore is itself in the history, with the links it put back.
    restored = action.history.first()
    assert set(restored.objectives.values_list("objective_id", flat=True)) == {welcome.pk, train.pk}
    assert restored.history_change_reason.startswith("Retour à la version du")


def test_a_restore_refused_writes_neither_fields_nor_links(client, staff_user, axis_objectives):
    """An objective moved to another axis since cannot be served again (actions.signals): the
    restore is refused as a whole, the title too (it stays transactional)."""
    axis, welcome, train = axis_objectives
    action = action_create(axis=axis, title="Ateliers", user=staff_user, objectives=[welcome])
    first = action.history.get()
    action = action_update(
        action=action, data={"title": "Autre"}, objectives=[train], expected_version=1, user=staff_user
    )
    welcome.axis = AxisFactory(chapter=axis.chapter)
    welcome.save()
    client.force_login(staff_user)
    response = client.post(
        reverse("actions:object_history_restore", args=["action", action.pk, first.history_id]), follow=True
    )
    assert "ne peut pas être rétablie" in [str(m) for m in get_messages(response.wsgi_request)][0]
    action.refresh_from_db()
    assert action.title == "Autre" and list(action.objectives.all()) == [train]


def test_a_version_written_before_links_were_recorded_leaves_the_links_and_says_so(client, staff_user, axis_objectives):
    axis, welcome, train = axis_objectives
    action = action_create(axis=axis, title="Ateliers", user=staff_user, objectives=[welcome])
    first = action.history.get()
    action.history.update(history_links_known=False)  # as the migration marks the rows written before it
    action = action_update(
        action=action, data={"title": "Autre"}, objectives=[train], expected_version=1, user=staff_user
    )
    client.force_login(staff_user)
    page = client.get(reverse("actions:object_history", args=["action", action.pk])).content.decode()
    assert "ajouté" not in page and "retiré" not in page  # nothing invented against a row without links
    response = client.post(
        reverse("actions:object_history_restore", args=["action", action.pk, first.history_id]), follow=True
    )
    assert "ses liens, que l’historique n’enregistrait pas encore, restent tels quels" in str(
        list(get_messages(response.wsgi_request))[0]
    )
    action.refresh_from_db()
    assert action.title == "Ateliers" and list(action.objectives.all()) == [train]


def test_a_script_adding_a_link_is_recorded_too(axis_objectives):
    """Any write from the action's side is in its history (django-simple-history's own signal)."""
    axis, welcome, _ = axis_objectives
    action = ActionFactory(axis=axis)
    action.objectives.add(welcome)
    assert list(action.history.first().objectives.values_list("objective_id", flat=True)) == [welcome.pk]


def test_the_admin_records_an_edit_and_its_links_as_one_row(client, superuser, axis_objectives):
    axis, welcome, train = axis_objectives
    action = ActionFactory(axis=axis, title="Ateliers")
    action.objectives.add(welcome)
    before = action.history.count()
    client.force_login(superuser)
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "axis": axis.pk,
            "title": "Ateliers du jeudi",
            "objectives": [train.pk],
            "structures": [],
            "lead_person": "",
            "progress": "",
            "end_year": "",
            "expected_version": action.version,
            "partner_links-TOTAL_FORMS": 0,
            "partner_links-INITIAL_FORMS": 0,
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert action.history.count() == before + 1
    row = action.history.first()
    assert row.history_user == superuser and row.title == "Ateliers du jeudi"
    assert list(row.objectives.values_list("objective_id", flat=True)) == [train.pk]


@pytest.mark.parametrize("size", [2, 25])
def test_action_history_page_query_count(client, staff_user, django_assert_max_num_queries, size, axis_objectives):
    """Measured at 13 queries at both sizes (the axis's page, without links, is pinned at 12 in test_lists):
    the links cost one query per kind of link (objectives, structures) and one per kind of
    object they name, whatever the number of rows."""
    axis, welcome, train = axis_objectives
    structures = [StructureFactory() for _ in range(3)]
    action = action_create(axis=axis, title="Ateliers", user=staff_user, objectives=[welcome])
    for i in range(size):
        action = action_update(
            action=action,
            data={"title": f"Version {i}"},
            objectives=[welcome, train][: 1 + i % 2],
            structures=structures[: i % 4],
            expected_version=action.version,
            user=staff_user,
        )
    client.force_login(staff_user)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("actions:object_history", args=["action", action.pk]))
    assert len(response.context["entries"]) == size + 1
