"""Fixtures of the site-wide tests."""

import pytest
from django.contrib.auth.models import Group

from network import roles
from network.tests.factories import StructureFactory, UserFactory


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
