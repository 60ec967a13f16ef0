"""Importing the observatory's yearly figures: one row per structure and year → validated values."""

import io
from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators.imports.observatory import SOURCE, observatory_import
from indicators.models import Indicator, Measurement
from indicators.observatory import observatory_indicators_ensure
from indicators.services import measurement_record, measurement_submit
from network.models import Structure
from network.tests.factories import StructureFactory, UserFactory
from toolkit.tables import table_read

pytestmark = pytest.mark.django_db

HEADER = ["Structure", "Année", "Habitants touchés", "Bénévoles", "Salariés", "Budget", "Partenaires"]
URL = reverse("indicators:observatory_import")
CONFIRM_URL = reverse("indicators:observatory_import_confirm")


@pytest.fixture
def centres():
    return {
        "drome": StructureFactory(name="Centre social de la Drôme"),
        "evs": StructureFactory(name="EVS Lœuvre", kind=Structure.Kind.EVS),
    }


def csv_bytes(rows: list[list[str]], delimiter: str = ";") -> bytes:
    return "\n".join(delimiter.join(row) for row in rows).encode("utf-8") + b"\n"


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes, filename: str = "observatoire.csv") -> tablib.Dataset:
    return table_read(content=content, filename=filename)


def values() -> dict[tuple[str, str, str], Decimal]:
    return {
        (m.structure.name, m.indicator.code, m.period): m.value
        for m in Measurement.objects.select_related("structure", "indicator")
    }


def snapshot():
    """Everything the import may write, history included."""
    return {
        "measurements": list(Measurement.objects.order_by("pk").values()),
        "structures": list(Structure.objects.order_by("pk").values()),
        "history": Measurement.history.count() + Structure.history.count(),
    }


GOOD = [
    HEADER,
    ["centre social de la drome", "2023", "1 250", "35", "4,5", "312 000", "12"],
    ["EVS LOEUVRE", "2023", "300", "12", "1", "45000,50", ""],
    ["Centre social de la Drôme", "2022", "1100", "30", "4", "298000", "10"],
]


# ---------------------------------------------------------------------------- the happy path


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_yearly_file_becomes_validated_values_of_the_observatory_indicators(centres, staff_user, file_format):
    content = csv_bytes(GOOD) if file_format == "csv" else xlsx_bytes(GOOD)
    dataset = read(content, f"observatoire.{file_format}")

    preview = observatory_import(user=staff_user, dataset=dataset, dry_run=True)
    assert preview.ok, preview.errors
    assert (preview.created, preview.updated, preview.unchanged) == (14, 0, 0)
    assert not Measurement.objects.exists()

    report = observatory_import(user=staff_user, dataset=dataset, dry_run=False)

    assert report.ok, report.errors
    assert report.created == 14
    assert values() == {
        ("Centre social de la Drôme", "observatoire-habitants", "2023"): Decimal(1250),
        ("Centre social de la Drôme", "observatoire-benevoles", "2023"): Decimal(35),
        ("Centre social de la Drôme", "observatoire-salaries", "2023"): Decimal("4.5"),
        ("Centre social de la Drôme", "observatoire-budget", "2023"): Decimal(312000),
        ("Centre social de la Drôme", "observatoire-partenaires", "2023"): Decimal(12),
        ("EVS Lœuvre", "observatoire-habitants", "2023"): Decimal(300),
        ("EVS Lœuvre", "observatoire-benevoles", "2023"): Decimal(12),
        ("EVS Lœuvre", "observatoire-salaries", "2023"): Decimal(1),
        ("EVS Lœuvre", "observatoire-budget", "2023"): Decimal("45000.50"),
        # the empty « partenaires » cell imports nothing
        ("Centre social de la Drôme", "observatoire-habitants", "2022"): Decimal(1100),
        ("Centre social de la Drôme", "observatoire-benevoles", "2022"): Decimal(30),
        ("Centre social de la Drôme", "observatoire-salaries", "2022"): Decimal(4),
        ("Centre social de la Drôme", "observatoire-budget", "2022"): Decimal(298000),
        ("Centre social de la Drôme", "observatoire-partenaires", "2022"): Decimal(10),
    }
    measurement = Measurement.objects.first()
    assert set(Measurement.objects.values_list("status", "source", "validated_by", "entered_by").distinct()) == {
        (Measurement.Status.VALIDATED, SOURCE, staff_user.pk, staff_user.pk)
    }
    assert measurement.validated_at is not None


def test_reimporting_the_same_file_changes_nothing(centres, staff_user):
    dataset = read(csv_bytes(GOOD))
    assert observatory_import(user=staff_user, dataset=dataset, dry_run=False).ok
    before = snapshot()

    again = observatory_import(user=staff_user, dataset=read(csv_bytes(GOOD)), dry_run=False)

    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 14)
    assert snapshot() == before  # not even a history row or a new validation date


