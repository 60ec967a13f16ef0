"""Import and export of the lists (CSV, XLSX): round trips, French errors, all or nothing."""

import csv
import datetime
import html
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from actions.models import Action
from actions.tests.factories import ActionFactory, ActionPartnerFactory
from axes.models import Objective
from axes.tests.factories import AxisFactory, ObjectiveFactory
from federation.lists import LISTS
from network.models import Partner, Structure
from network.tests.factories import PartnerFactory, StructureFactory, TerritoryFactory
from toolkit.tables import TableFileError, table_export, table_import, table_read

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


@pytest.fixture
def network():
    """A small plan and network, with the characters spreadsheets tend to break."""
    drome = TerritoryFactory(name="Drôme")
    centres = [
        StructureFactory(
            name="Centre social « La Fédé »",
            kind=Structure.Kind.CENTRE_SOCIAL,
            territory=drome,
            address="1 place de l'Église ; 26000 Valence",
            governance=Structure.Governance.ASSOCIATIVE,
            caf_approval_ends_on=datetime.date(2027, 6, 30),
        ),
        StructureFactory(name="EVS de l'Œuvre", kind=Structure.Kind.EVS, territory=None),
    ]
    caf = PartnerFactory(name="Caf de la Drôme", kind=Partner.Kind.CAF)
    PartnerFactory(name="Fédération ardéchoise", kind=Partner.Kind.FEDERATION)
    axis = AxisFactory(title="Des organisations sur les territoires")
    other_axis = AxisFactory(title="Un autre axe")
    objectives = [ObjectiveFactory(axis=axis, text=f"Objectif n°{n} ; « accentué » été") for n in range(3)]
    ObjectiveFactory(axis=other_axis, text="Objectif d'un autre axe")
    action = ActionFactory(
        axis=axis,
        title="Accompagner les centres, « pas à pas »",
        description='Première ligne\nDeuxième ligne, avec ; et "guillemets"',
        status=Action.Status.IN_PROGRESS,
        start_year=2018,
        end_year=2020,
    )
    action.objectives.set(objectives[:2])
    action.structures.set(centres)
    ActionPartnerFactory(action=action, partner=caf, role="co-portage")
    ActionFactory(axis=axis, title="Une piste", status=Action.Status.LEAD, start_year=None)
    ActionFactory(axis=other_axis, title="Du précédent projet", status=Action.Status.PREVIOUS_PLAN)
    return {
        "axis": axis,
        "other_axis": other_axis,
        "objectives": objectives,
        "action": action,
        "caf": caf,
    }


