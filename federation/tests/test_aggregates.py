"""Cached network-wide figures are never served once the data they come from has changed."""

import re
import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from conftest import production_setting
from indicators.imports.values import values_import
from indicators.services import measurement_record, measurement_validate
from indicators.tests.factories import IndicatorFactory, build_plan
from network.tests.factories import StructureFactory
from toolkit import aggregates
from toolkit.tables import table_read

pytestmark = pytest.mark.django_db


def _dashboard(client):
    """What the dashboard shows, read as a reader's request leaves it kept."""
    from axes.models import Plan
    from board.dashboard import dashboard

    response = client.get(reverse("board:dashboard"))
    assert response.status_code == 200
    return dashboard(Plan.objects.current())


def _network_value(context, indicator):
    line = next(line for line in context["indicator_lines"] if line.indicator == indicator)
    return line.values.get("2024")


def test_dashboard_shows_a_value_validated_after_it_was_cached(client, staff_user):
    build_plan(1, staff_user)
    client.force_login(staff_user)
    first = _dashboard(client)
    indicator = first["indicator_lines"][0].indicator
    assert _network_value(first, indicator) == Decimal("90.00")  # two structures × 45

    measurement = measurement_record(
        user=staff_user, indicator=indicator, period="2024", structure=StructureFactory(), value=Decimal(10)
    )
    assert _network_value(_dashboard(client), indicator) == Decimal("90.00")  # a draft does not count
    measurement_validate(user=staff_user, measurement=measurement)
    assert _network_value(_dashboard(client), indicator) == Decimal("100.00")


def test_plan_progress_follows_a_journal_entry_after_it_was_cached(client, staff_user):
    plan = build_plan(1, staff_user)
    client.force_login(staff_user)
    before = _dashboard(client)["progress"]
    assert before == 0
    for action in ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan):
        update_create(action=action, author=staff_user, text="Bien avancé", new_progress=60)
    assert _dashboard(client)["progress"] == pytest.approx(60)
    page = client.get(reverse("actions:plan_detail", args=[plan.pk]))
    assert all(axis.progress == pytest.approx(60) for _chapter, axes in page.context["chapters"] for axis in axes)


def test_a_bulk_import_of_values_makes_the_cached_figures_stale(client, staff_user):
    build_plan(1, staff_user)
    client.force_login(staff_user)
    indicator = _dashboard(client)["indicator_lines"][0].indicator
    indicator.code = "benevoles"
    indicator.save()
    structure = StructureFactory(name="Centre social des Alpes")
    dataset = table_read(
        content=f"structure;indicateur;période;valeur\n{structure.name};benevoles;2024;7\n".encode(),
        filename="valeurs.csv",
    )
    report = values_import(user=staff_user, dataset=dataset, dry_run=False, validate=True)
    assert report.ok
    assert _network_value(_dashboard(client), indicator) == Decimal("97.00")


def test_a_figure_computed_while_a_write_commits_is_not_served_after_the_commit(django_capture_on_commit_callbacks):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert aggregates.cached("figure", compute=compute) == 1
    assert aggregates.cached("figure", compute=compute) == 1  # kept
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        aggregates.data_changed(["indicators"])
        aggregates.data_changed(["indicators"])  # several writes, one bump at commit
        # Another request reads meanwhile: it sees the data before the commit.
        assert aggregates.cached("figure", compute=compute) == 2
    assert len(callbacks) == 1
    assert aggregates.cached("figure", compute=compute) == 3  # recomputed after the commit


def test_a_figure_is_kept_through_writes_to_apps_it_does_not_depend_on(staff_user):
    from indicators.selectors import network_values

    plan = build_plan(1, staff_user)
    indicator = IndicatorFactory()
    measurement = measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(3))
    measurement_validate(user=staff_user, measurement=measurement)
    computed = []
    compute = lambda: computed.append(1) or len(computed)  # noqa: E731
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 1
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    update_create(action=action, author=staff_user, text="Point d'étape")  # actions only
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 1
    assert network_values([indicator.pk]) == {indicator.pk: {"2024": Decimal("3.00")}}
    measurement.text = "Source : enquête"
    measurement.save()
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 2