def test_a_changed_figure_updates_only_that_value_and_replaces_a_centre_s_draft(centres, staff_user):
    assert observatory_import(user=staff_user, dataset=read(csv_bytes(GOOD[:2])), dry_run=False).ok
    indicator = Indicator.objects.get(code="observatoire-benevoles")
    draft = measurement_record(
        user=staff_user, indicator=indicator, period="2023", structure=centres["evs"], value=Decimal(99)
    )
    measurement_submit(user=staff_user, measurement=draft)
    rows = [HEADER[:4], ["Centre social de la Drôme", "2023", "1250", "36"], ["EVS Lœuvre", "2023", "", "12"]]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=False)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert [[cell.kind for cell in row.cells] for row in report.rows] == [
        ["Inchangé", "Modification"],
        ["", "Modification"],
    ]
    draft.refresh_from_db()
    assert (draft.value, draft.status, draft.source) == (Decimal(12), Measurement.Status.VALIDATED, SOURCE)


def test_headers_are_matched_whatever_their_case_accents_and_spelling(centres, staff_user):
    rows = [
        ["STRUCTURE", "annee", "habitants", "BENEVOLES", "Salariés (équivalents temps plein)", "budget annuel"],
        ["Centre social de la Drôme", "2023", "10", "2", "1", "1000"],
    ]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=False)

    assert report.ok, report.errors
    assert report.created == 4


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (["structure", "habitants"], "colonnes manquantes : « année »"),
        (["année", "habitants"], "colonnes manquantes : « structure »"),
        (["structure", "année"], "aucune colonne de chiffres"),
        (["structure", "année", "habitants", "familles"], "colonnes inconnues : « familles »"),
        (["structure", "année", "habitants", "Habitants touchés"], "colonnes en double : « Habitants touchés »"),
    ],
)
def test_wrong_columns_are_refused_in_french_and_nothing_is_written(centres, staff_user, header, problem):
    row = ["Centre social de la Drôme", "2023", "1", "1"][: len(header)]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes([header, row])), dry_run=False)

    assert [(error.line, error.column) for error in report.errors] == [(None, None)]
    assert problem in report.errors[0].message
    assert "Colonnes possibles : « structure », « année », « habitants touchés »" in report.errors[0].message
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------------------- bad rows


def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written(centres, staff_user):
    observatory_indicators_ensure()
    before = snapshot()
    rows = [
        HEADER,
        ["Centre social de la Drôme", "2023", "1250", "35", "4", "312000", "12"],  # fine
        ["Centre inconnu", "2023", "1", "1", "1", "1", "1"],
        ["EVS Lœuvre", "2023", "beaucoup", "1", "1", "1", "1"],
        ["EVS Lœuvre", "2022", "1", "-3", "1", "1", "1"],
        ["EVS Lœuvre", "", "1", "1", "1", "1", "1"],
        ["centre social de la drome", "2023", "1", "1", "1", "1", "1"],  # line 2 again
        ["EVS Lœuvre", "23", "1", "1", "1", "1", "1"],
        ["EVS Lœuvre", "2021", "12,5", "1", "1", "-1", "1"],
    ]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=False)

    assert snapshot() == before
    assert (report.created, report.updated) == (0, 0)
    errors = {(error.line, error.column): error.message for error in report.errors}
    assert errors == {
        (3, "Structure"): "Aucune structure nommée « Centre inconnu ». Vérifiez son nom, ou cochez "
        "« créer les structures inconnues ».",
        (4, "Habitants touchés"): "« beaucoup » n’est pas un nombre : écrivez par exemple 1 200 ou 12,5.",
        (5, "Bénévoles"): "« -3 » : bénévoles ne peut pas être négatif.",
        (6, "Année"): "L’année est obligatoire.",
        (7, "Structure"): "« centre social de la drome » a déjà une ligne pour 2023 (ligne 2) : gardez-en une seule.",
        (8, "Année"): "« 23 » n’est pas une année : écrivez-la 2024.",
        (9, "Habitants touchés"): "« 12,5 » : habitants touchés se compte en nombre entier.",
        (9, "Budget"): "« -1 » : budget annuel ne peut pas être négatif.",
    }
    assert [error.line for error in report.errors] == sorted(error.line for error in report.errors)


def test_a_dry_run_reports_the_same_errors(centres, staff_user):
    rows = [HEADER[:3], ["Centre inconnu", "2023", "1"], ["EVS Lœuvre", "", "1"]]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=True)

    assert [(error.line, error.column) for error in report.errors] == [(2, "Structure"), (3, "Année")]


