import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.models import Participation
from centres.reporting import due_period
from indicators.models import Measurement
from network.models import Structure

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_two_directors_two_structures_with_past_validated_and_draft_and_submitted_values(client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    User = get_user_model()
    direction, direction2 = User.objects.get(username="direction"), User.objects.get(username="direction2")
    assert direction2.check_password("demo")
    [first] = Structure.objects.directed_by(direction)
    [second] = Structure.objects.directed_by(direction2)
    assert first != second
    due = due_period("yearly")
    for structure, joined in ((first, 2), (second, 3)):
        statuses = set(
            structure.measurements.filter(indicator__code__startswith="observatoire-", period=due).values_list(
                "status", flat=True
            )
        )
        assert statuses == {Measurement.Status.DRAFT, Measurement.Status.SUBMITTED}
        # The plan's earlier years were reported and validated.
        earlier = structure.measurements.filter(indicator__code__startswith="observatoire-").exclude(period=due)
        assert earlier.exists() and set(earlier.values_list("status", flat=True)) == {Measurement.Status.VALIDATED}
        assert Participation.objects.filter(structure=structure).count() == joined
    # One offer waits for the federal team's answer; the others were accepted.
    assert Participation.objects.pending().count() == 1
    assert Participation.objects.accepted().count() == 4

    client.force_login(direction2)
    assert client.get(f"/mon-centre/{first.pk}/").status_code == 403
    assert client.get(f"/mon-centre/{second.pk}/").status_code == 200
