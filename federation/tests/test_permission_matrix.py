"""Every route × role × method gets its expected answer.

The routes are read from the URL configuration: a view added without an entry in ROUTES
fails `test_every_route_declares_its_access`. Each entry says which level of access the
route needs per method, and how to build its URL arguments from the test world.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from axes.models import Axis
from federation import roles
from federation.tests.factories import StructureFactory, UserFactory

# Access levels and what each role gets. "ok" = any status below 400 (pages may redirect).
PUBLIC = "public"
READER = "reader"  # the three roles and superusers
STAFF = "staff"  # « Équipe fédérale » and superusers
NOT_ALLOWED = "not_allowed"  # method refused for everyone (405), anonymous sent to login

ROLES = ["anonymous", "roleless", "board", "director_a", "director_b", "staff", "superuser"]

EXPECTED = {
    PUBLIC: dict.fromkeys(ROLES, "ok"),
    READER: {**dict.fromkeys(ROLES, "ok"), "anonymous": "login", "roleless": 403},
    STAFF: {**dict.fromkeys(ROLES, 403), "anonymous": "login", "staff": "ok", "superuser": "ok"},
    NOT_ALLOWED: {**dict.fromkeys(ROLES, 405), "anonymous": "login"},
}


def first_axis(world):
    axis = Axis.objects.for_plan(world["plan"]).first()
    return {"pk": axis.pk, "slug": axis.slug}


# url name -> (kwargs builder or None, {method: access level})
ROUTES = {
    "login": (None, {"get": PUBLIC}),
    "password_reset": (None, {"get": PUBLIC}),
    "password_reset_done": (None, {"get": PUBLIC}),
    "password_reset_complete": (None, {"get": PUBLIC}),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "jeton-invalide"}, {"get": PUBLIC}),
    "logout": (None, {"post": PUBLIC}),
    "health": (None, {"get": PUBLIC}),
    "search": (None, {"get": READER, "post": NOT_ALLOWED}),
    "actions:plan_current": (None, {"get": READER, "post": NOT_ALLOWED}),
    "actions:plan_detail": (lambda w: {"pk": w["plan"].pk}, {"get": READER, "post": NOT_ALLOWED}),
    "actions:axis_detail": (first_axis, {"get": READER, "post": NOT_ALLOWED}),
    "actions:plan_import": (None, {"get": STAFF, "post": STAFF}),
    "actions:plan_import_confirm": (None, {"post": STAFF}),
}


def iter_route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue  # Django's admin has its own, tested, permission system
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_declares_its_access():
    undeclared = sorted(set(iter_route_names()) - set(ROUTES))
    assert not undeclared, f"Routes sans accès déclaré dans ROUTES : {undeclared}"


@pytest.fixture
def world(db, seeded_plan):
    structure_a, structure_b = StructureFactory(), StructureFactory()
    users = {"anonymous": None, "roleless": UserFactory(username="matrix-roleless")}
    for key, role, structure in [
        ("board", roles.BOARD, None),
        ("director_a", roles.DIRECTOR, structure_a),
        ("director_b", roles.DIRECTOR, structure_b),
        ("staff", roles.STAFF, None),
    ]:
        user = UserFactory(username=f"matrix-{key}")
        user.groups.add(Group.objects.get(name=role))
        if structure:
            structure.directors.add(user)
        users[key] = user
    users["superuser"] = UserFactory(username="matrix-admin", is_superuser=True, is_staff=True)
    return {"plan": seeded_plan, "users": users, "structure_a": structure_a, "structure_b": structure_b}


CASES = [(name, method, role) for name, (_, methods) in ROUTES.items() for method in methods for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), CASES, ids=[f"{n}-{m}-{r}" for n, m, r in CASES])
def test_route_answers_each_role_as_declared(client, world, name, method, role):
    build_kwargs, methods = ROUTES[name]
    url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    expected = EXPECTED[methods[method]][role]
    if expected == "ok":
        assert response.status_code < 400, response.status_code
    elif expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_admin_requires_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
