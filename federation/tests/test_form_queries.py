"""Every create and edit form costs the same number of queries however large the network.

The forms name structures, people, actions and partners through searchable comboboxes
(toolkit.autocomplete): the page writes only the chosen ones. Each form of the permission
matrix (a route that answers GET and POST to the same people), and the action's page with its
partner form, is opened as someone allowed to, then again after the network grew by 40
structures, 15 accounts, 30 actions and 25 partners: the count must not move, and it is
pinned here so that a change to a form's cost is a deliberate one.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from actions.tests.factories import ActionFactory
from axes.models import Axis
from federation.tests.routes import EXPECTED, NOT_ALLOWED, ROUTES, plan_object
from network import roles
from network.tests.factories import PartnerFactory, StructureFactory, UserFactory

# GET and POST open to the same roles, and a GET that renders the form (not a confirmation).
FORMS = sorted(
    name
    for name, (_build, methods) in ROUTES.items()
    if "get" in methods and methods.get("post") == methods["get"] and methods["get"] != NOT_ALLOWED
)
PAGES_WITH_FORMS = {"actions:action_detail": plan_object("action")}  # the partner form

# The queries of each form's GET (staff unless the form is a director's or an author's), the
# menu's unread notifications included (one COUNT, cleared cache).
PINNED = {
    "actions:action_create": 8,
    "actions:action_detail": 18,  # the menu's count and « Suivre la discussion »
    "actions:action_update": 12,
    "actions:axis_links_update": 10,
    "actions:comment_edit": 7,
    "actions:object_delete": 7,
    "actions:plan_import": 6,
    "audit_person_anonymise": 4,
    "axes:axis_create": 7,
    "axes:axis_update": 8,
    "axes:chapter_create": 7,
    "axes:chapter_update": 8,
    "axes:objective_create": 7,
    "axes:objective_update": 8,
    "axes:plan_create": 7,
    "axes:plan_update": 9,
    "board:board_meeting_create": 6,
    "centres:measurement_edit": 11,
    "centres:participation_propose": 7,
    "exchange_import": 6,
    "notifications:preferences": 7,
    "indicators:measurement_create": 7,
    "indicators:measurement_import": 6,
    "indicators:observatory_import": 6,
    "publication:indicator_publication": 10,
    "publication:token_list": 7,
    "actions:partner_merge": 7,
    "indicators:classification_list": 7,
    "indicators:indicator_create": 9,
    "indicators:indicator_edit": 12,  # its actions (a many-to-many) read as the form's initial value
    "indicators:target_grid": 8,
    "network:invitation_accept": 7,
    "network:person_invite": 6,
    "network:structure_create": 7,
    "network:structure_edit": 8,
    "network:territory_create": 7,
    "network:territory_edit": 8,
}


def role_for(name: str) -> str:
    level = ROUTES[name][1]["get"] if name in ROUTES else "reader"
    expected = EXPECTED.get(level, {})
    for role in ("staff", "director_a", "superuser"):
        if expected.get(role) == "ok":
            return role
    return "staff"


def count(world, name: str, kwargs, role: str) -> tuple[int, int, str]:
    client = Client()
    client.force_login(world["users"][role])
    from django.core.cache import caches
    from django.db import connection

    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, kwargs=kwargs))
    return response.status_code, len(captured.captured_queries), response.content.decode()


def grow_the_network(world) -> None:
    axis = Axis.objects.for_plan(world["plan"]).first()
    structures = [StructureFactory(name=f"Structure ajoutée {n}") for n in range(40)]
    for n in range(15):
        user = UserFactory(username=f"croissance-{n}", first_name="Personne", last_name=f"Ajoutée {n}")
        user.groups.add(Group.objects.get(name=roles.DIRECTOR if n % 2 else roles.STAFF))
        if n % 2:
            structures[n].directors.add(user)
    for n in range(30):
        action = ActionFactory(axis=axis, title=f"Action ajoutée {n}", status=Action.Status.IN_PROGRESS)
        action.structures.add(*structures[n : n + 3])
    for n in range(25):
        PartnerFactory(name=f"Partenaire ajouté {n}")


def test_every_form_route_is_pinned():
    forms = set(FORMS) | set(PAGES_WITH_FORMS)
    assert not forms - set(PINNED), f"form routes to pin (their GET's queries): {sorted(forms - set(PINNED))}"
    assert not set(PINNED) - forms, f"pinned routes that are no longer forms: {sorted(set(PINNED) - forms)}"


@pytest.mark.parametrize("name", sorted(set(FORMS) | set(PAGES_WITH_FORMS)))
def test_form_query_count_does_not_grow_with_the_network(world, name):
    build = PAGES_WITH_FORMS.get(name) or ROUTES[name][0]
    kwargs = build(world) if build else None
    role = role_for(name)
    status, before, _page = count(world, name, kwargs, role)
    assert status == 200, f"{name} ({role}) a répondu {status}"
    grow_the_network(world)
    status, after, page = count(world, name, kwargs, role)
    assert status == 200
    # The page writes none of the new structures, partners and people (only the chosen ones),
    # nor the new actions, except the links grid, whose rows are the axis's actions.
    assert "Structure ajoutée" not in page and "Partenaire ajouté" not in page and "Personne Ajoutée" not in page
    if name != "actions:axis_links_update":
        assert "Action ajoutée" not in page
    assert before == after, f"{name} : {before} requêtes, {after} après la croissance du réseau"
    if name in PINNED:  # (an unpinned form fails test_every_form_route_is_pinned)
        assert after == PINNED[name], f"{name} : {after} requêtes (épinglé : {PINNED[name]})"
