"""Importing the plan document again after staff worked in the app (issue 13, point 3), on the seed.

The four cases: an object the document did not change keeps the app's edits; one only the
document changed is updated in place; one both changed is a conflict staff settle; one the
document no longer has is listed and left alone unless staff send it to the trash. Never a
duplicate.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, ActionPartner, ImportProvenance, Update
from actions.services.actions import action_update, axis_links_update
from actions.services.journal import update_create
from actions.services.plan_import import plan_import
from axes.models import Axis, Chapter, Objective, Plan
from axes.services import objective_update
from network.models import Partner

pytestmark = pytest.mark.django_db

PLAN_MODELS = [Plan, Chapter, Axis, Objective, Action, ActionPartner, Partner]
OBJECTIVE = "Développer une gouvernance partagée et dynamique de nos projets."
LEAD = "Formation-action avec les structures du réseau"


def seed_text() -> str:
    return settings.SEED_PLAN_DOCUMENT.read_text(encoding="utf-8")


def all_rows() -> dict[str, set[int]]:
    return {
        model.__name__: set(model.all_objects.values_list("pk", flat=True))
        if hasattr(model, "all_objects")
        else set(model.objects.values_list("pk", flat=True))
        for model in PLAN_MODELS
    }


def governance_objective() -> Objective:
    return Objective.objects.get(axis__title="Gouvernance")


def test_the_import_remembers_what_the_document_said_for_each_object(seeded_plan):
    objective = governance_objective()
    provenance = ImportProvenance.objects.get(kind="objective", object_id=objective.pk)
    assert (provenance.plan, provenance.text, provenance.line) == (seeded_plan, OBJECTIVE, 37)
    assert len(provenance.checksum) == 64
    assert provenance.values["text"] == OBJECTIVE
    counts = {kind: ImportProvenance.objects.filter(kind=kind).count() for kind, _ in ImportProvenance.Kind.choices}
    assert counts == {"chapter": 1, "axis": 3, "objective": 8, "action": 16}


# 1. Edited in the app, same document: the app's version stays.


def test_an_edit_in_the_app_survives_the_same_document(seeded_plan, staff_user):
    objective = governance_objective()
    objective_update(
        objective=objective, data={"text": "Une gouvernance partagée"}, expected_version=None, user=staff_user
    )
    lead = Action.objects.get(title=LEAD)
    action_update(
        action=lead, data={"title": "Formation-action des structures"}, expected_version=None, user=staff_user
    )
    before = all_rows()

    preview = plan_import(source=seed_text().encode(), dry_run=True, user=None)
    assert sorted((change.model, change.label, change.fields) for change in preview.kept) == [
        ("action", "Formation-action des structures", ["title"]),
        ("objectif opérationnel", "Une gouvernance partagée", ["text"]),
    ]
    assert (
        "Objectif opérationnel « Une gouvernance partagée » : modifié dans l’application, conservé"
        in preview.summary_lines()
    )
    assert preview.created == 0 and preview.updated == 0

    report = plan_import(source=seed_text().encode(), user=None)

    assert report.created == 0 and report.updated == 0 and len(report.kept) == 2
    assert all_rows() == before  # no duplicate
    objective.refresh_from_db()
    lead.refresh_from_db()
    assert (objective.text, lead.title) == ("Une gouvernance partagée", "Formation-action des structures")


def test_status_progress_and_links_set_in_the_app_are_never_reset(seeded_plan, staff_user):
    action = Action.objects.get(title__startswith="Expérimentation de la nouvelle gouvernance")
    update_create(action=action, author=staff_user, text="Point d’étape", new_progress=60)
    objective = governance_objective()
    axis_links_update(axis=action.axis, links={action.pk: {objective.pk}}, user=staff_user)
    lead = Action.objects.get(title=LEAD)
    ActionPartner.objects.create(action=lead, partner=Partner.objects.create(name="MSA"), role="partenaire")
    caf_link = ActionPartner.objects.get(partner__name="Caf de la Drôme")
    caf_link.delete()  # staff removed a partner the document names

    # The document changes another action's wording: the rest stays as staff left it.
    plan_import(
        source=seed_text().replace("Accompagnement et appui des structures", "Appui des structures").encode(), user=None
    )

    action.refresh_from_db()
    assert action.progress == 60 and action.status == Action.Status.IN_PROGRESS
    assert list(action.objectives.all()) == [objective]
    assert ActionPartner.objects.filter(action=lead, partner__name="MSA").exists()
    assert not ActionPartner.objects.filter(partner__name="Caf de la Drôme").exists()


# 2. Changed in the document only: updated in place.


def test_a_revised_document_updates_the_object_in_place(seeded_plan, staff_user):
    objective = governance_objective()
    action = Action.objects.get(title=LEAD)
    update_create(action=action, author=staff_user, text="Première session calée")
    axis_links_update(axis=action.axis, links={action.pk: {objective.pk}}, user=staff_user)
    before = all_rows()
    revised = (
        seed_text()
        .replace(OBJECTIVE, "Développer une gouvernance partagée, ouverte et dynamique.")
        .replace(
            "Formation-action avec les structures du réseau.",
            "Formation-action avec les structures adhérentes du réseau.",
        )
    )

    report = plan_import(source=revised.encode(), user=None)

    assert sorted((change.model, change.fields) for change in report.changes if change.kind == "update") == [
        ("action", ["title", "version"]),
        ("objectif opérationnel", ["text", "version"]),
    ]
    assert all_rows() == before  # same rows
    objective.refresh_from_db()
    action.refresh_from_db()
    assert objective.text == "Développer une gouvernance partagée, ouverte et dynamique."
    assert action.title == "Formation-action avec les structures adhérentes du réseau"
    assert list(action.objectives.all()) == [objective]  # its links
    assert Update.objects.filter(action=action, text="Première session calée").exists()  # its journal
    assert action.history.count() >= 2  # its history
    provenance = ImportProvenance.objects.get(kind="objective", object_id=objective.pk)
    assert provenance.text == "Développer une gouvernance partagée, ouverte et dynamique."

    # The revised document imported again: nothing more to do.
    again = plan_import(source=revised.encode(), user=None)
    assert again.created == again.updated == 0


# 3. Changed on both sides: a conflict staff settle.

BOTH_APP = "Une gouvernance partagée (version de l’équipe)"
BOTH_DOCUMENT = "Développer une gouvernance partagée et ouverte."


def both_changed(staff_user) -> tuple[Objective, bytes]:
    objective = governance_objective()
    objective_update(objective=objective, data={"text": BOTH_APP}, expected_version=None, user=staff_user)
    return objective, seed_text().replace(OBJECTIVE, BOTH_DOCUMENT).encode()


def test_a_change_on_both_sides_is_a_conflict_and_the_app_version_stays_by_default(seeded_plan, staff_user):
    objective, revised = both_changed(staff_user)
    before = all_rows()

    report = plan_import(source=revised, user=None)

    (conflict,) = report.conflicts
    assert (conflict.key, conflict.resolution) == (f"objective-{objective.pk}", "app")
    assert [(v.label, v.app, v.document) for v in conflict.versions] == [("objectif", BOTH_APP, BOTH_DOCUMENT)]
    assert any(BOTH_APP in line and BOTH_DOCUMENT in line for line in report.summary_lines())
    objective.refresh_from_db()
    assert objective.text == BOTH_APP
    assert all_rows() == before
    # Settled: the same document again is no longer a conflict, the app's version is kept.
    again = plan_import(source=revised, user=None)
    assert again.conflicts == [] and [change.label for change in again.kept] == [BOTH_APP]


def test_staff_may_take_the_documents_version_of_a_conflict(seeded_plan, staff_user):
    objective, revised = both_changed(staff_user)

    report = plan_import(source=revised, resolutions={f"objective-{objective.pk}": "document"}, user=staff_user)

    assert report.conflicts[0].resolution == "document"
    objective.refresh_from_db()
    assert objective.text == BOTH_DOCUMENT
    assert Objective.objects.filter(axis__title="Gouvernance").count() == 1


def test_the_command_keeps_the_app_version_unless_prefer_document(seeded_plan, staff_user, tmp_path):
    objective, revised = both_changed(staff_user)
    path = tmp_path / "projet.txt"
    path.write_bytes(revised)

    out = io.StringIO()
    call_command("import_plan", str(path), stdout=out)
    objective.refresh_from_db()
    assert objective.text == BOTH_APP
    assert "Conflit sur objectif" in out.getvalue() and "version de l’application conservée" in out.getvalue()

    # The conflict was settled by the first run (the app's version): edit again in the app.
    objective_update(objective=objective, data={"text": "Encore autre chose"}, expected_version=None, user=staff_user)
    path.write_bytes(revised.replace(BOTH_DOCUMENT.encode(), "Un troisième texte.".encode()))
    out = io.StringIO()
    call_command("import_plan", str(path), "--prefer-document", stdout=out)
    objective.refresh_from_db()
    assert objective.text == "Un troisième texte."
    assert "version du document retenue" in out.getvalue()


def test_the_preview_shows_both_texts_and_staff_choose(client, seeded_plan, staff_user):
    objective, revised = both_changed(staff_user)
    client.force_login(staff_user)
    preview = client.post(reverse("actions:plan_import"), {"document": SimpleUploadedFile("projet.txt", revised)})
    page = preview.content.decode()
    assert BOTH_APP in page and BOTH_DOCUMENT in page
    assert f'name="conflict-objective-{objective.pk}"' in page
    objective.refresh_from_db()
    assert objective.text == BOTH_APP  # the preview wrote nothing

    client.post(
        reverse("actions:plan_import_confirm"),
        {"fingerprint": preview.context["fingerprint"], f"conflict-objective-{objective.pk}": "document"},
    )
    objective.refresh_from_db()
    assert objective.text == BOTH_DOCUMENT


# 4. Gone from the document: listed, left alone unless staff choose the trash.


def without_the_lead() -> bytes:
    return seed_text().replace("Formation-action avec les structures du réseau.\n", "").encode()


def test_an_object_gone_from_the_document_is_listed_and_left_alone(seeded_plan):
    lead = Action.objects.get(title=LEAD)

    report = plan_import(source=without_the_lead(), user=None)

    assert [(change.kind, change.label, change.key) for change in report.absent] == [
        ("absent", LEAD, f"action-{lead.pk}")
    ]
    assert f"Action « {LEAD} » : absent du document, laissé en place" in report.summary_lines()
    assert Action.objects.filter(pk=lead.pk).exists()


def test_staff_may_send_an_absent_object_to_the_trash(client, seeded_plan, staff_user):
    lead = Action.objects.get(title=LEAD)
    client.force_login(staff_user)
    upload = SimpleUploadedFile("projet.txt", without_the_lead())
    preview = client.post(reverse("actions:plan_import"), {"document": upload})
    assert "Absents du document" in preview.content.decode()
    assert f'value="action-{lead.pk}"' in preview.content.decode()
    other = Action.objects.exclude(pk=lead.pk).first()

    client.post(
        reverse("actions:plan_import_confirm"),
        # A key this import does not report absent is ignored.
        {"fingerprint": preview.context["fingerprint"], "trash": [f"action-{lead.pk}", f"action-{other.pk}"]},
    )

    assert Action.all_objects.get(pk=lead.pk).in_trash
    assert not Action.all_objects.get(pk=other.pk).in_trash


def test_the_command_trashes_absent_objects_only_when_asked(seeded_plan, tmp_path):
    lead = Action.objects.get(title=LEAD)
    path = tmp_path / "projet.txt"
    path.write_bytes(without_the_lead())
    call_command("import_plan", str(path), stdout=io.StringIO())
    assert not Action.all_objects.get(pk=lead.pk).in_trash
    out = io.StringIO()
    call_command("import_plan", str(path), "--trash-absent", stdout=out)
    assert Action.all_objects.get(pk=lead.pk).in_trash
    assert "absent du document, mis à la corbeille" in out.getvalue()


def test_dry_run_shows_every_case_and_writes_nothing(seeded_plan, staff_user, tmp_path):
    objective, revised = both_changed(staff_user)
    lead = Action.objects.get(title=LEAD)
    action_update(action=lead, data={"title": "Formation-action (renommée)"}, expected_version=None, user=staff_user)
    text = revised.decode().replace("Accompagnement et appui des structures en réflexion.", "Appui aux structures.")
    text = text.replace("Mesure de l’impact social de la Fédération.\n", "\n")
    path = tmp_path / "projet.txt"
    path.write_text(text, encoding="utf-8")
    history = {model.__name__: model.history.count() for model in (Plan, Chapter, Axis, Objective, Action)}
    provenances = list(ImportProvenance.objects.values_list("pk", "text", "values"))

    out = io.StringIO()
    call_command("import_plan", str(path), "--dry-run", "--trash-absent", stdout=out)

    printed = out.getvalue()
    assert "Simulation : rien n’a été enregistré." in printed
    assert "modifiés : 1" in printed  # the revised lead
    assert "Action « Formation-action (renommée) » : modifié dans l’application, conservé" in printed
    assert "Conflit sur objectif" in printed
    assert "absent du document, mis à la corbeille" in printed
    assert {model.__name__: model.history.count() for model in (Plan, Chapter, Axis, Objective, Action)} == history
    assert list(ImportProvenance.objects.values_list("pk", "text", "values")) == provenances
    assert not Action.all_objects.filter(deleted_at__isnull=False).exists()


def test_a_variant_of_the_same_document_changes_nothing(seeded_plan):
    """Other bullets, straight apostrophes, headings in lower case, CRLF: the same plan."""
    text = seed_text().replace("’", "'").replace("→ ", "▪ ").replace("CONTEXTE GLOBAL", "contexte global")
    before = all_rows()

    report = plan_import(source=text.replace("\n", "\r\n").encode(), user=None)

    assert report.created == report.updated == 0
    assert not report.kept and not report.conflicts and not report.absent
    assert all_rows() == before


def test_an_action_staff_moved_to_another_axis_is_found_there_not_duplicated(seeded_plan, staff_user):
    action = Action.objects.get(title__startswith="Expérimentation de la nouvelle gouvernance")
    elsewhere = Axis.objects.get(title="Fonction accueil")
    assert action.axis != elsewhere
    action_update(action=action, data={"axis": elsewhere}, expected_version=action.version, user=staff_user)
    before = all_rows()

    report = plan_import(source=seed_text().encode(), user=None)

    assert all_rows() == before
    assert report.created == 0 and not report.absent
    action.refresh_from_db()
    assert action.axis == elsewhere