def test_production_keeps_no_figures_without_a_shared_cache():
    backend = "settings.CACHES['aggregates']['BACKEND']"
    assert production_setting(backend) == "django.core.cache.backends.dummy.DummyCache"
    shared = production_setting(backend, REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared == "toolkit.cache.ResilientRedisCache"


def test_changes_since_shows_a_change_made_after_the_page_was_cached(client, staff_user):
    plan = build_plan(1, staff_user)
    client.force_login(staff_user)
    url = reverse("board:changes")
    assert "→ 35\u202f%" not in client.get(url).content.decode()
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    update_create(action=action, author=staff_user, text="Une toute nouvelle entrée", new_progress=35)
    assert "→ 35\u202f%" in client.get(url).content.decode()


def test_a_value_entered_and_transmitted_keeps_the_figures_until_it_is_validated(staff_user):
    # The figures count validated values only: a director's draft or transmission must not make
    # the board's pages recompute them (2 s cold at national scale; 60 % of the load test's
    # users are directors transmitting values). Validating, or changing a validated value, does.
    from indicators.services import measurement_return, measurement_submit
    from network.tests.factories import director_for

    structure = StructureFactory()
    director = director_for(structure)
    indicator = IndicatorFactory()
    computed = []
    compute = lambda: computed.append(1) or len(computed)  # noqa: E731
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 1
    measurement = measurement_record(
        user=director, indicator=indicator, period="2024", structure=structure, value=Decimal(5)
    )
    measurement_submit(user=director, measurement=measurement)
    measurement_return(user=staff_user, measurement=measurement, comment="Préciser la source.")
    measurement_submit(user=director, measurement=measurement)
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 1
    measurement_validate(user=staff_user, measurement=measurement)
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 2
    measurement.refresh_from_db()
    measurement_return(user=staff_user, measurement=measurement, comment="Erreur de saisie.")
    assert aggregates.cached("values-only", compute=compute, depends_on=["indicators"]) == 3


def _computed_indicators(monkeypatch) -> list[list[int]]:
    """The indicators whose figures board.figures computes at each call (not kept)."""
    from board import figures

    calls = []
    compute = figures._indicator_figures

    def spy(indicators):
        calls.append(sorted(indicator.pk for indicator in indicators))
        return compute(indicators)

    monkeypatch.setattr(figures, "_indicator_figures", spy)
    return calls


def test_a_value_validated_recomputes_its_own_indicators_figures_only(staff_user, monkeypatch):
    # At national scale the figures of two hundred indicators take half a second; staff validate
    # values all week while the board reads the dashboard.
    from board.figures import network_figures

    build_plan(2, staff_user)
    structure = StructureFactory()  # a new structure changes who is expected: before the figures
    calls = _computed_indicators(monkeypatch)
    first = network_figures()
    everyone = sorted(indicator.pk for indicator in first.indicators)
    assert calls == [everyone]
    network_figures()
    assert calls == [everyone]  # kept
    indicator = first.indicators[0]
    measurement = measurement_record(
        user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(10)
    )
    network_figures()
    assert len(calls) == 1  # a draft counts in no figure
    measurement_validate(user=staff_user, measurement=measurement)
    figures = network_figures()
    assert calls[1:] == [[indicator.pk]]
    assert figures.values[indicator.pk]["2024"] == Decimal("100.00")
    before = first.coverage_of(indicator.pk)["2024"]
    assert figures.coverage_of(indicator.pk)["2024"].others == before.others + 1
    other = first.indicators[1]
    assert figures.values[other.pk] == first.values[other.pk]


def test_a_journal_entry_or_a_milestone_keeps_every_indicators_figures(staff_user, monkeypatch):
    from actions.services.journal import milestone_create
    from board.figures import network_figures

    plan = build_plan(1, staff_user)
    calls = _computed_indicators(monkeypatch)
    network_figures()
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    update_create(action=action, author=staff_user, text="Point d'étape")
    milestone_create(action=action, title="Bilan à mi-parcours", user=staff_user)
    network_figures()
    assert len(calls) == 1


def test_a_structure_joining_an_action_recomputes_who_is_expected(staff_user, monkeypatch):
    # Coverage counts the structures taking part in the indicator's actions: not a row of the
    # indicator's own, so every indicator's figures are recomputed.
    from board.figures import network_figures

    plan = build_plan(1, staff_user)
    calls = _computed_indicators(monkeypatch)
    before = network_figures()
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan, indicators__isnull=False).first()
    indicator = action.indicators.first()
    expected = before.coverage_of(indicator.pk)["2024"].expected
    action.structures.add(StructureFactory())
    after = network_figures()
    assert len(calls) == 2
    assert after.coverage_of(indicator.pk)["2024"].expected == expected + 1


