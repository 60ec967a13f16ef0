"""Every write traceable (issue 16, point 6): history where it was missing, security events
stored and logged as JSON lines, the audit page that filters both by person and date."""

import datetime
import json
import logging

import pytest
import tablib
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from actions.services.comments import comment_post
from actions.tests.factories import ActionFactory
from axes.tests.factories import ObjectiveFactory
from centres.models import ReportingReminder
from federation.audit.selectors import history_rows, tracked_models
from federation.lists import LISTS
from federation.logs import JsonFormatter
from federation.models import SecurityEvent
from indicators.definitions import indicator_create, indicator_update
from indicators.models import ImpactDimension, ValueChainStage
from network import roles
from network.tests.factories import StructureFactory, UserFactory
from toolkit import tables

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


# ------------------------------------------------------------------------------------ history


def test_every_model_that_people_write_keeps_a_history():
    tracked = set(tracked_models())
    expected = {
        "network.territory",
        "network.structure",
        "network.partner",
        "axes.plan",
        "axes.chapter",
        "axes.axis",
        "axes.objective",
        "actions.action",
        "actions.actionpartner",
        "actions.milestone",
        "actions.update",
        "actions.continuation",
        "actions.participation",
        "actions.comment",
        "indicators.indicator",
        "indicators.target",
        "indicators.measurement",
        "indicators.valuechainstage",
        "indicators.impactdimension",
        "board.boardmeeting",
        "centres.reportingreminder",
        "auth.user",
    }
    assert expected <= tracked, expected - tracked


def test_an_account_history_records_its_roles_but_never_its_password_nor_its_logins(client, superuser):
    user = UserFactory(username="suivie")
    user.groups.add(Group.objects.get(name=roles.BOARD))
    latest = user.history.latest()
    assert [group.group.name for group in latest.groups.all()] == [roles.BOARD]
    assert not hasattr(latest, "password")
    rows = user.history.count()
    client.force_login(user)
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows  # a login is a security event, not an edit


def test_who_directs_a_structure_is_in_its_history(superuser):
    structure = StructureFactory()
    director = UserFactory(username="directrice")
    structure._history_user = superuser
    structure.directors.add(director)
    latest = structure.history.latest()
    assert latest.history_user == superuser
    assert [link.user_id for link in latest.directors.all()] == [director.pk]


def test_a_change_of_an_indicator_links_is_an_audit_row_with_who(client, superuser, staff_user):
    objective = ObjectiveFactory(text="Mieux accueillir")
    indicator = indicator_create(user=staff_user, data={"code": "accueil", "name": "Familles accueillies"})
    indicator_update(
        user=staff_user, indicator=indicator, data={}, objectives=[objective], actions=[], expected_version=1
    )
    latest = indicator.history.latest()
    assert latest.history_user == staff_user and latest.history_type == "~"
    assert [link.objective_id for link in latest.objectives.all()] == [objective.pk]
    rows = [row for row in history_rows(user_id=staff_user.pk) if row[6] == "indicators.indicator"]
    assert [row[3] for row in rows] == ["~", "+"]
    client.force_login(superuser)
    page = client.get(reverse("audit"), {"personne": staff_user.pk}).content.decode()
    assert page.count("Familles accueillies") == 2 and "Modification" in page


def test_the_classification_lists_and_the_reminders_keep_a_history(superuser):
    stage = ValueChainStage.objects.first()
    stage.name = "Moyens"
    stage._history_user = superuser
    stage.save()
    assert stage.history.latest().history_user == superuser
    assert ImpactDimension.history.model is not None
    reminder = ReportingReminder.objects.create(structure=StructureFactory(), period="2025", recipients="a@b.fr")
    assert reminder.history.latest().history_type == "+"


def test_a_list_import_says_who_imported_and_from_which_list(staff_user):
    kind = LISTS["partenaires"]
    dataset = tablib.Dataset(["Caf de la Drôme"], headers=["nom"])
    report = tables.table_import(kind=kind, dataset=dataset, dry_run=False, user=staff_user)
    assert report.ok, report.errors
    record = kind.resource_class._meta.model.history.latest()
    assert record.history_user == staff_user
    assert record.history_change_reason.startswith("Import de la liste")


# ------------------------------------------------------------------------- security events