def snapshot():
    """Everything the import may touch, to prove that a refused import wrote nothing."""
    return {
        "partners": list(Partner.objects.order_by("pk").values()),
        "structures": list(Structure.objects.order_by("pk").values()),
        "objectives": list(Objective.objects.order_by("pk").values()),
        "actions": list(Action.objects.order_by("pk").values()),
        "action_objectives": list(Action.objectives.through.objects.order_by("pk").values()),
        "action_structures": list(Action.structures.through.objects.order_by("pk").values()),
        "history": sum(
            model.history.count() for model in (Partner, Structure, Objective, Action) if hasattr(model, "history")
        ),
    }


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_rows(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(slug: str, content: bytes, *, dry_run: bool = False, filename: str = "liste.csv"):
    return table_import(
        kind=LISTS[slug],
        dataset=table_read(content=content, filename=filename),
        dry_run=dry_run,
    )


# ---------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("slug", list(LISTS))
def test_an_exported_list_reimported_unchanged_changes_nothing(network, slug, file_format):
    before = snapshot()
    content = table_export(kind=LISTS[slug], file_format=file_format)

    report = run_import(slug, content, filename=f"export.{file_format}")

    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == LISTS[slug].model.objects.count() > 0
    assert snapshot() == before  # not even a history entry


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_export_is_human_readable(network, file_format):
    content = table_export(kind=LISTS["actions"], file_format=file_format)
    dataset = table_read(content=content, filename=f"export.{file_format}")
    row = dict(
        zip(
            dataset.headers,
            dataset[[r[0] for r in dataset].index(str(network["action"].pk))],
            strict=True,
        )
    )

    assert row["titre de l’axe"] == "Des organisations sur les territoires"
    assert row["statut"] == "En cours"
    # Objectives one a line, « numéro — intitulé »: the number for the import, the words for a person.
    assert row["objectifs"] == "\n".join(f"{o.pk} — {o.text}" for o in network["objectives"][:2])
    assert row["partenaires"] == "Caf de la Drôme (co-portage)"
    assert row["description"] == network["action"].description


def test_the_csv_export_opens_in_excel_with_its_accents(network):
    content = table_export(kind=LISTS["partenaires"], file_format="csv")
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    assert "Fédération ardéchoise".encode() in content


def test_an_edited_export_updates_only_the_changed_rows(network):
    dataset = table_read(
        content=table_export(kind=LISTS["partenaires"], file_format="csv"),
        filename="p.csv",
    )
    caf_index = [row[1] for row in dataset].index("Caf de la Drôme")
    rows = [list(row) for row in dataset]
    rows[caf_index][1] = "Caf de la Drôme (26)"
    rows.append(["", "Ville de Valence", "Collectivité"])
    content = csv_rows([list(dataset.headers), *rows])

    preview = run_import("partenaires", content, dry_run=True)
    assert preview.ok
    assert (preview.created, preview.updated, preview.unchanged) == (1, 1, 1)
    assert {row.kind for row in preview.rows} == {
        "Création",
        "Modification",
        "Inchangé",
    }
    assert not Partner.objects.filter(name="Ville de Valence").exists()  # a dry run writes nothing

    report = run_import("partenaires", content)
    assert report.ok
    network["caf"].refresh_from_db()
    assert network["caf"].name == "Caf de la Drôme (26)"
    assert Partner.objects.get(name="Ville de Valence").kind == Partner.Kind.COLLECTIVITE


# ---------------------------------------------------------------------------- friendly values


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Collectivité", Partner.Kind.COLLECTIVITE),
        ("collectivite", Partner.Kind.COLLECTIVITE),
        (" COLLECTIVITÉ ", Partner.Kind.COLLECTIVITE),
        ("Fédération, réseau", Partner.Kind.FEDERATION),
        ("etat", Partner.Kind.ETAT),
        ("", Partner.Kind.AUTRE),  # empty: the model's default
    ],
)
def test_partner_kinds_are_read_from_their_french_labels(written, kind):
    report = run_import("partenaires", csv_file("nom;type", f"Le partenaire;{written}"))
    assert report.ok, report.errors
    assert Partner.objects.get(name="Le partenaire").kind == kind


def test_structures_take_their_kind_label_and_territory_name():
    TerritoryFactory(name="Ardèche")
    report = run_import(
        "structures",
        csv_file("nom,type,territoire", "EVS du Cheylard,espace de vie sociale,ardèche"),
    )
    assert report.ok, report.errors
    structure = Structure.objects.get(name="EVS du Cheylard")
    assert structure.kind == Structure.Kind.EVS
    assert structure.territory.name == "Ardèche"


def test_actions_take_status_labels_and_related_ids(network):
    axis, objectives = network["axis"], network["objectives"]
    structure = StructureFactory()
    content = csv_file(
        "axe,intitulé,statut,année de début,objectifs,structures",
        f"{axis.pk},Nouvelle action,en cours,2024,{objectives[0].pk}|{objectives[2].pk},{structure.pk}",
    )
    report = run_import("actions", content)
    assert report.ok, report.errors
    action = Action.objects.get(title="Nouvelle action")
    assert action.status == Action.Status.IN_PROGRESS
    assert action.start_year == 2024
    assert set(action.objectives.all()) == {objectives[0], objectives[2]}
    assert list(action.structures.all()) == [structure]


