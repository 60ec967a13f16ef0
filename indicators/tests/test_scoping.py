"""A director never sees another structure's unpublished values, on any indicator page."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from indicators.models import Measurement
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network import roles
from network.tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_centres(db):
    indicator = IndicatorFactory()
    centres = {}
    for key, value in [("a", 111), ("b", 222)]:
        director = UserFactory(username=f"direction-{key}")
        director.groups.add(Group.objects.get(name=roles.DIRECTOR))
        structure = StructureFactory(name=f"Centre {key.upper()}")
        structure.directors.add(director)
        draft = MeasurementFactory(indicator=indicator, structure=structure, value=value)
        draft.evidence.save(f"preuve-{key}.txt", ContentFile(b"confidentiel"))
        centres[key] = {"director": director, "structure": structure, "draft": draft}
    return indicator, centres


def test_indicator_page_hides_other_structures_drafts(client, two_centres):
    indicator, centres = two_centres
    client.force_login(centres["b"]["director"])
    response = client.get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    shown = {m.pk for m in response.context["measurements"]}
    assert shown == {centres["b"]["draft"].pk}
    assert "Centre A" not in response.content.decode()


def test_board_members_see_only_validated_values(client, two_centres, board_user):
    indicator, centres = two_centres
    Measurement.objects.filter(pk=centres["a"]["draft"].pk).update(
        status=Measurement.Status.VALIDATED, validated_at=timezone.now()
    )
    client.force_login(board_user)
    response = client.get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    assert {m.pk for m in response.context["measurements"]} == {centres["a"]["draft"].pk}


def test_staff_see_every_value(client, two_centres, staff_user):
    indicator, centres = two_centres
    client.force_login(staff_user)
    response = client.get(reverse("indicators:indicator_detail", args=[indicator.pk]))
    assert len(response.context["measurements"]) == 2


def test_another_structures_evidence_is_refused(client, two_centres):
    _, centres = two_centres
    client.force_login(centres["b"]["director"])
    assert client.get(reverse("indicators:measurement_evidence", args=[centres["a"]["draft"].pk])).status_code == 403
    own = client.get(reverse("indicators:measurement_evidence", args=[centres["b"]["draft"].pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"confidentiel"
