"""`make bench` times every GET route (bench/every_route.py): a route it could not time fails here.

The benchmark takes its routes and URL arguments from the permission matrix (routes.py); this
test builds every address it would request, for every role that may open the route, so that a
route added without the data to time it is caught by `make test`, not at the next benchmark.
"""

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, get_resolver

from bench.every_route import SKIPPED, address, cases
from federation.tests.routes import NOT_ALLOWED, ROUTES, iter_route_names


def answers_get(name: str) -> bool:
    methods = ROUTES.get(name, (None, {}))[1]
    return methods.get("get", NOT_ALLOWED) != NOT_ALLOWED


def test_every_get_route_of_the_urlconf_is_timed_for_someone(world):
    timed = {name for name, _role, _query in cases(world)}
    every = {name for name in iter_route_names() if answers_get(name)} - SKIPPED
    assert every - timed == set(), f"routes que le banc ne mesure pour aucun rôle : {sorted(every - timed)}"
    assert any(query for _name, _role, query in cases(world)), "list pages are timed with their filters too"


@pytest.mark.parametrize("name", sorted(n for n in ROUTES if answers_get(n) and n not in SKIPPED))
def test_the_benchmark_builds_the_address_of(world, name):
    with transaction.atomic():
        try:
            url = address(world, name)
        except (NoReverseMatch, TypeError, KeyError) as error:
            pytest.fail(f"{name} : le banc ne sait pas construire son adresse ({error}) — ajoutez ses données")
        transaction.set_rollback(True)
    assert url.startswith("/")


def test_the_urlconf_has_no_unnamed_get_page():
    unnamed = [p for p in get_resolver().url_patterns if isinstance(p, URLPattern) and not p.name]
    assert unnamed == []
