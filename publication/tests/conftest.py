"""A plan with things published and things that must never be public, each marked with a
string or a number found nowhere else, so that a test can look for it in what is served."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from actions.models import Action
from actions.services.actions import action_update
from actions.services.comments import comment_post
from actions.services.journal import update_create
from axes.models import Axis
from axes.services import axis_update, objective_update
from indicators.models import Indicator
from indicators.services import measurement_record, measurement_return, measurement_submit, measurement_validate
from network import roles
from network.tests.factories import StructureFactory, UserFactory
from publication.services import indicator_publication_update, partner_token_create

# Only a partner's token may read these (the whole plan); the public never.
UNPUBLISHED = {
    "axis": "AXE-NON-PUBLIE-QX1",
    "objective": "OBJECTIF-NON-PUBLIE-QX2",
    "action": "ACTION-NON-PUBLIEE-QX3",
    "action_of_hidden_axis": "ACTION-AXE-NON-PUBLIE-QX4",
    "indicator": "INDICATEUR-NON-PUBLIE-QX5",
    "indicator_value": "55555",
}
# Nobody reads these: persons, comments, journal text, unvalidated values, an unpublished structure's own figure.
NEVER = {
    "person_username": "zorglub-secret",
    "person_first_name": "Zéphyrine",
    "person_last_name": "Confidentielle",
    "person_email": "zephyrine.confidentielle@example.org",
    "journal_text": "JOURNAL-SECRET-QX6",
    "comment": "COMMENTAIRE-SECRET-QX7",
    "return_comment": "RENVOI-SECRET-QX8",
    "value_comment": "NOTE-VALEUR-SECRETE-QX9",
    "draft_value": "987654",
    "submitted_value": "876543",
    "returned_value": "765432",
    "structure_b_figure": "43217",
    "structure_b_name": "Centre social discret QX10",
}


def _record(*, user, indicator, period, value, structure=None, comment=""):
    return measurement_record(
        user=user, indicator=indicator, period=period, structure=structure, value=Decimal(value), comment=comment
    )


@pytest.fixture
def public_world(db, seeded_plan):
    plan = seeded_plan
    staff = UserFactory(
        username=NEVER["person_username"],
        first_name=NEVER["person_first_name"],
        last_name=NEVER["person_last_name"],
        email=NEVER["person_email"],
    )
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    published, hidden = list(Axis.objects.for_plan(plan))[:2]
    published = axis_update(axis=published, data={"is_published": True}, expected_version=None, user=staff)
    hidden = axis_update(axis=hidden, data={"title": UNPUBLISHED["axis"]}, expected_version=None, user=staff)
    shown_objective, hidden_objective = list(published.objectives.order_by("order", "pk"))[:2]
    objective_update(objective=shown_objective, data={"is_published": True}, expected_version=None, user=staff)
    objective_update(
        objective=hidden_objective, data={"text": UNPUBLISHED["objective"]}, expected_version=None, user=staff
    )
    counted = Action.objects.filter(axis=published, status=Action.Status.IN_PROGRESS).order_by("pk")
    shown_action, hidden_action = counted[0], counted[1]
    shown_action = action_update(
        action=shown_action, data={"is_published": True, "lead_person": staff}, expected_version=None, user=staff
    )
    action_update(action=hidden_action, data={"title": UNPUBLISHED["action"]}, expected_version=None, user=staff)
    action_update(
        action=Action.objects.filter(axis=hidden).first(),
        data={"title": UNPUBLISHED["action_of_hidden_axis"], "is_published": True},
        expected_version=None,
        user=staff,
    )
    shown_action.objectives.add(shown_objective, hidden_objective)
    update_create(action=shown_action, author=staff, text=NEVER["journal_text"], new_progress=40)
    comment_post(user=staff, text=NEVER["comment"], action=shown_action)
    comment_post(user=staff, text=NEVER["comment"], objective=shown_objective)

    structure_a = StructureFactory(name="Centre social publié QX11")
    structure_b = StructureFactory(name=NEVER["structure_b_name"])
    indicator = Indicator.objects.create(code="habitants-publics", name="Habitants touchés (public)", unit="personnes")
    indicator.objectives.add(shown_objective, hidden_objective)
    hidden_indicator = Indicator.objects.create(code="non-publie", name=UNPUBLISHED["indicator"])
    for value in [
        _record(
            user=staff,
            indicator=indicator,
            period="2024",
            structure=structure_a,
            value="1200",
            comment=NEVER["value_comment"],
        ),
        _record(
            user=staff, indicator=indicator, period="2024", structure=structure_b, value=NEVER["structure_b_figure"]
        ),
        _record(user=staff, indicator=hidden_indicator, period="2024", value=UNPUBLISHED["indicator_value"]),
    ]:
        measurement_validate(user=staff, measurement=value)
    _record(user=staff, indicator=indicator, period="2025", structure=structure_a, value=NEVER["draft_value"])
    measurement_submit(
        user=staff,
        measurement=_record(
            user=staff, indicator=indicator, period="2025", structure=structure_b, value=NEVER["submitted_value"]
        ),
    )
    returned = _record(
        user=staff, indicator=indicator, period="2023", structure=structure_a, value=NEVER["returned_value"]
    )
    measurement_submit(user=staff, measurement=returned)
    measurement_return(user=staff, measurement=returned, comment=NEVER["return_comment"])
    indicator_publication_update(indicator=indicator, is_published=True, structures=[structure_a], user=staff)
    token, key = partner_token_create(name="Caf de test", user=staff)
    return {
        "plan": plan,
        "staff": staff,
        "axis": published,
        "hidden_axis": hidden,
        "objective": shown_objective,
        "action": shown_action,
        "indicator": indicator,
        "structure_a": structure_a,
        "structure_b": structure_b,
        "token": token,
        "key": key,
    }
