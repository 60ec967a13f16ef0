"""The plan-structure edit views write once per use case, as the person using them."""

import pytest
from django.urls import reverse

from axes.models import Axis
from axes.tests.factories import ChapterFactory

pytestmark = pytest.mark.django_db


def test_creating_an_axis_with_every_field_writes_one_history_row_by_its_author(client, staff_user):
    chapter = ChapterFactory()
    fields = {
        "title": "Jeunesse et familles",
        "context": "Un contexte.\n→ un point",
        "stakes": "Des enjeux.",
        "objectives_intro": "Trois objectifs :",
        "previous_actions_note": "Dimension non abordée.",
        "projects_note": "Deux projets engagés.",
        "leads_note": "Une piste.",
    }
    client.force_login(staff_user)

    response = client.post(reverse("axes:axis_create", args=[chapter.pk]), fields)

    axis = Axis.objects.get()
    assert response.status_code == 302 and response.url == axis.get_absolute_url()
    assert {name: getattr(axis, name) for name in fields} == fields
    assert (axis.slug, axis.version) == ("jeunesse-et-familles", 1)
    records = list(axis.history.all())
    assert len(records) == 1
    assert (records[0].history_type, records[0].history_user) == ("+", staff_user)
