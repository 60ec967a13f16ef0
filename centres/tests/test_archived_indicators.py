"""An archived indicator (issue 14) is no longer asked of the structures: not in « Mon centre »'s
figures to send, not on « Qui a transmis », never in a reminder; its targets and values stay."""

import datetime

import pytest
from django.utils import timezone

from centres.reporting import structure_obligations
from indicators.definitions import indicator_archive
from indicators.models import Target
from indicators.tests.factories import IndicatorFactory, TargetFactory
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_an_archived_indicator_is_no_longer_expected(staff_user):
    structure = StructureFactory()
    indicator = IndicatorFactory(name="Ancien indicateur")
    last_year = str(timezone.localdate().year - 1)
    TargetFactory(indicator=indicator, period=last_year, structure=structure)
    today = timezone.localdate() + datetime.timedelta(days=1)
    assert [o.indicator for o in structure_obligations(structure, today=today)] == [indicator]
    indicator_archive(user=staff_user, indicator=indicator, archived=True)
    assert structure_obligations(structure, today=today) == []
    assert Target.objects.filter(indicator=indicator).exists()
