"""The trash is the same everywhere (issue 16, point 1).

Each kind of plan object goes to the trash in turn, with things hanging from it: journal
entries, milestones, participations (pending and accepted), comments, continuations, an
indicator and its value. Then every page reachable from the site's entry pages is crawled as
every role (links followed, exports downloaded), and:

- no page or export shows the trashed object or what hangs from it (each carries the word
  WITNESS), except the trash itself, history pages and « ce qui a changé », where it is marked
  « à la corbeille » and never linked;
- no link on any page answers 404 (a link to a trashed object would);
- no write on it or on what hangs from it is accepted: every form that would write answers
  without changing a single row.
"""

import datetime
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from actions.models import Action, ActionPartner, Comment, Continuation, Milestone, Participation, Update
from actions.services.comments import comment_post
from actions.services.trash import plan_object_trash
from axes.models import Axis, Objective
from indicators.models import Indicator, Measurement
from network.models import Partner
from toolkit.history import links_in_last_row

WITNESS = "Zorglub"  # a word nothing else on the site says

# Pages that may name what is in the trash: it is marked « à la corbeille » there, never linked.
# The administrators' audit page is a history too.
MAY_NAME_THE_TRASH = {"actions:trash_list", "actions:object_history", "board:changes", "audit"}
# Entry pages of the crawl (every other page is reached through their links).
ENTRY_PAGES = [
    reverse("actions:plan_current"),
    reverse("actions:action_list"),
    reverse("actions:action_list") + "?overdue=on",
    reverse("actions:action_export", kwargs={"fmt": "csv"}),
    reverse("search") + f"?q={WITNESS[:4]}",
    reverse("board:dashboard"),
    reverse("board:changes") + "?since=2000-01-01",
    reverse("board:report"),
    reverse("indicators:indicator_list"),
    reverse("indicators:measurement_review"),
    reverse("centres:participation_list"),
    reverse("centres:participation_propose"),
    reverse("centres:centre_home"),
    reverse("centres:reporting_rate"),
    reverse("centres:territory_list"),
    reverse("centres:structure_list"),
    reverse("actions:trash_list"),
    reverse("exchange_index"),
    # The public space and the open API (what is published: the scene publishes everything).
    reverse("publication:home"),
    reverse("publication:summary"),
    reverse("publication:data_dictionary"),
    reverse("publication:publication_overview"),
    "/api/v1/axes/",
    "/api/v1/objectives/",
    "/api/v1/actions/",
    "/api/v1/indicators/",
    "/api/v1/values/",
]
NOT_FOLLOWED = ("/admin/", "/static/", "/media/", "/deconnexion/", "/connexion/", "/mot-de-passe/", "/sante/")
# Pages of one object each: every one is visited. Of the others (forms, histories, lists with
# another query string), SAMPLED each: they show what the detail pages show.
EVERY_ONE = {
    "actions:plan_detail",
    "actions:axis_detail",
    "actions:objective_detail",
    "actions:action_detail",
    "indicators:indicator_detail",
    "centres:structure_detail",
    "centres:centre_detail",
    "centres:territory_detail",
    "exchange_export",
    "actions:action_export",
}
SAMPLED = 4
# Every role for the action; the roles that see different pages for the others (the second
# director and the administrator see what the first director and staff see).
ROLES = {"action": ["board", "director_a", "director_b", "staff", "superuser"]}
OTHER_ROLES = ["board", "director_a", "staff"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path or urlsplit(base).path
        if not path.startswith("/"):
            continue
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


def _url_name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


@pytest.fixture
def scene(world):
    """An action, a previous-plan action and an objective of one axis, each with what hangs from it."""
    plan, users = world["plan"], world["users"]
    axis = next(a for a in Axis.objects.for_plan(plan) if a.objectives.exists() and a.actions.exists())
    objective = axis.objectives.first()
    action = Action.objects.filter(axis__chapter__plan=plan, status=Action.Status.IN_PROGRESS).first()
    previous = Action.objects.filter(axis__chapter__plan=plan, status=Action.Status.PREVIOUS_PLAN).first()
    Action.objects.filter(pk=action.pk).update(title=f"Action {WITNESS} en cours")
    Action.objects.filter(pk=previous.pk).update(title=f"Action {WITNESS} du précédent projet")
    Objective.objects.filter(pk=objective.pk).update(text=f"Objectif {WITNESS}")
    Axis.objects.filter(pk=axis.pk).update(title=f"Axe {WITNESS}")
    for model, pk in [(Action, action.pk), (Action, previous.pk), (Objective, objective.pk), (Axis, axis.pk)]:
        model.objects.filter(pk=pk).update(is_published=True)
    action.refresh_from_db()
    # Like the titles above, written without a history row of their own: only the trash's rows name the witness.
    with links_in_last_row(action):
        action.objectives.add(objective)
        action.structures.add(world["structure_b"])
    Update.objects.create(action=action, author=users["staff"], text=f"Suivi {WITNESS}")
    Milestone.objects.create(action=action, title=f"Jalon {WITNESS}", due_date=datetime.date(2020, 1, 1))
    ActionPartner.objects.create(action=action, partner=Partner.objects.create(name="Partenaire témoin"), role="x")
    Participation.objects.create(
        action=action,
        structure=world["structure_a"],
        contribution=f"Contribution {WITNESS}",
        proposed_by=users["director_a"],
    )
    Participation.objects.create(
        action=action,
        structure=world["structure_b"],
        contribution=f"Acceptée {WITNESS}",
        status=Participation.Status.ACCEPTED,
        decided_at=timezone.now(),
        decided_by=users["staff"],
    )
    comment_post(user=users["director_a"], text=f"Commentaire {WITNESS} sur l'action", action=action)
    comment_post(user=users["director_a"], text=f"Commentaire {WITNESS} sur l'objectif", objective=objective)
    Continuation.objects.create(
        previous_action=previous, objective=objective, outcome="continued", note=f"Suite {WITNESS}"
    )
    # Indicators stay when what they evaluate goes to the trash; the link to it does not.
    indicator = Indicator.objects.create(code="temoin", name="Indicateur de l'action")
    indicator.objectives.add(objective)
    indicator.actions.add(action)
    Indicator.objects.filter(pk=indicator.pk).update(is_published=True)
    Measurement.objects.create(
        indicator=indicator,
        period="2024",
        value=3,
        structure=world["structure_a"],
        status="validated",
        validated_at=timezone.now(),
    )
    Measurement.objects.create(indicator=indicator, period="2025", value=4, structure=world["structure_a"])
    return {"axis": axis, "objective": objective, "action": action, "previous": previous}


# What stays on the site when each kind goes to the trash: its witness word is taken off first.
STAYS = {
    "action": {"axis", "objective", "objective_comment", "previous", "continuation"},
    "previous": {"axis", "objective", "objective_comment", "action", "action_children"},
    "objective": {"axis", "action", "previous", "action_children"},
    # The axis's actions move to another axis with what hangs from them; its objectives go.
    "axis": {"action", "previous", "action_children"},
}


def _trash(kind: str, world, scene) -> None:
    stays = STAYS[kind]
    if "axis" in stays:
        Axis.objects.filter(pk=scene["axis"].pk).update(title="Axe")
    if "objective" in stays:
        Objective.objects.filter(pk=scene["objective"].pk).update(text="Objectif")
    if "objective_comment" in stays:
        Comment.objects.filter(objective__isnull=False).update(text="Commentaire")
    if "action" in stays:
        Action.objects.filter(pk=scene["action"].pk).update(title="Action en cours")
    if "previous" in stays:
        Action.objects.filter(pk=scene["previous"].pk).update(title="Action du précédent projet")
    if "continuation" in stays:
        Continuation.objects.update(note="Suite")
    if "action_children" in stays:
        Update.objects.update(text="Suivi")
        Milestone.objects.update(title="Jalon")
        Participation.objects.update(contribution="Contribution")
        Comment.objects.filter(action__isnull=False).update(text="Commentaire")
    staff = world["users"]["staff"]
    if kind == "axis":
        elsewhere = Axis.objects.for_plan(world["plan"]).exclude(pk=scene["axis"].pk).first()
        plan_object_trash(obj=scene["axis"], user=staff, move_actions_to=elsewhere)
    else:
        plan_object_trash(obj=Action.objects.get(pk=scene[kind].pk) if kind != "objective" else scene[kind], user=staff)


def _crawl(client: Client, role: str) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """{path: (status, body)} of every page reachable from ENTRY_PAGES, and {link: page it was on}."""
    seen: dict[str, tuple[int, str]] = {}
    found_on: dict[str, str] = {}
    queue = list(ENTRY_PAGES)
    visited_paths: set[tuple] = set()
    visits: Counter = Counter()
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith(NOT_FOLLOWED):
            continue
        # One visit per path and per query string's keys: the list's sorts and pages are not
        # new pages, but a search or a filter may be.
        key = (path, tuple(sorted(k.split("=")[0] for k in urlsplit(url).query.split("&") if k)))
        name = _url_name(url)
        if key in visited_paths or path.endswith(".xlsx"):  # a spreadsheet holds what its CSV holds
            continue
        if name not in EVERY_ONE and visits[name] >= SAMPLED:
            continue
        visited_paths.add(key)
        visits[name] += 1
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        body = ""
        if "html" in content_type or "csv" in content_type or "json" in content_type:
            body = response.content.decode("utf-8", errors="replace")
        seen[url] = (response.status_code, body)
        assert response.status_code != 500, f"{role} {url}: 500"
        if response.status_code == 200 and "html" in content_type:
            for link in _links(body, url):
                found_on.setdefault(link, url)
                if link not in seen:
                    queue.append(link)
    return seen, found_on


KINDS = ["action", "previous", "objective", "axis"]


@pytest.mark.parametrize("kind", KINDS)
def test_trashed_things_are_shown_and_linked_nowhere(world, scene, kind):
    _trash(kind, world, scene)
    for role in ROLES.get(kind, OTHER_ROLES):
        client = Client()
        client.force_login(world["users"][role])
        pages, found_on = _crawl(client, role)
        assert len(pages) > 20, pages.keys()
        for url, (status, body) in pages.items():
            assert status != 404, f"{role}: {url}, linked from {found_on.get(url)}, answers 404"
            if WITNESS not in body:
                continue
            name = _url_name(url)
            assert name in MAY_NAME_THE_TRASH, (
                f"{role}: {url} ({name}) shows a trashed {kind}: …{body[max(0, body.index(WITNESS) - 300) : body.index(WITNESS) + 100]}…"
            )
            if name == "board:changes":
                for line in body.split("\n"):
                    if WITNESS in line:
                        assert "<a " not in line or "à la corbeille" in line, line


def _fingerprint() -> dict:
    """Every row of the plan's and the network's tables, their history included."""
    labels = ("actions", "axes", "indicators", "network")
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in labels:
            rows[model._meta.label] = sorted(map(repr, model._base_manager.values_list()))
    return rows


def _writes(kind: str, world, scene) -> list[tuple[str, str, dict, dict]]:
    """(role, url name, kwargs, data) of every write aimed at the trashed object or what hangs from it."""
    action, previous, objective, axis = scene["action"], scene["previous"], scene["objective"], scene["axis"]
    comment_on_action = Comment.all_objects.get(action=action)
    comment_on_objective = Comment.all_objects.get(objective=objective)
    milestone = Milestone.all_objects.get(action=action)
    link = ActionPartner.all_objects.get(action=action)
    pending = Participation.all_objects.get(action=action, status=Participation.Status.PROPOSED)
    continuation = Continuation.all_objects.get(previous_action=previous)
    partner = Partner.objects.first()
    on_action = [
        (
            "staff",
            "actions:action_update",
            {"pk": action.pk},
            {"title": "Changé", "status": "in_progress", "axis": action.axis_id, "weight": 1},
        ),
        ("staff", "actions:action_promote", {"pk": action.pk}, {}),
        ("staff", "actions:action_progress_switch", {"pk": action.pk}, {}),
        ("staff", "actions:update_create", {"action_pk": action.pk}, {"text": "Nouveau suivi", "date": "2024-01-01"}),
        ("staff", "actions:milestone_create", {"action_pk": action.pk}, {"title": "Nouveau jalon"}),
        ("staff", "actions:milestone_toggle", {"pk": milestone.pk}, {}),
        ("staff", "actions:milestone_delete", {"pk": milestone.pk}, {}),
        ("staff", "actions:partner_add", {"action_pk": action.pk}, {"partner": partner.pk, "role": "x"}),
        ("staff", "actions:partner_remove", {"pk": link.pk}, {}),
        ("staff", "centres:participation_decide", {"pk": pending.pk}, {"decision": "accept"}),
        ("staff", "actions:comment_moderate", {"pk": comment_on_action.pk}, {}),
        ("staff", "actions:object_delete", {"model": "action", "pk": action.pk}, {}),
        ("director_a", "actions:action_comment_create", {"pk": action.pk}, {"text": "Encore"}),
        ("director_a", "actions:comment_edit", {"pk": comment_on_action.pk}, {"text": "Modifié"}),
        (
            "director_a",
            "centres:participation_propose",
            {},
            {"action": action.pk, "structure": world["structure_a"].pk, "contribution": "Encore"},
        ),
    ]
    on_previous = [
        (
            "staff",
            "actions:continuation_create",
            {"action_pk": previous.pk},
            {"objective": objective.pk, "outcome": "continued"},
        ),
        ("staff", "actions:continuation_delete", {"pk": continuation.pk}, {}),
    ]
    on_objective = [
        ("staff", "axes:objective_update", {"pk": objective.pk}, {"text": "Changé"}),
        ("staff", "actions:continuation_delete", {"pk": continuation.pk}, {}),
        ("staff", "actions:object_delete", {"model": "objective", "pk": objective.pk}, {}),
        ("director_a", "actions:objective_comment_create", {"pk": objective.pk}, {"text": "Encore"}),
        ("director_a", "actions:comment_edit", {"pk": comment_on_objective.pk}, {"text": "Modifié"}),
        ("staff", "actions:comment_moderate", {"pk": comment_on_objective.pk}, {}),
    ]
    on_axis = [
        ("staff", "axes:axis_update", {"pk": axis.pk}, {"title": "Changé", "slug": "change"}),
        ("staff", "axes:objective_create", {"axis_pk": axis.pk}, {"text": "Nouvel objectif"}),
        (
            "staff",
            "actions:action_create",
            {"axis_pk": axis.pk},
            {"title": "Nouvelle", "status": "planned", "weight": 1},
        ),
        ("staff", "actions:axis_links_update", {"pk": axis.pk}, {}),
        ("staff", "axes:plan_object_move", {"model": "axis", "pk": axis.pk, "direction": "down"}, {}),
    ]
    return {
        "action": on_action,
        "previous": on_previous,
        "objective": on_objective,
        "axis": on_axis + on_objective[:1] + on_objective[3:],
    }[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_no_write_is_accepted_on_trashed_things(world, scene, kind):
    _trash(kind, world, scene)
    writes = _writes(kind, world, scene)
    before = _fingerprint()
    for role, name, kwargs, data in writes:
        client = Client()
        client.force_login(world["users"][role])
        response = client.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code in (200, 302, 404), f"{name}: {response.status_code}"
        assert _fingerprint() == before, f"{role} {name} {kwargs} wrote on a trashed {kind}"


def test_accepting_a_pending_participation_on_a_trashed_action_is_refused_in_french(world, scene):
    """The participations page was open when the action went to the trash: the answer says why."""
    pending = Participation.objects.get(action=scene["action"], status=Participation.Status.PROPOSED)
    _trash("action", world, scene)
    client = Client()
    client.force_login(world["users"]["staff"])
    response = client.post(reverse("centres:participation_decide", kwargs={"pk": pending.pk}), {"decision": "accept"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"L’action « {Action.all_objects.get(pk=scene['action'].pk)} » est dans la corbeille : "
        "cette participation ne peut plus recevoir de réponse."
    ]
    pending.refresh_from_db()
    assert pending.status == Participation.Status.PROPOSED
    assert not scene["action"].structures.filter(pk=world["structure_a"].pk).exists()
    # The page it comes back to no longer offers it.
    page = client.get(response.url)
    assert f"/participations/{pending.pk}/decider/" not in page.content.decode()


def test_restoring_the_action_brings_back_what_hung_from_it(world, scene):
    action = scene["action"]
    counts = (action.updates.count(), action.milestones.count(), action.participations.count(), action.comments.count())
    _trash("action", world, scene)
    assert not Update.objects.filter(action=action).exists()
    assert not Participation.objects.filter(action=action).exists()
    from actions.services.trash import plan_object_restore

    plan_object_restore(obj=Action.all_objects.get(pk=action.pk), user=world["users"]["staff"])
    action = Action.objects.get(pk=action.pk)
    assert (
        action.updates.count(),
        action.milestones.count(),
        action.participations.count(),
        action.comments.count(),
    ) == counts


def test_history_names_what_is_in_the_trash_as_such(world, scene):
    """The axis's actions moved elsewhere before it went to the trash: their history names the
    old axis « à la corbeille », as text."""
    _trash("axis", world, scene)
    client = Client()
    client.force_login(world["users"]["board"])
    html = client.get(reverse("actions:object_history", kwargs={"model": "action", "pk": scene["action"].pk})).content
    html = html.decode()
    assert f"Axe {WITNESS} (à la corbeille)" in html
    assert scene["axis"].get_absolute_url() not in html


def test_an_action_in_the_trash_expects_no_structure_to_report(world, scene):
    """Its accepted participants and designated structures stop being expected for its
    indicator, by the rule as sets and as SQL alike (coverage, reminders, the reporting rate)."""
    from indicators.coverage import expected_measurement, expected_structures

    indicator = Indicator.objects.get(code="temoin")
    expected = expected_structures([indicator], {indicator.pk: ["2024"]})[(indicator.pk, "2024")]
    assert expected == {world["structure_b"].pk}  # accepted and designated
    value = Measurement.objects.filter(
        pk=Measurement.objects.create(indicator=indicator, period="2024", value=2, structure=world["structure_b"]).pk
    )
    assert value.filter(expected_measurement()).exists()
    _trash("action", world, scene)
    assert expected_structures([indicator], {indicator.pk: ["2024"]})[(indicator.pk, "2024")] == set()
    assert not value.filter(expected_measurement()).exists()


def test_the_backup_keeps_the_trash_and_what_it_hides(world, scene, tmp_path):
    """A backup restored after a loss must let staff restore from the trash: trashed objects
    and what hangs from them are in the archive."""
    import io
    import json
    import tarfile

    from django.core.management import call_command

    _trash("action", world, scene)
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        rows = json.load(tar.extractfile("data.json"))
    saved = {(row["model"], row["pk"]) for row in rows}
    action = scene["action"]
    assert ("actions.action", action.pk) in saved
    hanging = [
        ("actions.update", Update.all_objects.get(action=action).pk),
        ("actions.milestone", Milestone.all_objects.get(action=action).pk),
        ("actions.comment", Comment.all_objects.get(action=action).pk),
    ] + [("actions.participation", p.pk) for p in Participation.all_objects.filter(action=action)]
    assert set(hanging) <= saved
