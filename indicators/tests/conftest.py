"""Fixtures of the indicators' tests."""

import pytest

from network.tests.factories import StructureFactory

from .factories import IndicatorFactory


@pytest.fixture
def world():
    return {
        "indicator": IndicatorFactory(code="benevoles", name="Nombre de bénévoles"),
        "a": StructureFactory(name="Centre social des Alpes"),
        "b": StructureFactory(name="EVS du Vercors"),
    }