def test_an_update_leaves_out_columns_not_in_the_file(network):
    action = network["action"]
    report = run_import(
        "actions",
        csv_file("id,axe,intitulé", f"{action.pk},{action.axis_id},Nouveau titre"),
    )
    assert report.ok, report.errors
    action.refresh_from_db()
    assert action.title == "Nouveau titre"
    assert action.start_year == 2018
    assert action.objectives.count() == 2


def test_an_import_is_recorded_in_the_history_with_a_new_version(network):
    action = network["action"]
    version = action.version if hasattr(action, "version") else None
    history = action.history.count()
    run_import(
        "actions",
        csv_file("id,axe,intitulé", f"{action.pk},{action.axis_id},Titre revu"),
    )
    action.refresh_from_db()
    assert action.history.count() == history + 1
    if version is not None:
        assert action.version == version + 1


# ---------------------------------------------------------------------------- errors


def test_every_error_is_reported_with_its_line_and_nothing_is_written(network):
    axis = network["axis"]
    before = snapshot()
    content = csv_file(
        "axe,intitulé,statut,année de début,année de fin,objectifs",
        f"{axis.pk},Une bonne ligne,planifiée,2024,2025,",
        "999999,Axe inconnu,planifiée,,,",
        f"{axis.pk},Année illisible,planifiée,deux mille,,",
        f"{axis.pk},Années à l'envers,planifiée,2025,2020,",
        f"{axis.pk},Statut inconnu,peut-être,,,",
        f"{axis.pk},Objectif d'ailleurs,planifiée,,,{network['other_axis'].objectives.get().pk}",
        f"{axis.pk},Objectif inconnu,planifiée,,,424242",
        f"{axis.pk},,planifiée,,,",
    )

    for dry_run in (True, False):
        report = run_import("actions", content, dry_run=dry_run)
        assert not report.ok
        by_line = {}
        for error in report.errors:
            by_line.setdefault(error.line, []).append(error)
        assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
        assert "Aucun axe n° 999999." in by_line[3][0].message
        assert by_line[3][0].column == "axe"
        assert by_line[4][0].column == "année de début"
        assert "n’est pas un nombre entier" in by_line[4][0].message
        assert "L’année de fin précède l’année de début." in by_line[5][0].message
        assert "« peut-être » n’est pas une valeur possible" in by_line[6][0].message
        assert "« En cours »" in by_line[6][0].message
        assert "appartiennent à un autre axe" in by_line[7][0].message
        assert "Objectifs introuvables : n° 424242." in by_line[8][0].message
        assert by_line[9][0].column == "intitulé"
        assert snapshot() == before


def test_wrong_columns_are_refused_in_french(network):
    before = snapshot()
    report = run_import("partenaires", csv_file("name,kind", "Caf,caf"))
    assert not report.ok
    [error] = report.errors
    assert error.line is None
    assert "colonnes manquantes : « nom »" in error.message
    assert "colonnes inconnues : « name », « kind »" in error.message
    assert snapshot() == before


def test_an_unknown_id_is_refused_rather_than_created():
    report = run_import("partenaires", csv_file("id,nom", "4242,Partenaire inventé"))
    assert not report.ok
    assert report.errors[0].line == 2
    assert "Aucun partenaire n° 4242" in report.errors[0].message
    assert not Partner.objects.exists()


def test_a_duplicate_name_is_refused_with_its_line(network):
    before = snapshot()
    report = run_import("partenaires", csv_file("nom", "Nouveau", "CAF DE LA DRÔME"))
    assert not report.ok
    assert [error.line for error in report.errors] == [3]
    assert snapshot() == before