def test_a_bulk_write_to_an_app_makes_every_item_kept_one_by_one_stale():
    computed = []

    def compute(items):
        computed.append(sorted(items))
        return {item: len(computed) for item in items}

    scopes = {1: "indicators.indicator#1", 2: "indicators.indicator#2"}
    kept = lambda: aggregates.cached_each("items", scopes, compute=compute, depends_on=["network"])  # noqa: E731
    assert kept() == {1: 1, 2: 1}
    aggregates.data_changed(["indicators.indicator#2"])
    assert kept() == {1: 1, 2: 2}
    aggregates.data_changed(["indicators"])  # what the values import and the generator call
    assert kept() == {1: 3, 2: 3}
    aggregates.data_changed(["network.structure"])
    assert kept() == {1: 4, 2: 4}
    aggregates.data_changed(["actions"])
    assert kept() == {1: 4, 2: 4}


def test_the_report_page_kept_whole_shows_a_journal_entry_written_after_it_was_read(client, board_user, staff_user):
    plan = build_plan(1, staff_user)
    client.force_login(board_user)
    url = reverse("board:report")
    assert "Réunion des bénévoles tenue" not in client.get(url).content.decode()
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    update_create(action=action, author=staff_user, text="Réunion des bénévoles tenue")
    assert "Réunion des bénévoles tenue" in client.get(url).content.decode()


def test_the_followed_indicators_section_is_rendered_again_after_a_validation_not_a_journal_entry(
    client, board_user, staff_user, monkeypatch
):
    # Two hundred indicators with their breakdowns: the largest part of the dashboard to render.
    from board import dashboard

    rendered = []
    render = dashboard.render_to_string
    monkeypatch.setattr(dashboard, "render_to_string", lambda *args, **kw: rendered.append(1) or render(*args, **kw))
    plan = build_plan(1, staff_user)
    structure = StructureFactory()
    client.force_login(board_user)
    url = reverse("board:dashboard")
    client.get(url)
    assert len(rendered) == 1
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    update_create(action=action, author=staff_user, text="Réunion des bénévoles tenue")
    assert "Réunion des bénévoles tenue" in client.get(url).content.decode()
    assert len(rendered) == 1
    indicator = IndicatorFactory._meta.model.objects.order_by("pk").first()
    measurement = measurement_record(
        user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(1000)
    )
    measurement_validate(user=staff_user, measurement=measurement)
    assert "1\u202f090" in client.get(url).content.decode()  # 45 + 45 + 1 000
    assert len(rendered) == 2


# ---------------------------------------------------------------- board pages under load


def test_a_board_page_is_recomputed_at_most_every_max_age_and_says_when(client, board_user, staff_user, settings):
    settings.BOARD_PAGES_MAX_AGE = 30
    plan = build_plan(1, staff_user)
    client.force_login(board_user)
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    for url in (reverse("board:dashboard"), reverse("board:report")):
        computed_at = re.search(r"(?:Chiffres|Données) au [^<]+ à \d\d\xa0h\xa0\d\d", client.get(url).content.decode())
        assert computed_at
        text = f"Réunion tenue ({url})"
        update_create(action=action, author=staff_user, text=text)
        # Within the age allowed, another reader gets the page in hand, which says when it was computed.
        second = client.get(url).content.decode()
        assert text not in second
        assert computed_at.group() in second
        settings.BOARD_PAGES_MAX_AGE = 0
        assert text in client.get(url).content.decode()
        settings.BOARD_PAGES_MAX_AGE = 30


