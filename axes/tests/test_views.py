"""The plan-structure edit views write once per use case, as the person using them."""

import pytest
from django.urls import reverse

from axes.models import Axis
from axes.tests.factories import ChapterFactory, PlanFactory

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


def test_the_plan_edit_page_sets_its_period_and_refuses_it_reversed(client, staff_user):
    plan = PlanFactory(start_year=None, end_year=None)
    client.force_login(staff_user)
    url = reverse("axes:plan_update", args=[plan.pk])
    page = client.get(url).content.decode()
    assert 'name="start_year"' in page and 'name="end_year"' in page
    fields = {"title": plan.title, "status": plan.status, "version": plan.version}

    refused = client.post(url, {**fields, "start_year": "2026", "end_year": "2022"})
    assert refused.status_code == 200
    assert "L’année de fin précède l’année de début." in refused.content.decode()
    plan.refresh_from_db()
    assert (plan.start_year, plan.end_year) == (None, None)

    response = client.post(url, {**fields, "start_year": "2022", "end_year": "2026"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.start_year, plan.end_year) == (2022, 2026)
    assert plan.history.order_by("-history_id").first().history_user == staff_user