def test_names_repeated_inside_the_file_are_refused():
    report = run_import("partenaires", csv_file("nom", "Même nom", "même nom"))
    assert [error.line for error in report.errors] == [3]
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"\x00\x01\x02\xff\xfe binary", "image.csv", "données binaires"),
        (
            b"PK\x03\x04 pas vraiment un zip",
            "classeur.xlsx",
            "classeur Excel est illisible",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.xlsx", "n’est pas un classeur Excel"),
        (b"nom\n", "titres.csv", "aucune donnée"),
        (b'nom\n"pas de fin\n', "guillemets.csv", "mal formé"),
        (b"x" * (2 * 1024 * 1024 + 1), "gros.csv", "2 Mo"),
    ],
)
def test_unreadable_files_get_a_french_message(content, filename, message):
    with pytest.raises(TableFileError, match=message):
        table_read(content=content, filename=filename)


def test_semicolons_and_windows_encoding_are_read():
    content = "nom;type\r\nFédération drômoise;Fédération, réseau\r\n".encode("cp1252")
    report = run_import("partenaires", content)
    assert report.ok, report.errors
    assert Partner.objects.get().name == "Fédération drômoise"


def test_xlsx_numbers_and_empty_cells_are_read(network):
    axis = network["axis"]
    content = xlsx_file(
        [
            ["axe", "objectif", "ordre"],
            [axis.pk, "Depuis Excel", 3.0],
            [None, None, None],
        ]
    )
    report = run_import("objectifs", content, filename="objectifs.xlsx")
    assert report.ok, report.errors
    assert Objective.objects.get(text="Depuis Excel").order == 3


# ---------------------------------------------------------------------------- fuzzing

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(
    content=st.binary(max_size=400),
    filename=st.sampled_from(["a.csv", "a.xlsx", "a.txt", ""]),
)
def test_random_bytes_never_crash_nor_write(network, content, filename):
    before = snapshot()
    for slug in LISTS:
        try:
            dataset = table_read(content=content, filename=filename)
        except TableFileError:
            continue
        report = table_import(kind=LISTS[slug], dataset=dataset, dry_run=False)
        if not report.ok:
            assert snapshot() == before
        else:  # random bytes that happen to be a valid file (e.g. one « nom » column)
            assert report.created + report.updated + report.unchanged == len(dataset)
            before = snapshot()


cell = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "2",
            "|",
            "1|2",
            "1.0",
            "2,5",
            "1e3",
            "NaN",
            "∞",
            "en cours",
            "Caf",
            "\x00",
            "=1+1",
        ]
    ),
)


@FUZZ
@given(data=st.data())
def test_random_rows_in_the_right_columns_never_crash_nor_write_partially(network, data):
    slug = data.draw(st.sampled_from(list(LISTS)))
    kind = LISTS[slug]
    columns = data.draw(st.lists(st.sampled_from(kind.columns), min_size=1, unique=True))
    rows = data.draw(
        st.lists(
            st.lists(cell, min_size=len(columns), max_size=len(columns)),
            min_size=1,
            max_size=4,
        )
    )
    before = snapshot()
    report = table_import(kind=kind, dataset=tablib.Dataset(*rows, headers=columns), dry_run=False)

    if report.ok:
        assert report.created + report.updated + report.unchanged == len(rows)
    else:
        assert report.errors and all(error.message for error in report.errors)
        assert snapshot() == before


# ---------------------------------------------------------------------------- the admin


def admin_import(client, content: bytes, filename: str = "partenaires.csv"):
    url = reverse("admin:network_partner_import")
    form = client.get(url).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    return client.post(
        url,
        {
            "import_file": SimpleUploadedFile(filename, content),
            "format": csv_index,
            "resource": "0",
        },
    )


def test_the_admin_import_uses_the_same_french_resource(client, superuser):
    client.force_login(superuser)

    response = admin_import(client, csv_file("nom,type", "Ville de Valence,inconnu"))
    assert response.status_code == 200
    assert "« inconnu » n’est pas une valeur possible" in html.unescape(response.content.decode())
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Partner.objects.exists()

    response = admin_import(client, csv_file("nom,type", "Ville de Valence,Collectivité"))
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:network_partner_process_import"),
        {**confirm.initial, "resource": "0"},
    )
    assert response.status_code == 302
    assert Partner.objects.get().kind == Partner.Kind.COLLECTIVITE


