"""« Rapports au conseil » (issue 15): each meeting's report generated in the background, stored
with who asked, when and its SHA-256, downloaded later byte for byte; a worker that dies is never
a report silently lost; the page shows the progress."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from board import pdf, reports
from board.dashboard import report as report_data
from board.models import BoardMeeting, BoardReport
from board.tasks import generate_board_report
from board.templatetags.board_tags import long_date
from indicators.tests.factories import build_plan

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def fake_pdf(monkeypatch):
    """WeasyPrint is tested elsewhere (test_report_pdf): here a PDF that names the moment it was
    made, so that regenerating it would give other bytes."""

    def render(plan, *, meeting=None, on_step=None):
        if on_step:
            on_step(40, "Mise en page du PDF")
        return f"%PDF-1.7 rapport {plan.pk} {meeting.date} {timezone.now().isoformat()}".encode()

    monkeypatch.setattr(pdf, "render_report_pdf", render)


@pytest.fixture
def meeting(db):
    return BoardMeeting.objects.create(date=datetime.date(2026, 12, 1), title="Conseil de décembre")


@pytest.fixture
def plan(staff_user):
    return build_plan(1, staff_user)


def test_an_archived_report_downloads_byte_identical_a_day_later(
    client, staff_user, board_user, meeting, plan, fake_pdf, monkeypatch
):
    client.force_login(staff_user)
    response = client.post(reverse("board:report_create"), {"meeting": meeting.pk})
    report = BoardReport.objects.get()
    assert response.url == reverse("board:report_detail", args=[report.pk])
    stored = report.file.read()
    assert report.status == "done" and report.requested_by == staff_user and report.generated_at
    assert report.sha256 == hashlib.sha256(stored).hexdigest() and report.size == len(stored)

    # A day later, the data changed: the archive gives the same bytes, never a new rendering.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    plan.title = "Projet renommé"
    plan.save()
    client.force_login(board_user)
    download = client.get(reverse("board:report_download", args=[report.pk]))
    body = b"".join(download.streaming_content)
    assert body == stored and hashlib.sha256(body).hexdigest() == report.sha256
    assert download["Content-Disposition"] == f'attachment; filename="rapport-conseil-2026-12-01-{report.pk}.pdf"'
    assert reports.verify(report)
    listing = client.get(reverse("board:report_list")).content.decode()
    assert "1er\u00a0décembre 2026" in listing and "Prêt" in listing
    assert "Produire le rapport" not in listing  # the board reads; the team generates


def test_the_page_shows_the_progress_and_refreshes_itself_until_the_report_is_ready(
    client, staff_user, meeting, plan, fake_pdf, settings
):
    settings.TASKS = DATABASE_TASKS
    client.force_login(staff_user)
    client.post(reverse("board:report_create"), {"meeting": meeting.pk})
    report = BoardReport.objects.get()
    assert report.status == "queued" and DBTaskResult.objects.get(pk=report.task_id).status == TaskResultStatus.READY
    page = client.get(reverse("board:report_detail", args=[report.pk]))
    assert page["Refresh"] == "3"
    html = page.content.decode()
    assert "En file d’attente" in html and '<progress class="report-progress" max="100" value="0"' in html

    # A worker takes it and writes each step as it goes.
    task = DBTaskResult.objects.get(pk=report.task_id)
    task.claim("test:2:live")
    reports._step(report, 40, "Mise en page du PDF")
    html = client.get(reverse("board:report_list")).content.decode()
    assert 'value="40"' in html and "40&#8239;% · Mise en page du PDF" in html
    DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY, worker_ids=[])  # hand it back

    # A second request for the same meeting while one runs is refused, in French.
    again = client.post(reverse("board:report_create"), {"meeting": meeting.pk}, follow=True)
    assert "déjà en cours de génération" in again.content.decode()

    generate_board_report.call(report.pk)  # what the worker then runs (the worker itself: federation/tests)
    report.refresh_from_db()
    assert report.status == "done"
    page = client.get(reverse("board:report_detail", args=[report.pk]))
    assert "Refresh" not in page
    assert "Télécharger le PDF" in page.content.decode() and report.sha256 in page.content.decode()


def test_an_error_while_generating_marks_the_report_failed_with_a_french_message(
    client, staff_user, meeting, plan, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("plus de mémoire")

    monkeypatch.setattr(pdf, "render_report_pdf", broken)
    client.force_login(staff_user)
    client.post(reverse("board:report_create"), {"meeting": meeting.pk})
    report = BoardReport.objects.get()
    assert report.status == "failed" and report.error == reports.FAILED and not report.file


def test_only_the_team_generates_and_a_missing_meeting_is_a_french_message(client, board_user, staff_user, plan):
    client.force_login(board_user)
    assert client.post(reverse("board:report_create"), {"meeting": 1}).status_code == 403
    client.force_login(staff_user)
    response = client.post(reverse("board:report_create"), {"meeting": ""}, follow=True)
    assert "Choisissez la réunion du conseil" in response.content.decode()
    assert not BoardReport.objects.exists()


def test_the_cover_names_the_federation_plan_period_and_meeting_with_a_one_page_summary(
    staff_user, meeting, plan, settings
):
    data = report_data(plan)
    summary = pdf.summary(data)
    assert (summary.actions_total, summary.indicators_total, summary.figures) == (3, 3, 3)
    settings.FEDERATION_NAME = "FCS 44"
    html = pdf.report_html(plan, meeting=meeting)
    assert "FCS 44" in html and str(plan) in html
    assert "Réunion du conseil du 1er\u00a0décembre 2026" in html and "Conseil de décembre" in html
    assert "Période du projet\u00a0: 2022–2026" in html
    assert "L’essentiel en une page" in html
    assert "Actions par statut (3)" in html and "Indicateurs du projet (3)" in html
    assert "Couverture des chiffres." in html
    assert "graphiques figurent dans le rapport en ligne" not in html
    assert html.count("<svg") >= 4 + 2  # the summary's charts and each indicator's


def test_french_spacing_keeps_guillemets_and_colons_with_their_words():
    html = "<p>« Bonjour » : oui ; l'été ? Écologie &amp; transition</p><a title='x : y'>"
    assert pdf.french_spacing(html) == (
        "<p>«\u00a0Bonjour\u00a0»\u00a0: oui\u202f; l’été\u202f? Écologie &amp; transition</p><a title='x : y'>"
    )


def test_long_dates_say_1er():
    assert long_date(datetime.date(2026, 12, 1)) == "1er\u00a0décembre 2026"
    assert long_date(datetime.date(2026, 12, 2)) == "2\u00a0décembre 2026"
