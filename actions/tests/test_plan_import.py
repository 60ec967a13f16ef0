"""The plan-document import service, on the federation's own document and on bad input."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from actions.models import Action, ActionPartner, ImportProvenance
from actions.services.actions import axis_links_update
from actions.services.plan_import import plan_import
from axes.document import DocumentError, ParsedAction
from axes.models import Axis, Chapter, Objective, Plan
from axes.tests.test_office import DOCUMENTS, REFUSALS
from network.models import Partner

pytestmark = pytest.mark.django_db

PLAN_MODELS = [Plan, Chapter, Axis, Objective, Action, ActionPartner, Partner]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PLAN_MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in PLAN_MODELS}


def seed_bytes() -> bytes:
    return settings.SEED_PLAN_DOCUMENT.read_bytes()


def seed_text() -> str:
    return seed_bytes().decode("utf-8")


def test_seed_document_gives_the_expected_plan(seeded_plan):
    chapters = list(seeded_plan.chapters.all())
    assert [chapter.title for chapter in chapters] == ["Des organisations sur les territoires"]
    axes = list(Axis.objects.for_plan(seeded_plan))
    assert [axis.title for axis in axes] == ["Impact social", "Gouvernance", "Fonction accueil"]
    assert [axis.objectives.count() for axis in axes] == [3, 1, 4]

    impact, governance, welcome = axes

    def actions(axis, status):
        return list(Action.objects.filter(axis=axis, status=status).order_by("order"))

    assert actions(impact, Action.Status.PREVIOUS_PLAN) == []
    assert impact.previous_actions_note.startswith("Dimension non abordée")
    assert [a.start_year for a in actions(impact, Action.Status.IN_PROGRESS)] == [2017, 2018, 2017]
    assert len(actions(impact, Action.Status.LEAD)) == 2

    previous = actions(governance, Action.Status.PREVIOUS_PLAN)
    assert len(previous) == 3
    assert (previous[0].start_year, previous[0].end_year) == (2014, 2015)
    projects = actions(governance, Action.Status.IN_PROGRESS)
    assert [(a.start_year, a.end_year) for a in projects] == [(2016, None), (2017, 2018)]
    assert projects[0].description == "Période : depuis le second semestre 2016."  # nothing dropped
    assert projects[1].description == ""
    assert [p.name for p in projects[1].partners.all()] == ["Fédération ardéchoise des Centres sociaux"]
    assert len(actions(governance, Action.Status.LEAD)) == 2

    assert len(actions(welcome, Action.Status.PREVIOUS_PLAN)) == 2
    welcome_projects = actions(welcome, Action.Status.IN_PROGRESS)
    assert len(welcome_projects) == 2
    assert "certaines structures en vue de plus de convivialité" in welcome_projects[1].title
    assert actions(welcome, Action.Status.LEAD) == []


def test_seed_partners_are_linked_with_their_role(seeded_plan):
    link = ActionPartner.objects.select_related("partner", "action").get(partner__name="Caf de la Drôme")
    assert link.role == "co-portage"
    assert link.action.start_year == 2018
    assert Partner.objects.filter(name__iexact="Fonda").exists()


def test_seed_objectives_are_the_visee_clauses(seeded_plan):
    impact = Axis.objects.get(title="Impact social")
    texts = list(impact.objectives.order_by("order").values_list("text", flat=True))
    assert [text.split(" :")[0] for text in texts] == [
        "Une visée stratégique",
        "Une visée démocratique",
        "Une visée de plaidoyer",
    ]
    assert "triple enjeu" in impact.objectives_intro
    assert not any("triple enjeu" in text for text in texts)


def test_reimporting_the_same_document_changes_nothing(seeded_plan):
    ids_before = {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in PLAN_MODELS}
    history_before = history_counts()

    report = plan_import(source=seed_bytes(), user=None)

    assert report.created == 0 and report.updated == 0
    assert {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in PLAN_MODELS} == ids_before
    assert history_counts() == history_before


def test_reimport_keeps_the_status_staff_gave_an_action(seeded_plan):
    lead = Action.objects.filter(status=Action.Status.LEAD).first()
    lead.status = Action.Status.PLANNED
    lead.save()

    plan_import(source=seed_bytes(), user=None)

    lead.refresh_from_db()
    assert lead.status == Action.Status.PLANNED


def test_dry_run_writes_nothing(db):
    report = plan_import(source=seed_bytes(), dry_run=True, user=None)

    assert report.axes == 3 and report.objectives == 8
    assert report.created > 0
    assert sum(row_counts().values()) == 0


def test_summary_counts_actions_by_status(db):
    report = plan_import(source=seed_bytes(), user=None)
    assert report.actions_by_status[Action.Status.PREVIOUS_PLAN] == 5
    assert report.actions_by_status[Action.Status.IN_PROGRESS] == 7
    assert report.actions_by_status[Action.Status.LEAD] == 4
    assert any("Aller au contenu principal" in line for line in report.summary_lines())


def test_plan_title_option_fills_another_plan(seeded_plan):
    report = plan_import(source=seed_bytes(), plan_title="Projet fédéral 2027-2030", user=None)
    assert report.plan.pk != seeded_plan.pk
    assert Axis.objects.filter(chapter__plan=report.plan).count() == 3


def test_an_import_that_edits_records_its_author(seeded_plan, staff_user, director_user):
    axis = Axis.objects.get(title="Gouvernance")
    revised = seed_text().replace("Trouver des solutions afin", "Trouver ensemble des solutions afin")

    report = plan_import(source=revised.encode(), user=director_user)

    assert [(change.model, change.fields) for change in report.changes if change.kind == "update"] == [
        ("axe", ["stakes", "version"])
    ]
    latest = axis.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.version) == ("~", director_user, 2)


def test_the_command_imports_as_the_named_user(db, staff_user, tmp_path):
    document = tmp_path / "projet.txt"
    document.write_bytes(seed_bytes())
    with pytest.raises(CommandError, match="Aucun utilisateur « personne »"):
        call_command("import_plan", str(document), "--utilisateur", "personne", stdout=io.StringIO())
    assert sum(row_counts().values()) == 0

    call_command("import_plan", str(document), "--utilisateur", staff_user.username, stdout=io.StringIO())

    authors = {record.history_user_id for model in PLAN_MODELS for record in model.history.all()}
    assert authors == {staff_user.pk}


# The plan's period


def test_the_document_title_line_gives_a_new_plan_its_period(db):
    report = plan_import(source="Projet fédéral 2022-2026\n\n".encode() + seed_bytes(), user=None)

    assert (report.plan.start_year, report.plan.end_year) == (2022, 2026)
    assert report.summary_lines()[0] == (
        "Période du projet : 2022–2026 (lue dans le document, l. 1 « Projet fédéral 2022-2026 »)"
    )
    # The title line is not a chapter.
    assert [chapter.title for chapter in report.plan.chapters.all()] == ["Des organisations sur les territoires"]


def test_a_period_given_to_the_import_sets_an_existing_plans_years_as_its_author(seeded_plan, staff_user):
    assert (seeded_plan.start_year, seeded_plan.end_year) == (None, None)  # the seed states none

    report = plan_import(source=seed_bytes(), start_year=2019, end_year=2023, user=staff_user)

    seeded_plan.refresh_from_db()
    assert (seeded_plan.start_year, seeded_plan.end_year) == (2019, 2023)
    assert [(change.model, change.fields) for change in report.changes if change.kind == "update"] == [
        ("projet fédéral", ["start_year", "end_year", "version"])
    ]
    assert seeded_plan.history.order_by("-history_id").first().history_user == staff_user
    assert report.summary_lines()[0] == "Période du projet : 2019–2023"

    # Re-imported without a period, a document that states none leaves the years alone.
    plan_import(source=seed_bytes(), user=None)
    seeded_plan.refresh_from_db()
    assert (seeded_plan.start_year, seeded_plan.end_year) == (2019, 2023)


def test_a_period_given_wins_over_the_documents(db):
    source = "Projet fédéral 2022-2026\n\n".encode() + seed_bytes()
    report = plan_import(source=source, start_year=2021, end_year=2025, user=None)
    assert (report.plan.start_year, report.plan.end_year) == (2021, 2025)
    assert report.summary_lines()[0] == "Période du projet : 2021–2025"


def test_without_any_period_the_preview_says_so(db):
    report = plan_import(source=seed_bytes(), dry_run=True, user=None)
    assert report.summary_lines()[0] == (
        "Période du projet : non renseignée (ni le document ni le projet ne la donnent)"
    )


def test_the_command_sets_the_period(db, tmp_path):
    document = tmp_path / "projet.txt"
    document.write_bytes(seed_bytes())
    out = io.StringIO()

    call_command("import_plan", str(document), "--period", "2019-2023", stdout=out)

    assert Plan.objects.values_list("start_year", "end_year").get() == (2019, 2023)
    assert "Période du projet : 2019–2023" in out.getvalue()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2019", "Période « 2019 » illisible : écrivez l’année de début et l’année de fin, par exemple 2019-2023"),
        ("2019-23", "Période « 2019-23 » illisible"),
        ("de 2019 à 2023", "Période « de 2019 à 2023 » illisible"),
        (
            "2023-2019",
            "Période « 2023-2019 » à l’envers : l’année de fin \\(2019\\) précède l’année de début \\(2023\\)",
        ),
    ],
)
def test_the_command_refuses_a_malformed_or_reversed_period_in_french(db, tmp_path, period, message):
    document = tmp_path / "projet.txt"
    document.write_bytes(seed_bytes())
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(document), "--period", period, stdout=io.StringIO())
    assert sum(row_counts().values()) == 0


@pytest.mark.parametrize(
    "source",
    [b"", b"   \n\n", b"\x00\x01\x02PNG\x89binary", b"Un texte sans aucune structure.\nRien de plus."],
    ids=["empty", "blank", "binary", "unstructured"],
)
def test_bad_documents_are_refused_and_nothing_written(seeded_plan, source):
    before, history_before = row_counts(), history_counts()
    with pytest.raises(DocumentError) as refusal:
        plan_import(source=source, user=None)
    assert str(refusal.value)  # a French message
    assert row_counts() == before and history_counts() == history_before


def test_a_failure_while_writing_rolls_everything_back(db, monkeypatch):
    from actions.services import plan_import as import_module

    def explode(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(import_module._Writer, "_write_actions", explode)
    with pytest.raises(RuntimeError):
        plan_import(source=seed_bytes(), user=None)
    assert sum(row_counts().values()) == 0


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_random_input_never_crashes_nor_writes_partially(seeded_plan, junk):
    before = row_counts()
    try:
        plan_import(source=junk, user=None)
    except DocumentError:
        assert row_counts() == before


def test_the_import_links_no_action_to_an_objective_since_the_document_states_none(seeded_plan, staff_user):
    # The reader gives an action no objective: the document never says which objective a project serves.
    assert not any("objective" in name for name in ParsedAction.__dataclass_fields__)
    links = Action.objectives.through.objects
    assert Action.objects.filter(axis__chapter__plan=seeded_plan).count() > 0
    assert links.count() == 0

    # Links a person made survive a new import of the same document.
    action = Action.objects.filter(status=Action.Status.IN_PROGRESS).first()
    objective = action.axis.objectives.first()
    axis_links_update(axis=action.axis, links={action.pk: {objective.pk}}, user=staff_user)
    plan_import(source=seed_bytes(), user=None)
    assert list(links.values_list("action_id", "objective_id")) == [(action.pk, objective.pk)]


# Word, OpenDocument and PDF (issue 13, point 1)

OFFICE_COPIES = ["seed.docx", "seed.odt", "seed.pdf", "seed_headings.docx", "seed_titres.docx"]


def plan_structure(plan: Plan) -> list:
    """The plan as staff see it: chapters, axes and their texts, objectives, actions by status, partners."""
    rows = []
    for chapter in plan.chapters.order_by("order"):
        for axis in Axis.objects.filter(chapter=chapter).order_by("order"):
            actions = Action.objects.filter(axis=axis).order_by("order")
            rows.append(
                (
                    chapter.title,
                    axis.title,
                    axis.context,
                    axis.stakes,
                    axis.objectives_intro,
                    (axis.previous_actions_note, axis.projects_note, axis.leads_note),
                    list(axis.objectives.order_by("order").values_list("text", flat=True)),
                    [
                        (
                            a.title,
                            a.status,
                            a.start_year,
                            a.end_year,
                            a.description,
                            sorted(a.partner_links.values_list("partner__name", "role")),
                        )
                        for a in actions
                    ],
                )
            )
    return rows


@pytest.mark.parametrize("name", OFFICE_COPIES)
def test_office_copies_of_the_seed_import_as_the_seed(seeded_plan, name):
    expected = plan_structure(seeded_plan)
    data = (DOCUMENTS / name).read_bytes()

    report = plan_import(source=data, plan_title="Copie", document_name=name, user=None)

    assert plan_structure(report.plan) == expected
    # And into the seed's own plan: nothing to do.
    again = plan_import(source=data, document_name=name, user=None)
    assert again.created == again.updated == 0 and not again.kept and not again.conflicts


def test_the_upload_page_takes_a_word_document(client, staff_user):
    client.force_login(staff_user)
    data = (DOCUMENTS / "seed_headings.docx").read_bytes()
    upload = SimpleUploadedFile("projet.docx", data, content_type="application/octet-stream")
    preview = client.post(reverse("actions:plan_import"), {"document": upload})
    assert "Aperçu de l" in preview.content.decode() and Plan.objects.count() == 0

    client.post(reverse("actions:plan_import_confirm"), {"fingerprint": preview.context["fingerprint"]})

    assert Axis.objects.count() == 3 and Objective.objects.count() == 8
    assert ImportProvenance.objects.filter(document_name="projet.docx").count() == 28


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_bad_file_is_refused_in_french_and_nothing_written(seeded_plan, tmp_path, case):
    make, message = REFUSALS[case]
    data = make()
    before, history_before = row_counts(), history_counts()
    provenances = ImportProvenance.objects.count()

    with pytest.raises(DocumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan_import(source=data, user=None)
    path = tmp_path / "projet"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Document refusé, rien n’a été enregistré"):
        call_command("import_plan", str(path), stdout=io.StringIO())

    assert row_counts() == before and history_counts() == history_before
    assert ImportProvenance.objects.count() == provenances


def test_the_upload_page_refuses_a_scanned_pdf_in_french(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("projet.pdf", REFUSALS["scanned pdf"][0]())
    response = client.post(reverse("actions:plan_import"), {"document": upload})
    assert "document numérisé" in response.context["form"].errors["document"][0]
    assert Plan.objects.count() == 0