class Lines(logging.Handler):
    """The security logger's lines, formatted as the settings format them."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def security_log():
    handler = Lines()
    logger = logging.getLogger("federation.security")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_a_failed_login_is_stored_and_logged_as_one_json_line(client, staff_user, security_log):
    client.post(reverse("login"), {"username": "equipe-test", "password": "mauvais"}, REMOTE_ADDR="10.1.2.3")
    event = SecurityEvent.objects.get(event=Kind.LOGIN_FAILED)
    assert (event.user, event.username, event.ip, event.path) == (staff_user, "equipe-test", "10.1.2.3", "/connexion/")
    [text] = security_log
    assert "\n" not in text
    line = json.loads(text)
    assert line["event"] == "login_failed"
    assert line["user"] == "equipe-test"
    assert line["ip"] == "10.1.2.3"
    assert line["path"] == "/connexion/"
    assert datetime.datetime.fromisoformat(line["ts"]).tzinfo is not None


def test_an_unknown_username_is_recorded_as_typed(client):
    client.post(reverse("login"), {"username": "personne", "password": "x"})
    event = SecurityEvent.objects.get(event=Kind.LOGIN_FAILED)
    assert event.user is None and event.username == "personne"


def test_logins_and_logouts_are_recorded(client, staff_user):
    client.post(reverse("login"), {"username": "equipe-test", "password": "motdepasse-test"})
    client.post(reverse("logout"))
    assert list(SecurityEvent.objects.order_by("at", "pk").values_list("event", "user")) == [
        (Kind.LOGIN, staff_user.pk),
        (Kind.LOGOUT, staff_user.pk),
    ]


def test_a_throttled_login_is_recorded_once_a_minute(client, staff_user):
    for _ in range(8):
        client.post(reverse("login"), {"username": "equipe-test", "password": "mauvais"})
    assert SecurityEvent.objects.filter(event=Kind.LOGIN_FAILED).count() == 5
    assert SecurityEvent.objects.filter(event=Kind.LOGIN_THROTTLED).count() == 1


def test_a_forbidden_page_is_recorded_with_the_person(client, board_user):
    client.force_login(board_user)
    response = client.get(reverse("actions:trash_list"))
    assert response.status_code == 403
    event = SecurityEvent.objects.get(event=Kind.FORBIDDEN)
    assert (event.user, event.path, event.method) == (board_user, reverse("actions:trash_list"), "GET")


# ------------------------------------------------------------------------------- the page


def test_only_administrators_read_the_audit(client, staff_user, superuser):
    client.force_login(staff_user)
    assert client.get(reverse("audit")).status_code == 403
    client.force_login(superuser)
    response = client.get(reverse("audit"))
    assert response.status_code == 200
    assert "Journal d’audit" in response.content.decode()


def _writes(n, user):
    action = ActionFactory()
    for i in range(n):
        comment_post(user=user, text=f"Commentaire {i}", action=action)
    return action


def test_the_audit_lists_every_kind_of_write_by_person(client, superuser, staff_user, board_user):
    action = _writes(2, board_user)
    stage = ValueChainStage.objects.first()
    stage._history_user = staff_user
    stage.save()
    client.force_login(superuser)
    content = client.get(reverse("audit"), {"personne": board_user.pk}).content.decode()
    assert content.count("Commentaire 1") == 1 and "Commentaire 0" in content
    assert stage.name not in content
    content = client.get(reverse("audit"), {"personne": staff_user.pk}).content.decode()
    assert stage.name in content and "Commentaire 0" not in content
    content = client.get(reverse("audit"), {"objet": "actions.action"}).content.decode()
    assert action.title[:40] in content


def test_the_audit_filters_by_date(client, superuser, board_user):
    _writes(1, board_user)
    client.force_login(superuser)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "Commentaire 0" in client.get(reverse("audit"), {"au": timezone.localdate().isoformat()}).content.decode()
    assert "Commentaire 0" not in client.get(reverse("audit"), {"du": tomorrow.isoformat()}).content.decode()
    response = client.get(reverse("audit"), {"du": tomorrow.isoformat(), "au": timezone.localdate().isoformat()})
    assert "La date de fin précède la date de début." in response.content.decode()


def test_the_audit_filters_security_events(client, superuser, staff_user, board_user):
    client.post(reverse("login"), {"username": "equipe-test", "password": "mauvais"}, REMOTE_ADDR="10.7.7.7")
    client.force_login(board_user)
    client.get(reverse("actions:trash_list"))
    client.force_login(superuser)
    url = reverse("audit")
    content = client.get(url, {"vue": "securite", "personne": staff_user.pk}).content.decode()
    assert "10.7.7.7" in content and "<td>Connexion refusée</td>" in content
    assert "<td>Accès refusé (403)</td>" not in content
    content = client.get(url, {"vue": "securite", "evenement": Kind.FORBIDDEN}).content.decode()
    assert "<td>Accès refusé (403)</td>" in content and "10.7.7.7" not in content


def test_the_audit_is_paginated_and_newest_first(client, superuser, board_user):
    _writes(60, board_user)
    client.force_login(superuser)
    first = client.get(reverse("audit"), {"personne": board_user.pk}).content.decode()
    assert "Commentaire 59" in first and "Commentaire 0<" not in first and "Page 1 sur 2" in first
    second = client.get(reverse("audit"), {"personne": board_user.pk, "page": 2}).content.decode()
    assert "Commentaire 0" in second and "Commentaire 59" not in second


@pytest.mark.parametrize("size", [3, 40])
def test_the_audit_page_costs_the_same_whatever_its_length(
    client, superuser, board_user, size, django_assert_max_num_queries
):
    _writes(size, board_user)
    StructureFactory()
    client.force_login(superuser)
    # Session, user, count, rows (with the objects' names), the people named, the form's people.
    with django_assert_max_num_queries(7):  # the menu's unread notifications included
        assert client.get(reverse("audit")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit"), {"vue": "securite"}).status_code == 200


def test_history_rows_read_every_table_in_one_query(django_assert_num_queries, board_user):
    _writes(3, board_user)
    StructureFactory()
    rows = history_rows()
    with django_assert_num_queries(1):
        assert len(list(rows[:10])) == 10


# -------------------------------------------------------------- cost at national scale (issue 18)


@pytest.mark.parametrize("accounts", [2, 40])
def test_the_audit_page_writes_only_the_chosen_person_whatever_the_number_of_accounts(
    client, superuser, board_user, accounts, django_assert_max_num_queries
):
    """At national scale the « Personne » select wrote 4,000 <option>s: 80 % of the page's time."""
    others = [UserFactory(username=f"compte-{n}", first_name="Autre", last_name=f"Compte {n}") for n in range(accounts)]
    _writes(1, board_user)
    client.force_login(superuser)
    # The page's seven, and the chosen person read again for the <option> the widget writes.
    with django_assert_max_num_queries(8):
        page = client.get(reverse("audit"), {"personne": board_user.pk}).content.decode()
    assert 'data-autocomplete-url="/autocompletion/comptes/"' in page
    assert f'<option value="{board_user.pk}" selected>' in page and "Commentaire 0" in page
    assert not any(other.username in page for other in others)


