"""Every import reads column titles (and choices) through one folding, `toolkit.text.fold_key`:
« Œ » and « OE », accents, case and underscores are the same to the values import, the
observatory import and the lists' import. No column of today's files has an « œ »: each test
adds one, as a new column of the observatory's spreadsheet or a new choice would."""

import pytest
import tablib
from django.db import models

from indicators import observatory
from indicators.imports import observatory as observatory_import
from indicators.imports.values import COLUMNS, normalise_headers
from network.tests.factories import StructureFactory
from toolkit.resources import ChoiceWidget

SPELLINGS = ["Nombre d'œuvres", "NOMBRE D'ŒUVRES", "nombre d'oeuvres", " Nombre_d'Oeuvres "]


@pytest.mark.parametrize("header", SPELLINGS)
def test_the_values_import_reads_a_title_with_oe_whatever_its_spelling(monkeypatch, header):
    monkeypatch.setitem(COLUMNS, "nombre d'oeuvres", "valeur")
    dataset = normalise_headers(tablib.Dataset(headers=["Structure", "Indicateur", "Période", header]))
    assert dataset.headers == ["structure", "indicateur", "periode", "valeur"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", SPELLINGS)
def test_the_observatory_import_reads_the_same_titles_the_same_way(monkeypatch, staff_user, header):
    works = observatory.Figure("observatoire-oeuvres", "nombre d'œuvres", "Œuvres soutenues", "œuvres")
    figures = [*observatory.FIGURES, works]
    monkeypatch.setattr(observatory, "FIGURES", figures)  # the indicators it creates
    monkeypatch.setattr(observatory_import, "FIGURES", figures)  # the columns it reads
    StructureFactory(name="Centre social de la Drôme")
    dataset = tablib.Dataset(["Centre social de la Drôme", "2024", "7"], headers=["structure", "année", header])

    report = observatory_import.observatory_import(user=staff_user, dataset=dataset, dry_run=True)

    assert report.ok, report.errors
    assert report.columns == [header.strip()] and report.created == 1


def test_a_lists_import_reads_a_choice_with_oe_whatever_its_spelling():
    class Kind(models.TextChoices):
        WORKS = "oeuvres_sociales", "Œuvres sociales"

    widget = ChoiceWidget(Kind)
    for spelling in ["Œuvres sociales", "OEUVRES SOCIALES", "œuvres_sociales", "oeuvres sociales"]:
        assert widget.clean(spelling) == "oeuvres_sociales"
