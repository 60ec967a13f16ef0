"""Every route × role × method gets its expected answer.

The routes are read from the URL configuration: a view added without an entry in ROUTES
fails `test_every_route_declares_its_access`. Each entry says which level of access the
route needs per method, and how to build its URL arguments from the test world.
"""

import pytest
from django.urls import reverse

from federation.tests.routes import EXPECTED, OPEN_TO_ANONYMOUS, ROLES, ROUTES, iter_route_names


# Access levels and what each role gets. "ok" = any status below 400 (pages may redirect).
def test_every_route_declares_its_access():
    undeclared = sorted(set(iter_route_names()) - set(ROUTES))
    assert not undeclared, f"Routes sans accès déclaré dans ROUTES : {undeclared}"


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


def test_anonymous_visitors_reach_the_public_space_and_nothing_else():
    """Issue 17: the public pages, open data and API answer without login; every other route
    sends an anonymous visitor to the login page, whatever the method."""
    open_routes = {
        name
        for name, (_, methods) in ROUTES.items()
        if any(EXPECTED[level]["anonymous"] != "login" for level in methods.values())
    }
    assert open_routes == OPEN_TO_ANONYMOUS


def test_admin_requires_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