def test_the_audit_counts_no_further_than_its_cap(client, superuser, board_user, monkeypatch):
    from federation.audit import views

    monkeypatch.setattr(views, "MAX_COUNT", 5)
    _writes(8, board_user)
    client.force_login(superuser)
    content = client.get(reverse("audit"), {"personne": board_user.pk}).content.decode()
    assert "(plus de 5&nbsp;: précisez la période ou la personne pour remonter plus loin)" in content
    assert "Commentaire 7" in content and "Commentaire 3" in content and "Commentaire 2" not in content  # the first 5
    content = client.get(reverse("audit"), {"personne": board_user.pk, "objet": "actions.comment"}).content.decode()
    assert "(plus de 5" in content
    monkeypatch.setattr(views, "MAX_COUNT", 100)
    content = client.get(reverse("audit"), {"personne": board_user.pk, "objet": "actions.comment"}).content.decode()
    assert "à la plus ancienne (8)" in content


def test_the_audit_filters_by_person_and_dates_together(client, superuser, board_user, staff_user):
    _writes(2, board_user)
    _writes(1, staff_user)
    client.force_login(superuser)
    today = timezone.localdate().isoformat()
    content = client.get(reverse("audit"), {"personne": staff_user.pk, "du": today, "au": today}).content.decode()
    assert "Commentaire 0" in content and "Commentaire 1" not in content
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    content = client.get(reverse("audit"), {"personne": board_user.pk, "au": yesterday}).content.decode()
    assert "Commentaire 0" not in content and "Aucune modification pour ces critères." in content


def test_each_table_cut_to_the_pages_end_gives_the_same_rows_as_the_whole_sorted(board_user, staff_user):
    """history_rows(newest=n) (a LIMIT in each part of the UNION, on PostgreSQL) is exact for
    the first n rows, whichever tables they come from."""
    action = _writes(7, board_user)
    for n in range(5):
        StructureFactory(name=f"Centre {n}")
        comment_post(user=staff_user, text=f"Autre {n}", action=action)
    whole = list(history_rows())
    assert len(whole) > 20
    for start, end in [(0, 5), (5, 10), (10, 20)]:
        assert list(history_rows(newest=end)[start:end]) == whole[start:end]
    assert list(history_rows(user_id=staff_user.pk, newest=3)[:3]) == list(history_rows(user_id=staff_user.pk))[:3]


@pytest.mark.parametrize("objet", ["", "actions.comment"])
def test_the_audit_page_costs_the_same_whatever_the_kinds_of_object_read(
    client, superuser, board_user, objet, django_assert_max_num_queries
):
    _writes(55, board_user)  # two pages
    client.force_login(superuser)
    for page in (1, 2):
        with django_assert_max_num_queries(7):
            assert client.get(reverse("audit"), {"objet": objet, "page": page}).status_code == 200
