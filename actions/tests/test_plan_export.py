"""The plan back out as a document (issue 13, point 4): each format imported into an empty
database gives the same plan."""

import pytest
from django.urls import reverse

from actions.models import Action, ActionPartner
from actions.services.plan_export import plan_export
from actions.services.plan_import import plan_import
from actions.tests.test_plan_import import plan_structure
from axes.models import Axis, Chapter, Objective, Plan
from axes.office import document_text
from network.models import Partner

pytestmark = pytest.mark.django_db


def empty_the_plan_tables() -> None:
    """An empty database, as a federation installing the app has (same test transaction)."""
    ActionPartner.objects.all().delete()
    Action.all_objects.all().delete()
    for model in (Objective, Axis, Chapter, Plan):
        model.all_objects.all().delete()
    Partner.objects.all().delete()


@pytest.mark.parametrize("fmt", ["docx", "odt", "txt"])
def test_export_then_import_into_an_empty_database_gives_the_same_plan(seeded_plan, fmt):
    seeded_plan.start_year, seeded_plan.end_year = 2022, 2026
    seeded_plan.save()
    expected = plan_structure(seeded_plan)
    data = plan_export(seeded_plan, fmt)

    empty_the_plan_tables()
    assert Axis.all_objects.count() == 0
    report = plan_import(source=data, plan_title="Projet fédéral", document_name=f"export.{fmt}", user=None)

    assert plan_structure(report.plan) == expected
    assert (report.plan.start_year, report.plan.end_year) == (2022, 2026)
    assert report.dropped == []


def test_the_export_is_in_the_federations_layout(seeded_plan):
    text = plan_export(seeded_plan, "txt").decode("utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["Des organisations sur les territoires", "", ""]
    assert "Impact social :" in lines and "Projets déjà engagés :" in lines
    assert "→ Expérimentation de la nouvelle gouvernance fédérale (depuis le second semestre 2016)" in lines
    assert "→ Mise en place de rencontres « gouvernance collégiale » (2014-2015)" in lines
    assert (
        "→ Co-portage avec la Caf de la Drôme d’une démarche départementale « Mesure de l’impact social » "
        "(depuis 2018)" in lines
    )


def test_status_progress_and_date_are_optional_and_left_aside_on_import(seeded_plan, staff_user):
    from datetime import date

    data = plan_export(seeded_plan, "docx", with_status=True, today=date(2026, 12, 2))
    text = document_text(data)
    assert "[Exporté le 2 décembre 2026]" in text
    assert "[Statut : En cours]" in text or "[Statut : En cours, avancement" in text

    # Imported again, the annotations are no actions.
    report = plan_import(source=data, plan_title="Projet fédéral", user=None)
    assert report.created == 0 and report.updated == 0
    assert any("Statut" in line for _, line in report.dropped)


@pytest.mark.parametrize("fmt", ["docx", "odt", "txt"])
def test_the_plan_page_offers_the_downloads(client, board_user, seeded_plan, fmt):
    client.force_login(board_user)
    page = client.get(reverse("actions:plan_detail", args=[seeded_plan.pk])).content.decode()
    url = reverse("actions:plan_export", args=[seeded_plan.pk, fmt])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="projet-federal.{fmt}"'
    assert "Gouvernance" in document_text(response.content)


def test_an_unknown_format_is_not_found(client, board_user, seeded_plan):
    client.force_login(board_user)
    assert client.get(reverse("actions:plan_export", args=[seeded_plan.pk, "exe"])).status_code == 404