def test_names_equal_but_for_accents_are_ambiguous_and_refused(staff_user):
    StructureFactory(name="Centre de Crest")
    StructureFactory(name="Centre de Crést")
    rows = [HEADER[:3], ["centre de crest", "2023", "1"]]

    report = observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=False)

    assert [(e.line, e.column) for e in report.errors] == [(2, "Structure")]
    assert report.errors[0].message.startswith("Plusieurs structures s’appellent « centre de crest »")
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------------------- new structures


def test_unknown_structures_can_be_created_in_the_same_import(centres, superuser):
    rows = [
        HEADER[:4],
        ["Centre social du Diois", "2023", "400", "20"],
        ["centre social du diois", "2022", "380", "18"],
        ["EVS Lœuvre", "2023", "300", "12"],
    ]
    dataset = read(csv_bytes(rows))

    preview = observatory_import(user=superuser, dataset=dataset, dry_run=True, create_structures=True)
    assert preview.ok, preview.errors
    assert preview.new_structures == ["Centre social du Diois"]
    assert [row.new_structure for row in preview.rows] == [True, True, False]
    assert not Structure.objects.filter(name="Centre social du Diois").exists()

    report = observatory_import(user=superuser, dataset=dataset, dry_run=False, create_structures=True)

    assert report.ok, report.errors
    diois = Structure.objects.get(name="Centre social du Diois")
    assert diois.kind == Structure.Kind.CENTRE_SOCIAL
    assert diois.history.count() == 1  # created through the structures list's import
    assert values()[("Centre social du Diois", "observatoire-habitants", "2022")] == Decimal(380)
    assert report.created == 6


def test_a_new_structure_is_not_kept_when_another_row_fails(centres, superuser):
    rows = [HEADER[:3], ["Centre social du Diois", "2023", "400"], ["EVS Lœuvre", "2023", "-1"]]
    before = snapshot()

    report = observatory_import(user=superuser, dataset=read(csv_bytes(rows)), dry_run=False, create_structures=True)

    assert [(e.line, e.column) for e in report.errors] == [(3, "Habitants touchés")]
    assert snapshot() == before


def test_creating_structures_needs_the_right_to_import_them(centres, staff_user):
    rows = [HEADER[:3], ["Centre social du Diois", "2023", "400"]]

    with pytest.raises(PermissionDenied):
        observatory_import(user=staff_user, dataset=read(csv_bytes(rows)), dry_run=False, create_structures=True)
    assert not Structure.objects.filter(name="Centre social du Diois").exists()


# ---------------------------------------------------------------------------- fuzzing

