"""Fixtures shared by every app's tests: users of each role, the seeded plan."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from network import roles
from network.tests.factories import StructureFactory, UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError("REQUIRE_BROWSER est défini mais Chromium est introuvable.")
    skip = pytest.mark.skip(reason="Chromium absent : apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM:
        terminalreporter.write_line(
            "Tests navigateur IGNORÉS : Chromium n'est pas installé (sudo apt-get install -y chromium).",
            yellow=True,
        )


def production_setting(expression: str, **extra_env) -> str:
    """`expression` (Python, `settings` in scope) evaluated under the production settings
    with a valid key and host, and `extra_env`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="federation.settings.production",
        DJANGO_SECRET_KEY="k3y-" + "aZ9$" * 16,
        DJANGO_ALLOWED_HOSTS="projet.example.org",
        **extra_env,
    )
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Login-throttling counters and cached aggregates live in the cache: start each test clean."""
    from django.core.cache import caches

    for alias in ("default", "ratelimit", "aggregates"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit", "aggregates"):
        caches[alias].clear()


def _user_with_role(role: str | None, **kwargs):
    user = UserFactory(**kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def staff_user(db):
    return _user_with_role(roles.STAFF, username="equipe-test")


@pytest.fixture
def board_user(db):
    return _user_with_role(roles.BOARD, username="conseil-test")


@pytest.fixture
def director_user(db):
    user = _user_with_role(roles.DIRECTOR, username="direction-test")
    StructureFactory().directors.add(user)
    return user


@pytest.fixture
def roleless_user(db):
    return _user_with_role(None, username="sans-role")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin-test", is_superuser=True, is_staff=True)


@pytest.fixture
def seeded_plan(db):
    """The federation's own document, imported through the service.

    Two thousand tests start from it, and the import through the service (full_clean, history,
    provenance) is most of their time. So each test process imports it once, keeps the rows the
    import wrote, and gives later tests those same rows written back in bulk, within the test's
    transaction as usual. Whenever the database or the clock is not as it was at that first
    import (a test wrote plan or network rows first, or froze time), the import runs for real."""
    from actions.services.plan_import import plan_import

    snapshot = _SeedSnapshot.current
    if snapshot is not None and snapshot.applies():
        return snapshot.replay()
    before = {model: _rows(model) for model in _SeedSnapshot.every_model()} if snapshot is None else None
    plan = plan_import(source=_seed_document(), user=None).plan
    if before is not None:
        _SeedSnapshot.current = _SeedSnapshot.taken(before, plan)
    return plan


def _seed_document() -> bytes:
    from django.conf import settings

    return settings.SEED_PLAN_DOCUMENT.read_bytes()


def _rows(model) -> dict:
    return {row[0]: row for row in model._base_manager.order_by().values_list("pk", *_columns(model))}


def _columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


class _SeedSnapshot:
    """The rows the seed's import wrote, as it wrote them, to write them again (see seeded_plan)."""

    current: "_SeedSnapshot | None" = None
    WATCHED_APPS = ("axes", "actions", "network", "indicators", "board", "centres", "publication", "simple_history")

    def __init__(self, counts, created, plan_pk, day, at):
        self.counts, self.created, self.plan_pk, self.day, self.at = counts, created, plan_pk, day, at

    @classmethod
    def every_model(cls) -> list:
        from django.apps import apps

        return [model for model in apps.get_models(include_auto_created=True) if not model._meta.proxy]

    @classmethod
    def taken(cls, before: dict, plan) -> "_SeedSnapshot | None":
        """None (never replay) if the import changed a row that was there before it."""
        from django.utils import timezone

        created = {}
        for model, old_rows in before.items():
            new_rows = _rows(model)
            if any(new_rows.get(pk) != row for pk, row in old_rows.items()):
                return None
            added = [pk for pk in new_rows if pk not in old_rows]
            if added:
                created[model] = list(model._base_manager.filter(pk__in=added).order_by("pk"))
        counts = {model: len(rows) for model, rows in before.items() if _watched(model)}
        return cls(counts, created, plan.pk, timezone.localdate(), timezone.now())

    def applies(self) -> bool:
        """The database holds, in the tables the import reads or writes, what it held then."""
        from django.utils import timezone

        now = timezone.now()
        if timezone.localdate() != self.day or abs((now - self.at).total_seconds()) > 3600:
            return False
        models = set(self.counts) | set(self.created)
        return all(model._base_manager.count() == self.counts.get(model, 0) for model in models)

    def replay(self):
        import copy

        from django.core.management.color import no_style
        from django.db import connection

        from axes.models import Plan

        for model, rows in self.created.items():
            model._base_manager.bulk_create(copy.deepcopy(rows))
        # Explicit ids leave PostgreSQL's sequences where they were: move them past the rows.
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.created))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        return Plan.all_objects.get(pk=self.plan_pk)


def _watched(model) -> bool:
    return model._meta.app_label in _SeedSnapshot.WATCHED_APPS


# ---------------------------------------------------------------- browser tests
# Playwright drives Debian's Chromium (Playwright's own download does not work here).
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that
    # live-server fixtures make are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def browser_login(page, live_server, username: str, password: str = "motdepasse-test") -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def browser_logout(page) -> None:
    """Log out through the user menu of the navbar."""
    page.locator("#menu-utilisateur").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def search_and_choose(page, name: str, typed: str, option: str) -> None:
    """Choose `option` in the searchable <select name=…> (Tom Select) by typing `typed`, as a
    person would. Tom Select takes the focus in a timer and empties its input then: typing
    before it has (the wrapper's « focus » class) loses the letters on a busy machine."""
    from playwright.sync_api import expect

    wrapper = page.locator(f"select[name={name}] + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    expect(wrapper).to_have_class(re.compile(r"\bfocus\b"))
    page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()


def assert_accessible(page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def save_screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot under artifacts/screenshots/ (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def network_figures(html: str) -> list[dict[str, str]]:
    """Every network figure of a page: each element marked `data-network-value`, as
    {"text": all its text, "coverage": the text of its `.coverage` element ("" if none)},
    whitespace collapsed. The markup convention every page showing a network value follows."""
    from html.parser import HTMLParser

    void = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col"}

    class Figures(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found, self.open = [], []  # open: [figure, depth, coverage depth or None]

        def handle_starttag(self, tag, attrs):
            if tag in void:
                return
            attrs = dict(attrs)
            for entry in self.open:
                entry[1] += 1
                if entry[2] is not None:
                    entry[2] += 1
            if "data-network-value" in attrs:
                figure = {"text": "", "coverage": ""}
                self.found.append(figure)
                self.open.append([figure, 1, None])
            if "coverage" in (attrs.get("class") or "").split():
                for entry in self.open:
                    if entry[2] is None:
                        entry[2] = 1

        def handle_endtag(self, tag):
            if tag in void:
                return
            for entry in self.open:
                entry[1] -= 1
                if entry[2] is not None:
                    entry[2] -= 1
                    if entry[2] == 0:
                        entry[2] = False  # closed: later text is not coverage
            self.open = [entry for entry in self.open if entry[1] > 0]

        def handle_data(self, data):
            for figure, _depth, in_coverage in self.open:
                figure["text"] += data
                if in_coverage:
                    figure["coverage"] += data

    parser = Figures()
    parser.feed(html)
    return [{key: " ".join(value.split()) for key, value in figure.items()} for figure in parser.found]
