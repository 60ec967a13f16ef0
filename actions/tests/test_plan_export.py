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


def test_status_progress_and_date_are_optional_and_change_nothing_on_reimport(seeded_plan, staff_user):
    from datetime import date

    data = plan_export(seeded_plan, "docx", with_status=True, today=date(2026, 12, 2))
    text = document_text(data)
    assert "[Exporté le 2 décembre 2026]" in text
    assert "[Statut : En cours]" in text or "[Statut : En cours, avancement" in text

    # Imported again into the same plan, the notes are no actions and change nothing.
    report = plan_import(source=data, plan_title="Projet fédéral", user=None)
    assert report.created == 0 and report.updated == 0
    assert [line for _, line in report.dropped] == ["[Exporté le 2 décembre 2026]"]


@pytest.mark.parametrize("fmt", ["docx", "odt", "txt"])
def test_statuses_progress_and_partners_set_in_the_app_come_back_from_the_export(seeded_plan, fmt):
    projects = list(Action.objects.filter(axis__chapter__plan=seeded_plan, status=Action.Status.IN_PROGRESS))
    planned, done, abandoned, going = projects[:4]
    Action.objects.filter(pk=planned.pk).update(status=Action.Status.PLANNED, progress=None)
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE, progress=100)
    Action.objects.filter(pk=abandoned.pk).update(status=Action.Status.ABANDONED, progress=30)
    Action.objects.filter(pk=going.pk).update(progress=40)
    # Partners linked in the app only, one of them with a role; the title names neither.
    ActionPartner.objects.create(action=going, partner=Partner.objects.create(name="Uniscité"), role="")
    ActionPartner.objects.create(
        action=going, partner=Partner.objects.create(name="Fédération des MJC"), role="partenariat"
    )
    expected = {
        action.title: (action.status, action.progress, sorted(link.partner.name for link in action.partner_links.all()))
        for action in Action.objects.filter(axis__chapter__plan=seeded_plan).prefetch_related("partner_links__partner")
    }
    data = plan_export(seeded_plan, fmt, with_status=True)
    assert "[Partenaires : Fédération des MJC (partenariat) ; Uniscité]" in document_text(data)

    empty_the_plan_tables()
    report = plan_import(source=data, plan_title="Projet fédéral", user=None)

    found = {
        action.title: (action.status, action.progress, sorted(link.partner.name for link in action.partner_links.all()))
        for action in Action.objects.filter(axis__chapter__plan=report.plan).prefetch_related("partner_links__partner")
    }
    assert found == expected
    assert found[going.title] == (Action.Status.IN_PROGRESS, 40, ["Fédération des MJC", "Uniscité"])
    assert (
        ActionPartner.objects.get(action__title=going.title, partner__name="Fédération des MJC").role == "partenariat"
    )
    assert [line[:12] for _, line in report.dropped] == ["[Exporté le "]


def test_a_status_note_never_changes_an_action_that_exists(seeded_plan):
    """Statuses are the document's only on creation: a note naming another status changes nothing."""
    action = Action.objects.filter(axis__chapter__plan=seeded_plan, status=Action.Status.IN_PROGRESS).first()
    text = plan_export(seeded_plan, "txt").decode()
    item = next(line for line in text.splitlines() if line.startswith("→ " + action.title))
    text = text.replace(item, item + "\n[Statut : Terminée, avancement 100 %]", 1)
    report = plan_import(source=text, plan_title="Projet fédéral", user=None)
    assert report.created == 0 and report.updated == 0
    action.refresh_from_db()
    assert (action.status, action.progress) == (Action.Status.IN_PROGRESS, None)


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
