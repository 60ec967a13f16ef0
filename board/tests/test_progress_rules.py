"""The board's pages tell how the progress figures they show are computed (issue 12)."""

import io
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.tests.factories import ActionFactory
from axes.models import Plan
from axes.tests.factories import ObjectiveFactory
from board.pdf import render_report_pdf

pytestmark = pytest.mark.django_db

AXIS_RULE = "L’avancement d’un axe est la moyenne de l’avancement de toutes ses actions"


@pytest.fixture
def plan():
    objective = ObjectiveFactory()
    ActionFactory(axis=objective.axis, progress=40).objectives.add(objective)
    plan = objective.axis.chapter.plan
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)
    return plan


def test_the_dashboard_and_the_report_tell_the_three_rules(client, board_user, plan):
    client.force_login(board_user)
    dashboard = unescape(client.get(reverse("board:dashboard")).content.decode())
    report = unescape(client.get(reverse("board:report")).content.decode())

    assert "Comment est-ce calculé ?" in dashboard
    for rule in ("L’avancement du projet est la moyenne", AXIS_RULE, "L’avancement d’un objectif est la moyenne"):
        assert rule in dashboard
        assert rule.replace("'", "’") in report  # the report's typographic apostrophes
    assert '<details class="progress-rule small text-body-secondary mb-2" open>' in report  # printed unfolded


def test_the_pdf_prints_the_rules(plan):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_report_pdf(plan))).pages)
    assert "qu’elles soient rattachées à un objectif ou non" in " ".join(text.split())