# ---------------------------------------------------------------------------- the « Listes » page


def upload(content: bytes, name: str = "liste.csv"):
    return {"file": SimpleUploadedFile(name, content)}


def test_readers_see_exports_and_only_staff_see_imports(client, board_user, staff_user, superuser):
    client.force_login(board_user)
    content = client.get(reverse("exchange_index")).content.decode()
    assert reverse("exchange_export", args=["actions", "xlsx"]) in content
    assert reverse("exchange_import", args=["actions"]) not in content

    client.force_login(staff_user)
    content = client.get(reverse("exchange_index")).content.decode()
    for slug in ["actions", "objectifs", "partenaires"]:
        assert reverse("exchange_import", args=[slug]) in content
    # Structures are the administrators' (the staff role may not change them).
    assert reverse("exchange_import", args=["structures"]) not in content
    assert client.get(reverse("exchange_import", args=["structures"])).status_code == 403

    client.force_login(superuser)
    assert reverse("exchange_import", args=["structures"]) in client.get(reverse("exchange_index")).content.decode()


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_director_downloads_a_list(client, network, director_user, file_format):
    client.force_login(director_user)
    response = client.get(reverse("exchange_export", args=["actions", file_format]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    dataset = table_read(content=response.content, filename=f"x.{file_format}")
    assert len(dataset) == Action.objects.count()


def test_unknown_lists_and_formats_are_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("exchange_export", args=["utilisateurs", "csv"])).status_code == 404
    assert client.get(reverse("exchange_export", args=["actions", "json"])).status_code == 404
    assert client.get(reverse("exchange_import", args=["utilisateurs"])).status_code == 404


@pytest.mark.parametrize("size", [3, 130])  # above the library's 100-row pages
def test_an_export_has_a_bounded_number_of_queries(client, staff_user, django_assert_max_num_queries, size):
    axis = AxisFactory()
    objective, structure, partner = ObjectiveFactory(axis=axis), StructureFactory(), PartnerFactory()
    for _ in range(size):
        action = ActionFactory(axis=axis)
        action.objectives.add(objective)
        action.structures.add(structure)
        ActionPartnerFactory(action=action, partner=partner)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("exchange_export", args=["actions", "csv"]))
    assert response.content.count(b"\n") == size + 1


def test_staff_preview_then_confirm_an_import(client, network, staff_user):
    client.force_login(staff_user)
    axis = network["axis"]
    content = csv_file("axe;intitulé;statut", f"{axis.pk};Une nouvelle action;Piste d'action")

    preview = client.post(reverse("exchange_import", args=["actions"]), upload(content))
    assert preview.status_code == 200
    page = html.unescape(preview.content.decode())
    assert "1 à créer" in page
    assert "Confirmer l’import" in page
    assert not Action.objects.filter(title="Une nouvelle action").exists()

    done = client.post(
        reverse("exchange_import_confirm", args=["actions"]),
        {"fingerprint": preview.context["fingerprint"]},
    )
    assert done.status_code == 302
    action = Action.objects.get(title="Une nouvelle action")
    assert action.status == Action.Status.LEAD
    assert action.history.first().history_user == staff_user
    # The preview is used once: confirming again imports nothing more.
    client.post(
        reverse("exchange_import_confirm", args=["actions"]),
        {"fingerprint": preview.context["fingerprint"]},
    )
    assert Action.objects.filter(title="Une nouvelle action").count() == 1


