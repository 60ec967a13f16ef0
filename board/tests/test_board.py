"""« Ce qui a changé depuis », built from the history; the PDF report; board meetings."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action
from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from axes.models import Objective
from board.changes import changes_report
from board.models import BoardMeeting, BoardReport
from board.services import board_meeting_create
from indicators.services import measurement_record, measurement_validate
from indicators.tests.factories import AXIS_TITLES, IndicatorFactory, build_plan

pytestmark = pytest.mark.django_db


def test_changes_list_who_did_what_from_the_history(staff_user, director_user):
    plan = build_plan(1, staff_user)
    axis = plan.chapters.get().axes.first()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Everything build_plan did happened today; move it to last week to leave it out.
    for model in (Action.history.model, Objective.history.model):
        model.objects.update(history_date=timezone.now() - datetime.timedelta(days=7))
    from indicators.models import Measurement

    Measurement.history.model.objects.update(history_date=timezone.now() - datetime.timedelta(days=7))

    action = ActionFactory(axis=axis, title="Former les administrateurs", status=Action.Status.PLANNED)
    action.history.update(history_user=staff_user)
    update_create(action=action, author=director_user, text="C'est parti", new_status=Action.Status.IN_PROGRESS)
    update_create(action=action, author=staff_user, text="À mi-chemin", new_progress=50)
    objective = axis.objectives.first()
    objective.text = "Objectif reformulé"
    objective._history_user = staff_user
    objective.save()
    indicator = IndicatorFactory(name="Bénévoles formés", unit="personnes")
    measurement = measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(12))
    measurement_validate(user=staff_user, measurement=measurement)

    report = changes_report(yesterday, plan=plan)
    found = {}
    for change in report.changes:
        found.setdefault(change.kind, []).append(change)
    assert [(c.subject, c.who) for c in found["created"]] == [("Former les administrateurs", "Camille Test")]
    assert [(c.detail, c.who) for c in found["status"]] == [("Planifiée → En cours", director_user.get_full_name())]
    assert [c.detail for c in found["progress"]] == ["— → 50\u202f%"]
    assert [c.subject for c in found["reworded"]] == ["Objectif reformulé"]
    assert found["reworded"][0].detail.startswith("avant : « ")
    assert [(c.subject, c.detail) for c in report.validated.recent] == [
        ("Bénévoles formés", "2024 · valeur saisie pour le réseau : 12 personnes")
    ]
    # Each change links to its object's page.
    assert {c.url for c in found["created"] + found["status"]} == {reverse("actions:action_detail", args=[action.pk])}
    assert found["reworded"][0].url == reverse("actions:objective_detail", args=[objective.pk])
    assert report.validated.recent[0].url == reverse("indicators:indicator_detail", args=[indicator.pk])
    # From today on: the same; from tomorrow: nothing.
    assert changes_report(timezone.localdate() + datetime.timedelta(days=1), plan=plan).total == 0


def test_changes_page_defaults_to_the_last_board_meeting(client, board_user, staff_user):
    build_plan(1, staff_user)
    meeting_day = timezone.localdate() - datetime.timedelta(days=10)
    board_meeting_create(user=staff_user, date=meeting_day, title="CA de printemps")
    client.force_login(board_user)
    response = client.get(reverse("board:changes"))
    assert response.status_code == 200
    assert response.context["since"] == meeting_day
    assert "Former" not in response.content.decode()
    assert response.context["total"] > 0  # the plan was built today
    response = client.get(reverse("board:changes"), {"since": "pas une date"})
    assert response.status_code == 200 and "Saisissez une date valide" in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_changes_page_query_count_does_not_grow(client, board_user, staff_user, django_assert_max_num_queries, size):
    build_plan(size, staff_user)
    client.force_login(board_user)
    # 4 for the session and permissions, 2 for the board meetings, 1 for the plan, 1 per history
    # (actions, objectives), 2 for the validated values, 1 for the axes, 1 for the indicators'
    # axes, 5 for their network values and targets (indicators.selectors): whatever the data.
    with django_assert_max_num_queries(20):  # the menu's unread notifications included
        response = client.get(reverse("board:changes"), {"since": "2020-01-01"})
    assert response.context["total"] >= 3 * size


def test_the_board_cannot_record_a_meeting(client, board_user, staff_user):
    client.force_login(board_user)
    response = client.post(reverse("board:board_meeting_create"), {"date": "2025-01-15"})
    assert response.status_code == 403
    client.force_login(staff_user)
    response = client.post(reverse("board:board_meeting_create"), {"date": "2025-01-15", "title": "CA"})
    assert response.status_code == 302
    assert BoardMeeting.objects.get().date == datetime.date(2025, 1, 15)


def test_report_pdf_is_a_real_pdf_naming_every_axis(client, board_user, staff_user):
    build_plan(2, staff_user)
    meeting = BoardMeeting.objects.create(date=datetime.date(2026, 12, 1), title="Conseil de décembre")
    client.force_login(staff_user)
    # Generated by the background task (run at once by the tests' immediate backend).
    created = client.post(reverse("board:report_create"), {"meeting": meeting.pk})
    assert created.status_code == 302
    report = BoardReport.objects.get()
    client.force_login(board_user)
    response = client.get(reverse("board:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 5  # cover, summary, one page per axis at least
    assert "Rapport d’avancement" in text
    for title in AXIS_TITLES:
        assert " ".join(title.split()) in " ".join(text.split()), title
    assert "Page 2" in text
    assert "Point d’étape 1" in text  # an action's latest journal entry (typographic apostrophe)
    assert "Réunion du conseil du 1er\u00a0décembre 2026" in text


def test_printable_report_page(client, board_user, staff_user):
    build_plan(1, staff_user)
    client.force_login(board_user)
    response = client.get(reverse("board:report"))
    html = response.content.decode()
    assert response.status_code == 200
    from django.contrib.staticfiles import finders

    assert "Rapports au conseil (PDF archivés)" in html and "board/report.css" in html
    assert finders.find("board/report.css")  # the page's stylesheet is one that exists
    assert 'style="' not in html and "<style" not in html


def test_changes_summarise_validated_values_per_indicator_with_the_newest_in_detail(
    client, staff_user, board_user, monkeypatch
):
    from board import pages

    volunteers, members = IndicatorFactory(name="Bénévoles"), IndicatorFactory(name="Adhérents")
    for indicator, years in ((volunteers, range(2015, 2019)), (members, range(2015, 2017))):
        for year in years:
            value = measurement_record(user=staff_user, indicator=indicator, period=str(year), value=Decimal(year))
            measurement_validate(user=staff_user, measurement=value)
    validated = changes_report(timezone.localdate(), plan=None, limit=3).validated
    assert validated.total == 6 and validated.omitted == 3
    assert [(g.name, g.count, g.who) for g in validated.groups] == [
        ("Bénévoles", 4, [(staff_user.get_full_name(), 4)]),
        ("Adhérents", 2, [(staff_user.get_full_name(), 2)]),
    ]
    assert [c.detail.split(" ·")[0] for c in validated.recent] == ["2016", "2015", "2018"]  # newest first

    monkeypatch.setattr(pages, "CHANGES_VALUES_SHOWN", 3)
    client.force_login(board_user)
    response = client.get(reverse("board:changes"), {"since": timezone.localdate().isoformat()})
    html = response.content.decode()
    assert response.context["total"] == 6
    assert "Les 3 plus récentes (et 3 autres, comptées ci-dessus)" in html
    # Two indicators summarised (no plan: both of no axis), three values detailed, two highlights.
    assert html.count("<time") == 2 + 3 + 2