def test_whoever_has_just_written_sees_their_write_on_the_board_pages(client, staff_user, settings):
    settings.BOARD_PAGES_MAX_AGE = 30
    plan = build_plan(1, staff_user)
    client.force_login(staff_user)
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    for url in (reverse("board:dashboard"), reverse("board:report")):
        client.get(url)
        text = f"Point d’étape ({url})"
        response = client.post(reverse("actions:update_create", args=[action.pk]), {"text": text, "new_status": ""})
        assert response.status_code == 302
        assert text in client.get(url).content.decode()


@pytest.fixture
def clock(monkeypatch):
    """toolkit.aggregates' clock, moved by hand: clock[0] seconds since the epoch."""
    import types

    now = [time.time()]
    monkeypatch.setattr(aggregates, "time", types.SimpleNamespace(time=lambda: now[0], time_ns=time.time_ns))
    return now


def test_a_stale_page_is_refreshed_once_in_the_background_while_readers_serve_the_page_in_hand(clock):
    computed, refreshes = [], []

    def compute():
        computed.append(1)
        return f"page {len(computed)}"

    def read(**kwargs):
        return aggregates.recent(
            "page",
            1,
            compute=compute,
            max_age=30,
            depends_on=["actions"],
            refresh=lambda: refreshes.append(1),
            **kwargs,
        )

    assert read() == "page 1"
    aggregates.data_changed(["actions"])
    clock[0] += 10
    assert read() == "page 1"  # within the age allowed
    clock[0] += 30
    # Too old: the first reader asks the worker for the current page; every reader, the first
    # included, serves the page in hand meanwhile, and the worker is asked once.
    assert read() == "page 1"
    assert read() == "page 1"
    assert refreshes == [1]
    aggregates.refresh_recent("page", 1, compute=compute, depends_on=["actions"])  # the worker
    assert read() == "page 2"
    # A page computed before the reader's last write is never served to them.
    aggregates.data_changed(["actions"])
    assert read(not_before=clock[0]) == "page 3"
    # Nothing written since: the page in hand is current, whatever its age.
    clock[0] += 3600
    assert read() == "page 3"
    assert computed == [1, 1, 1]


def test_a_page_the_worker_has_not_refreshed_is_computed_by_a_reader_past_the_limit(clock):
    computed = []

    def read():
        return aggregates.recent(
            "page",
            2,
            compute=lambda: computed.append(1) or len(computed),
            max_age=30,
            depends_on=["actions"],
            refresh=lambda: None,  # a worker that never runs
        )

    assert read() == 1
    aggregates.data_changed(["actions"])
    clock[0] += 31
    assert read() == 1  # asked the worker
    clock[0] += 30 * aggregates.RECENT_LIMIT
    assert read() == 2


def test_the_board_pages_are_refreshed_by_the_task_once_too_old(client, board_user, staff_user, settings, clock):
    # Test settings run tasks at once: the reader who finds the page too old gets the page in
    # hand, the task computes the current one for the next reader.
    settings.BOARD_PAGES_MAX_AGE = 30
    plan = build_plan(1, staff_user)
    client.force_login(board_user)
    action = ActionFactory._meta.model.objects.filter(axis__chapter__plan=plan).first()
    for url in (reverse("board:dashboard"), reverse("board:report"), reverse("board:changes")):
        client.get(url)
        text = f"Terminée ({url})"
        update_create(action=action, author=staff_user, text=text, new_status="done")
        clock[0] += 31
        assert text not in client.get(url).content.decode()
        assert (text in client.get(url).content.decode()) is (url != reverse("board:changes"))


def test_the_board_pages_large_data_is_not_kept_an_hour_once_stale(client, board_user, staff_user, monkeypatch):
    # A megabyte per generation: kept an hour, every stale copy stayed in Redis until then.
    build_plan(1, staff_user)
    cache = aggregates._cache()
    timeouts, set_ = {}, cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        timeouts.setdefault(key.split(":")[1], timeout)  # "aggregates:<name>:…"
        return set_(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    client.force_login(board_user)
    for url in (reverse("board:dashboard"), reverse("board:report"), reverse("board:changes")):
        assert client.get(url).status_code == 200
    for name in ("dashboard", "report", "followed-html", "changes"):
        assert timeouts[name] == aggregates.LARGE_TIMEOUT, name
