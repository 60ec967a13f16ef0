"""Fixtures shared by every app's tests: users of each role, the seeded plan."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group

from federation import roles
from federation.tests.factories import StructureFactory, UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER est défini mais Chromium est introuvable.")
    skip = pytest.mark.skip(reason="Chromium absent : apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM:
        terminalreporter.write_line(
            "Tests navigateur IGNORÉS : Chromium n'est pas installé (sudo apt-get install -y chromium).",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login-throttling counters and cached aggregates live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _user_with_role(role: str | None, **kwargs):
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff_user(db):
    return _user_with_role(roles.STAFF, username="equipe-test")


@pytest.fixture
def board_user(db):
    return _user_with_role(roles.BOARD, username="conseil-test")


@pytest.fixture
def director_user(db):
    user = _user_with_role(roles.DIRECTOR, username="direction-test")
    StructureFactory().directors.add(user)
    return user


@pytest.fixture
def roleless_user(db):
    return _user_with_role(None, username="sans-role")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin-test", is_superuser=True, is_staff=True)


@pytest.fixture
def seeded_plan(db):
    """The federation's own document, imported through the service."""
    from django.conf import settings

    from actions.services import plan_import

    return plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes()).plan
