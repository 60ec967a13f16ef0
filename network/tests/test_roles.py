"""The roles' groups (network.roles): the board's group keeps its members across its rename."""

import pytest
from django.contrib.auth.models import Group

from network import roles
from network.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sync_renames_the_board_group_of_an_older_database_and_its_members_keep_their_role():
    Group.objects.filter(name=roles.BOARD).update(name="Conseil d'administration")
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Conseil d'administration"))

    roles.sync_groups()

    assert list(Group.objects.filter(name__startswith="Conseil").values_list("name", flat=True)) == [roles.BOARD]
    assert roles.role_of(member) == "Conseil d’administration"