cell = st.one_of(
    st.text(max_size=10),
    st.integers(min_value=-(10**14), max_value=10**14).map(str),
    st.sampled_from(
        ["", " ", "2023", "2024", "0", "1,5", "1e3", "NaN", "-0", "Centre social de la Drôme", "EVS Lœuvre", "\x00"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_rows_never_crash_nor_write_partially(centres, superuser, data):
    columns = data.draw(st.lists(st.sampled_from(HEADER), min_size=1, max_size=len(HEADER), unique=True))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=4))
    create = data.draw(st.booleans())
    before = snapshot()

    report = observatory_import(
        user=superuser, dataset=tablib.Dataset(*rows, headers=columns), dry_run=False, create_structures=create
    )

    if report.ok:
        written = sum(1 for row in report.rows for c in row.cells if c.text)
        assert report.created + report.updated + report.unchanged == written
    else:
        assert all(error.message for error in report.errors)
        assert snapshot() == before


# ---------------------------------------------------------------------------- the pages


def upload(client, content: bytes, filename: str = "observatoire.csv", create: bool = False):
    data = {"file": SimpleUploadedFile(filename, content)}
    if create:
        data["create_structures"] = "on"
    return client.post(URL, data)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_staff_preview_then_confirm(client, centres, staff_user, file_format):
    client.force_login(staff_user)
    content = csv_bytes(GOOD) if file_format == "csv" else xlsx_bytes(GOOD)

    preview = upload(client, content, f"observatoire.{file_format}")

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "14 valeurs à créer" in page
    assert "Confirmer l&#x27;import" in page or "Confirmer l’import" in page
    assert not Measurement.objects.exists()

    done = client.post(CONFIRM_URL, {"fingerprint": preview.context["fingerprint"]})

    assert done.status_code == 302
    assert Measurement.objects.validated().count() == 14
    # the preview is used up: confirming twice does nothing more
    again = client.post(CONFIRM_URL, {"fingerprint": preview.context["fingerprint"]}, follow=True)
    assert "L’aperçu a expiré" in again.content.decode()


def test_the_preview_lists_every_error_in_french_and_offers_no_confirmation(client, centres, staff_user):
    client.force_login(staff_user)
    rows = [HEADER[:3], ["Centre inconnu", "2023", "1"], ["EVS Lœuvre", "2023", "-4"]]

    response = upload(client, csv_bytes(rows))

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 erreurs" in page
    assert "Aucune structure nommée « Centre inconnu »" in page
    assert "« -4 » : habitants touchés ne peut pas être négatif." in page
    assert CONFIRM_URL not in page
    assert "observatory_import" not in client.session


def test_an_unreadable_file_gets_a_french_message(client, staff_user):
    client.force_login(staff_user)

    response = upload(client, b"PK\x03\x04 not really", "observatoire.xlsx")

    assert response.status_code == 200
    assert "Ce classeur Excel est illisible" in response.content.decode()


def test_staff_cannot_create_structures_even_with_a_forged_form(client, centres, staff_user):
    client.force_login(staff_user)
    rows = [HEADER[:3], ["Centre social du Diois", "2023", "400"]]

    form_page = client.get(URL).content.decode()
    response = upload(client, csv_bytes(rows), create=True)

    assert "Réservé aux comptes qui importent la liste des structures" in form_page
    assert "Aucune structure nommée « Centre social du Diois »" in response.content.decode()
    assert not Structure.objects.filter(name="Centre social du Diois").exists()


def test_an_administrator_creates_structures_through_the_pages(client, centres, superuser):
    client.force_login(superuser)
    rows = [HEADER[:3], ["Centre social du Diois", "2023", "400"]]

    preview = upload(client, csv_bytes(rows), create=True)
    assert "1 structure à créer : Centre social du Diois" in preview.content.decode()
    client.post(CONFIRM_URL, {"fingerprint": preview.context["fingerprint"]})

    assert values() == {("Centre social du Diois", "observatoire-habitants", "2023"): Decimal(400)}


def test_a_file_that_became_invalid_before_confirmation_writes_nothing(client, centres, staff_user):
    client.force_login(staff_user)
    preview = upload(client, csv_bytes(GOOD))
    Structure.objects.filter(pk=centres["evs"].pk).update(name="EVS renommé")

    response = client.post(CONFIRM_URL, {"fingerprint": preview.context["fingerprint"]})

    assert response.status_code == 200
    assert "Aucune structure nommée « EVS LOEUVRE »" in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("role", ["director_user", "board_user", "roleless_user"])
def test_other_roles_get_403_and_nothing_is_written(client, centres, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert upload(client, csv_bytes(GOOD)).status_code == 403
    assert client.post(CONFIRM_URL, {"fingerprint": "x"}).status_code == 403
    assert not Measurement.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_staff_member_without_the_right_to_validate_cannot_import(client, centres):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_measurement"))
    client.force_login(user)

    assert upload(client, csv_bytes(GOOD)).status_code == 403


def test_the_lists_page_links_staff_to_the_observatory_import(client, staff_user, board_user):
    client.force_login(staff_user)
    assert URL in client.get(reverse("exchange_index")).content.decode()
    client.force_login(board_user)
    assert URL not in client.get(reverse("exchange_index")).content.decode()


# ---------------------------------------------------------------------------- queries


def many_rows(count: int) -> list[list[str]]:
    for n in range(count):
        StructureFactory(name=f"Centre numéro {n}", territory=None)
    return [HEADER, *([f"Centre numéro {n}", "2023", "1", "2", "3", "4", "5"] for n in range(count))]


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_page_queries_a_bounded_number_of_times(client, staff_user, django_assert_max_num_queries, size):
    observatory_indicators_ensure()
    client.force_login(staff_user)
    content = csv_bytes(many_rows(size))

    # Each value goes through the shared values import (django-import-export): it looks up the
    # structure, the indicator and the stored value, checks the constraints, each in a savepoint,
    # about 20 statements per value whatever the file's size; the rest (session, structures by
    # name, indicators, page) is constant.
    with django_assert_max_num_queries(40 + 20 * 5 * size):
        response = upload(client, content)

    assert response.context["report"].created == 5 * size


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_template_runs_no_query(centres, staff_user, django_assert_num_queries, size, rf):
    report = observatory_import(user=staff_user, dataset=read(csv_bytes(many_rows(size))), dry_run=True)
    request = rf.get(URL)
    request.user = staff_user

    with django_assert_num_queries(0):
        render_to_string(
            "indicators/observatory/import_preview.html",
            {"report": report, "filename": "f.csv", "fingerprint": "x", "perms": {}},
        )