def test_the_preview_lists_every_error_and_offers_no_confirmation(client, network, staff_user):
    client.force_login(staff_user)
    before = snapshot()
    content = csv_file("nom,type", "Bon partenaire,Caf", "Mauvais type,Banque", ",Caf")

    response = client.post(reverse("exchange_import", args=["partenaires"]), upload(content))

    page = html.unescape(response.content.decode())
    assert "2 erreurs" in page
    assert "« Banque » n’est pas une valeur possible" in page
    assert "Confirmer l’import" not in page
    assert [(e.line, e.column) for e in response.context["report"].errors] == [
        (3, "type"),
        (4, "nom"),
    ]
    # Nothing pending: a forged confirmation imports nothing.
    client.post(reverse("exchange_import_confirm", args=["partenaires"]), {"fingerprint": "x"})
    assert snapshot() == before


def test_an_unreadable_file_gets_a_french_message(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("exchange_import", args=["partenaires"]),
        upload(b"\x00\xff\x00", "photo.jpg"),
    )
    assert response.status_code == 200
    assert "données binaires" in html.unescape(response.content.decode())
    assert not Partner.objects.exists()


def test_a_file_that_became_invalid_before_confirmation_writes_nothing(client, network, staff_user):
    client.force_login(staff_user)
    doomed = AxisFactory()
    content = csv_file("axe,intitulé", f"{network['axis'].pk},Première", f"{doomed.pk},Seconde")
    preview = client.post(reverse("exchange_import", args=["actions"]), upload(content))
    assert preview.context["report"].ok
    doomed.delete()  # someone removes the axis meanwhile

    response = client.post(
        reverse("exchange_import_confirm", args=["actions"]),
        {"fingerprint": preview.context["fingerprint"]},
    )
    assert response.status_code == 200
    assert "rien n’a été enregistré" in html.unescape(response.content.decode())
    assert not Action.objects.filter(title__in=["Première", "Seconde"]).exists()


@pytest.mark.parametrize("role", ["board_user", "director_user", "roleless_user"])
def test_other_roles_cannot_import(client, role, request):
    client.force_login(request.getfixturevalue(role))
    content = csv_file("nom", "Intrus")
    assert client.get(reverse("exchange_import", args=["partenaires"])).status_code == 403
    assert client.post(reverse("exchange_import", args=["partenaires"]), upload(content)).status_code == 403
    assert (
        client.post(
            reverse("exchange_import_confirm", args=["partenaires"]),
            {"fingerprint": "x"},
        ).status_code
        == 403
    )
    assert not Partner.objects.exists()


def test_an_xlsx_export_holds_numbers_as_numbers(network):
    from openpyxl import load_workbook

    content = table_export(kind=LISTS["actions"], file_format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    row = {
        headers[i]: cell.value
        for i, cell in enumerate(next(r for r in sheet.iter_rows(min_row=2) if r[0].value == network["action"].pk))
    }
    assert sheet.title == "Actions"  # the list's name, never « Tablib Dataset »
    assert row["id"] == network["action"].pk
    assert row["année de début"] == 2018
    assert row["axe"] == network["axis"].pk
    assert row["statut"] == "En cours"


@pytest.mark.parametrize("cell", ["{a}|{b}", "{a} — Ancien intitulé\n{b} – autre tiret | avec une barre"])
def test_objectives_are_read_by_their_numbers_typed_or_as_exported(network, cell):
    first, second = network["objectives"][:2]
    action = network["action"]
    action.objectives.clear()
    dataset = table_read(content=table_export(kind=LISTS["actions"], file_format="csv"), filename="a.csv")
    column = dataset.headers.index("objectifs")
    rows = [list(row) for row in dataset]
    for row in rows:
        if row[0] == str(action.pk):
            row[column] = cell.format(a=first.pk, b=second.pk)
    edited = tablib.Dataset(*rows, headers=dataset.headers)

    report = run_import("actions", edited.export("csv").encode(), filename="a.csv")

    assert report.ok, report.errors
    assert list(action.objectives.order_by("pk")) == sorted([first, second], key=lambda o: o.pk)
