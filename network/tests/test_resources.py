"""The structures list's network columns: address, governance, end of the CAF approval."""

import datetime

import pytest

from network.models import Structure
from network.resources import STRUCTURE_LIST
from network.tests.factories import StructureFactory, TerritoryFactory
from toolkit.tables import table_export, table_import, table_read

pytestmark = pytest.mark.django_db

STRUCTURES = STRUCTURE_LIST


def run(content: bytes, *, filename: str = "structures.csv", dry_run: bool = False):
    return table_import(kind=STRUCTURES, dataset=table_read(content=content, filename=filename), dry_run=dry_run)


@pytest.fixture
def structures():
    drome = TerritoryFactory(name="Drôme")
    return [
        StructureFactory(
            name="Centre social « Les Tilleuls »",
            territory=drome,
            address="12 rue des Écoles\n26000 Valence",
            governance=Structure.Governance.CO_GESTION,
            caf_approval_ends_on=datetime.date(2026, 12, 31),
        ),
        StructureFactory(name="EVS de l'Œuvre", kind=Structure.Kind.EVS, territory=None),  # all three left empty
    ]


def test_the_export_has_the_network_columns_in_french(structures):
    dataset = table_read(content=table_export(kind=STRUCTURES, file_format="csv"), filename="s.csv")
    rows = {row[1]: dict(zip(dataset.headers, row, strict=True)) for row in dataset}

    tilleuls = rows["Centre social « Les Tilleuls »"]
    assert tilleuls["adresse"] == "12 rue des Écoles\n26000 Valence"
    assert tilleuls["mode de gestion"] == "Co-gestion"
    assert tilleuls["fin de l’agrément Caf"] == "31/12/2026"
    assert tilleuls["territoire"] == "Drôme"
    assert [rows["EVS de l'Œuvre"][c] for c in ("adresse", "mode de gestion", "fin de l’agrément Caf")] == ["", "", ""]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_reimported_changes_nothing(structures, file_format):
    before = list(Structure.objects.order_by("pk").values())
    history = Structure.history.count()

    report = run(table_export(kind=STRUCTURES, file_format=file_format), filename=f"s.{file_format}")

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert list(Structure.objects.order_by("pk").values()) == before
    assert Structure.history.count() == history


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/12/2026", datetime.date(2026, 12, 31)),
        ("1/7/2027", datetime.date(2027, 7, 1)),
        ("2026-12-31", datetime.date(2026, 12, 31)),
        ("2026-12-31 00:00:00", datetime.date(2026, 12, 31)),  # a spreadsheet's date cell
        ("", None),
    ],
)
def test_approval_dates_are_read_in_french_or_iso(cell, expected):
    report = run(f"nom,fin de l'agrément Caf\nCentre A,{cell}\n".encode())

    assert report.ok, report.errors
    assert Structure.objects.get(name="Centre A").caf_approval_ends_on == expected


@pytest.mark.parametrize("cell", ["Municipale", "municipale", "MUNICIPALE", " municipale "])
def test_governance_is_read_from_its_french_label_or_code(cell):
    report = run(f"nom;mode de gestion\nCentre A;{cell}\n".encode())

    assert report.ok, report.errors
    assert Structure.objects.get(name="Centre A").governance == Structure.Governance.MUNICIPALE


def test_co_gestion_label_and_code_are_both_accepted():
    report = run(b"nom;mode de gestion\nCentre A;Co-gestion\nCentre B;co_gestion\n")

    assert report.ok, report.errors
    assert set(Structure.objects.values_list("governance", flat=True)) == {"co_gestion"}


def test_emptying_a_cell_clears_the_governance_address_and_date(structures):
    tilleuls = structures[0]

    report = run(f"id;nom;adresse;mode de gestion;fin de l'agrément Caf\n{tilleuls.pk};{tilleuls.name};;;\n".encode())

    assert report.ok, report.errors
    tilleuls.refresh_from_db()
    assert (tilleuls.address, tilleuls.governance, tilleuls.caf_approval_ends_on) == ("", "", None)


def test_a_file_without_the_new_columns_leaves_them_alone(structures):
    tilleuls = structures[0]

    report = run(f"id;nom\n{tilleuls.pk};Centre social Les Tilleuls\n".encode())

    assert report.ok, report.errors
    tilleuls.refresh_from_db()
    assert tilleuls.name == "Centre social Les Tilleuls"
    assert tilleuls.governance == Structure.Governance.CO_GESTION
    assert tilleuls.caf_approval_ends_on == datetime.date(2026, 12, 31)


def test_bad_dates_and_governance_are_refused_in_french_with_their_line_and_column(structures):
    before = list(Structure.objects.order_by("pk").values())

    report = run(
        "nom;mode de gestion;fin de l'agrément Caf\n"
        "Centre A;associative;31/12/2026\n"
        "Centre B;privée;31/12/2026\n"
        "Centre C;associative;31/02/2026\n"
        "Centre D;associative;demain\n".encode()
    )

    assert list(Structure.objects.order_by("pk").values()) == before
    errors = {(error.line, error.column): error.message for error in report.errors}
    assert errors[(3, "mode de gestion")].startswith("« privée » n’est pas une valeur possible")
    assert "« Co-gestion »" in errors[(3, "mode de gestion")]
    assert errors[(4, "fin de l’agrément Caf")] == "« 31/02/2026 » n’est pas une date qui existe."
    assert errors[(5, "fin de l’agrément Caf")].startswith("« demain » n’est pas une date : écrivez-la jj/mm/aaaa")
    assert not any(line == 2 for line, _column in errors)
