"""An accepted participation adds its structure to the action: the action's history says so,
and who accepted (issue 16, item 6)."""

import pytest

from actions.tests.factories import ActionFactory
from centres.services import participation_decide, participation_propose
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_accepting_a_participation_is_in_the_action_history_with_who(staff_user):
    action = ActionFactory()
    structure = StructureFactory()
    participation = participation_propose(
        user=staff_user, action=action, structure=structure, contribution="Un atelier par mois"
    )
    participation_decide(participation=participation, accept=True, user=staff_user)
    row = action.history.first()
    assert row.history_user == staff_user
    assert list(row.structures.values_list("structure_id", flat=True)) == [structure.pk]
