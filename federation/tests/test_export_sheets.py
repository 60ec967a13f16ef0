"""Exports read like the list they come from (issue 15, item 4): an XLSX sheet is named after the
list, never « Tablib Dataset », and its numbers (ids) are numbers, not text."""

import io

import openpyxl
import pytest
from django.urls import reverse

from actions.tests.factories import ActionFactory
from federation.lists import LISTS

pytestmark = pytest.mark.django_db


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response)))


def test_a_list_exported_as_xlsx_names_its_sheet_after_the_list(client, staff_user):
    ActionFactory()
    client.force_login(staff_user)
    kind = LISTS["actions"]
    book = workbook(client.get(reverse("exchange_export", args=["actions", "xlsx"])))
    assert book.sheetnames == [kind.label[:31]]
    sheet = book.active
    assert sheet.cell(row=1, column=1).value == "id"
    assert isinstance(sheet.cell(row=2, column=1).value, int)


def test_the_filtered_action_list_exported_as_xlsx_is_the_actions_sheet(client, staff_user):
    ActionFactory()
    client.force_login(staff_user)
    book = workbook(client.get(reverse("actions:action_export", args=["xlsx"])))
    assert book.sheetnames == ["Actions"]
    assert isinstance(book.active.cell(row=2, column=1).value, int)
