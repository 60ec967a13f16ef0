"""Importing values from CSV/XLSX: dry run, French errors by row, all or nothing."""

from decimal import Decimal

import pytest
from openpyxl import Workbook

from indicators.imports.values import values_import
from indicators.models import Measurement
from toolkit.tables import table_read

from .factories import csv

pytestmark = pytest.mark.django_db


def test_dry_run_reports_and_writes_nothing_then_import_writes(world, staff_user):
    dataset = csv(
        "structure;indicateur;période;valeur\nCentre social des Alpes;benevoles;2024;12\nEVS du Vercors;Nombre de bénévoles;2024;1 200\n"
    )
    report = values_import(user=staff_user, dataset=dataset, dry_run=True)
    assert report.ok and report.created == 2
    assert not Measurement.objects.exists()
    report = values_import(user=staff_user, dataset=dataset, dry_run=False)
    assert report.ok
    values = dict(Measurement.objects.values_list("structure__name", "value"))
    assert values == {"Centre social des Alpes": Decimal(12), "EVS du Vercors": Decimal(1200)}
    assert set(Measurement.objects.values_list("status", flat=True)) == {"draft"}
    assert Measurement.objects.first().entered_by == staff_user


def test_import_can_validate_at_once_and_reimport_updates(world, staff_user):
    dataset = csv("structure,indicator,period,value\nCentre social des Alpes,benevoles,2024,12\n,benevoles,2024,40\n")
    report = values_import(user=staff_user, dataset=dataset, dry_run=False, validate=True)
    assert report.ok and report.created == 2
    assert set(Measurement.objects.values_list("status", flat=True)) == {"validated"}
    assert Measurement.objects.get(structure=None).value == 40  # empty structure = network
    report = values_import(
        user=staff_user,
        dataset=csv("structure,indicateur,periode,valeur\nCentre social des Alpes,benevoles,2024,13\n"),
        dry_run=False,
    )
    assert report.ok and report.updated == 1 and report.created == 0
    assert Measurement.objects.get(structure=world["a"]).value == 13


def test_any_bad_row_means_nothing_is_written_and_each_error_names_its_line(world, staff_user):
    dataset = csv(
        "structure;indicateur;période;valeur\n"
        "Centre social des Alpes;benevoles;2024;12\n"
        "Centre inconnu;benevoles;2024;3\n"
        "EVS du Vercors;inexistant;2024;3\n"
        "EVS du Vercors;benevoles;24;3\n"
        "EVS du Vercors;benevoles;2023;beaucoup\n"
    )
    report = values_import(user=staff_user, dataset=dataset, dry_run=False)
    assert not Measurement.objects.exists()
    messages = {(error.line, error.message) for error in report.errors}
    assert (3, "Aucune structure nommée « Centre inconnu ».") in messages
    assert (4, "Aucun indicateur de code ou de nom « inexistant ».") in messages
    assert any(line == 5 and "Période « 24 » invalide" in message for line, message in messages)
    assert (6, "« beaucoup » n’est pas un nombre : écrivez par exemple 1 200 ou 12,5.") in messages
    assert not any(line == 2 for line, _message in messages)


def test_missing_column_is_reported(world, staff_user):
    report = values_import(user=staff_user, dataset=csv("structure;indicateur;valeur\nA;b;1\n"), dry_run=True)
    assert not report.ok
    assert "« periode »" in report.errors[0].message


def test_xlsx_is_read(world, staff_user, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Structure", "Indicateur", "Période", "Valeur"])
    sheet.append(["EVS du Vercors", "benevoles", 2024, 7])
    path = tmp_path / "valeurs.xlsx"
    workbook.save(path)
    report = values_import(
        user=staff_user, dataset=table_read(content=path.read_bytes(), filename="v.xlsx"), dry_run=False
    )
    assert report.ok, report.errors
    assert Measurement.objects.get().value == 7
