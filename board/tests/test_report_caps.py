"""The report stays a meeting document at national scale: long lists are cut and say so."""

import collections
import re

import pytest
from django.urls import reverse

from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ChapterFactory, ObjectiveFactory, PlanFactory
from board import dashboard
from indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_report_caps_actions_and_charts_and_keeps_ids_unique(client, board_user):
    plan = PlanFactory()
    chapter = ChapterFactory(plan=plan)
    first, second = AxisFactory(chapter=chapter, title="Premier axe"), AxisFactory(chapter=chapter, title="Second axe")
    for n in range(dashboard.REPORT_ACTIONS_PER_STATUS + 3):
        ActionFactory(axis=first, status="in_progress", title=f"Action en cours {n}")
    ActionFactory.create_batch(4, axis=first, status="abandoned")
    objectives = [ObjectiveFactory(axis=first), ObjectiveFactory(axis=second)]
    for n in range(dashboard.REPORT_CHARTS_PER_AXIS + 2):
        IndicatorFactory(name=f"Indicateur {n}").objectives.set(objectives)  # each serves both axes
    client.force_login(board_user)
    html = client.get(reverse("board:report")).content.decode()
    assert "… et 3 autres actions non détaillées ici" in html
    assert "4 actions, non détaillées dans ce rapport." in html
    assert html.count("<figure") == 4 + 2 * dashboard.REPORT_CHARTS_PER_AXIS  # summary + capped per axis
    assert "Autres indicateurs de l’axe (2, sans graphique)" in html
    ids = collections.Counter(re.findall(r'id="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    assert "{#" not in html
