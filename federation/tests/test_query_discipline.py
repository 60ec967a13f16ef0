"""No query in a loop, on any page: the query count does not grow with the data.

Every GET route declared in the permission matrix's ROUTES is requested on two generated
data sets of different sizes (demo.generate), as staff and, for the pages that are
the directors' own (allowed to a director but not to the board), as a director. A page
passes when it runs exactly the same number of queries on both sets, and when no single
statement (parameters stripped) runs more than MAX_REPEATS times in one request. New pages
are covered as soon as they are declared in ROUTES.

The data is generated once per size in a transaction that is rolled back, and every request
runs in a savepoint of its own (the kwargs builders create objects), so the whole module
costs a few seconds.
"""

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.generate import Scale, generate
from federation.tests.routes import EXPECTED, ROUTES
from network import roles
from network.models import Structure
from network.tests.factories import UserFactory

# Marked so that pytest-django sets up the test database (the module fixture uses it), and kept
# on one test process (`--dist loadgroup`), so that the pages are measured once, not once per process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_discipline")]

MAX_REPEATS = 10

SMALL = Scale(
    name="petite",
    departements=1,
    bassins_per_departement=2,
    structures=6,
    partners=4,
    chapters=1,
    axes=3,
    objectives=6,
    actions=30,
    participations=24,
    indicators=4,
    measurements=80,
    years=3,
    comments=6,
    staff_users=2,
    board_users=1,
)
LARGE = Scale(
    name="grande",
    departements=2,
    bassins_per_departement=3,
    structures=30,
    partners=15,
    chapters=2,
    axes=5,
    objectives=15,
    actions=120,
    participations=200,
    indicators=10,
    measurements=900,
    years=3,
    comments=40,
    staff_users=3,
    board_users=2,
)

# (route name, role) -> reason, for pages whose query count is known to grow with the data.
# strict: once fixed, the xfail turns into a failure so that the entry gets removed.
KNOWN_GROWTH: dict[tuple[str, str], str] = {}


def roles_for(level: str) -> list[str]:
    """Staff where staff may see the page; a director too where the page is the directors' own."""
    expected = EXPECTED[level]
    chosen = [role for role in ("staff",) if expected.get(role) == "ok"]
    if expected.get("director_a") == "ok" and expected.get("board") != "ok":
        chosen.append("director_a")
    if not chosen and expected.get("superuser") == "ok":
        chosen.append("superuser")
    return chosen


CASES = [
    (name, role) for name, (_build, methods) in ROUTES.items() if "get" in methods for role in roles_for(methods["get"])
]


def case_params(known: dict[tuple[str, str], str]):
    for name, role in CASES:
        reason = known.get((name, role))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(name, role, id=f"{name}-{role}", marks=marks)


def normalise(sql: str) -> str:
    """The statement without its parameters: literals and IN lists become « ? »."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", "?", sql)
    sql = re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(?)", sql)
    sql = re.sub(r"(?:%s|\?)(?:\s*,\s*(?:%s|\?))+", "?", sql)
    return re.sub(r"\s+", " ", sql).strip()


@dataclass
class Measure:
    status: int | None = None
    queries: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def statements(self) -> list[str]:
        return [normalise(sql) for sql in self.queries if not re.match(r"\s*(RELEASE )?SAVEPOINT", sql)]

    def most_repeated(self) -> tuple[str, int]:
        counts = Counter(self.statements).most_common(1)
        return counts[0] if counts else ("", 0)


def build_world(generated) -> dict:
    """The permission matrix's world, made of generated data."""
    structure_a, structure_b = Structure.objects.filter(name__startswith="[Démo générée]").order_by("pk")[:2]
    users = {"anonymous": None, "roleless": UserFactory(username="discipline-roleless")}
    for key, role in [("board", roles.BOARD), ("staff", roles.STAFF)]:
        users[key] = UserFactory(username=f"discipline-{key}")
        users[key].groups.add(Group.objects.get(name=role))
    users["director_a"] = structure_a.directors.get()
    users["director_b"] = structure_b.directors.get()
    users["superuser"] = UserFactory(username="discipline-admin", is_superuser=True, is_staff=True)
    return {"plan": generated.plan, "users": users, "structure_a": structure_a, "structure_b": structure_b}


def measure(world: dict, name: str, role: str) -> Measure:
    build_kwargs, _methods = ROUTES[name]
    result = Measure()
    with transaction.atomic():
        try:
            url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
            client = Client()
            client.force_login(world["users"][role])
            cache.clear()  # cached aggregates would hide the queries of the first request
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
            result.status = response.status_code
            result.queries = [query["sql"] for query in captured.captured_queries]
        except Exception as error:  # noqa: BLE001 - reported by the test, with the page's name
            result.error = f"{type(error).__name__}: {error}"
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{"small"|"large": {(route, role): Measure}}, each size generated then rolled back."""
    results = {}
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"refusing to generate into {name}"
        for label, scale in [("small", SMALL), ("large", LARGE)]:
            with transaction.atomic():
                world = build_world(generate(scale=scale, allow_mixed=True))
                results[label] = {(name, role): measure(world, name, role) for name, role in CASES}
                transaction.set_rollback(True)
    cache.clear()
    return results


def test_cases_cover_the_main_pages():
    names = {name for name, _role in CASES}
    assert {"actions:action_list", "actions:action_detail", "actions:axis_detail"} <= names


def test_generated_sizes_differ_enough():
    assert LARGE.actions >= 4 * SMALL.actions
    assert LARGE.measurements >= 10 * SMALL.measurements
    assert LARGE.structures >= 5 * SMALL.structures


@pytest.mark.parametrize(("name", "role"), case_params(KNOWN_GROWTH))
def test_query_count_does_not_grow_with_the_data(measured, name, role):
    small, large = measured["small"][(name, role)], measured["large"][(name, role)]
    assert not small.error and not large.error, small.error or large.error
    assert small.status is not None and small.status < 400, f"{name} a répondu {small.status}"
    if len(small.statements) != len(large.statements):
        more = Counter(large.statements) - Counter(small.statements)
        fewer = Counter(small.statements) - Counter(large.statements)
        detail = "\n".join(
            [f"  +{n} × {sql[:300]}" for sql, n in more.most_common(3)]
            + [f"  -{n} × {sql[:300]}" for sql, n in fewer.most_common(3)]
        )
        pytest.fail(
            f"{name} ({role}) : {len(small.statements)} requêtes sur la petite base, "
            f"{len(large.statements)} sur la grande. Différence (+ en plus, - en moins sur la grande) :\n{detail}"
        )


@pytest.mark.parametrize(("name", "role"), case_params({}))
def test_no_statement_runs_more_than_ten_times(measured, name, role):
    for label in ("small", "large"):
        page = measured[label][(name, role)]
        assert not page.error, page.error
        statement, times = page.most_repeated()
        assert times <= MAX_REPEATS, f"{name} ({role}, {label}) : {times} × {statement[:300]}"


def test_normalise_strips_parameters():
    a = normalise('SELECT "x" FROM "t" WHERE "t"."id" = 12 AND "t"."name" = \'a\'\'b\' AND "t"."k" IN (1, 2, 3)')
    b = normalise('SELECT "x" FROM "t" WHERE "t"."id" = 7 AND "t"."name" = \'z\' AND "t"."k" IN (4)')
    assert a == b
    assert normalise('SELECT "t2"."id" FROM "t2"') == 'SELECT "t2"."id" FROM "t2"'


# « Qui a transmis » (issue 18): its query count grew with the number of indicators and periods,
# which the two sizes above did not vary separately. Each dimension grows here on its own.
GROWN = {
    "indicators": dataclasses.replace(SMALL, name="plus d'indicateurs", indicators=16),
    "periods": dataclasses.replace(SMALL, name="plus de périodes", years=6, measurements=160),
    "structures": dataclasses.replace(SMALL, name="plus de structures", structures=40, participations=120),
}
SEPARATELY = ["centres:reporting_rate", "indicators:indicator_list", "board:dashboard", "board:report"]


def measure_at(scale: Scale, names: list[str]) -> dict[str, Measure]:
    with transaction.atomic():
        world = build_world(generate(scale=scale, allow_mixed=True))
        found = {name: measure(world, name, "staff") for name in names}
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def measured_separately(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        base = measure_at(SMALL, SEPARATELY)
        grown = {dimension: measure_at(scale, SEPARATELY) for dimension, scale in GROWN.items()}
    cache.clear()
    return base, grown


@pytest.mark.parametrize("dimension", sorted(GROWN))
@pytest.mark.parametrize("name", SEPARATELY)
def test_query_count_does_not_grow_with_each_dimension(measured_separately, name, dimension):
    base, grown = measured_separately
    small, large = base[name], grown[dimension][name]
    assert not small.error and not large.error, small.error or large.error
    assert small.status == 200 and large.status == 200
    if len(small.statements) != len(large.statements):
        more = Counter(large.statements) - Counter(small.statements)
        detail = "\n".join(f"  +{n} × {sql[:300]}" for sql, n in more.most_common(3))
        pytest.fail(f"{name} : {len(small.statements)} requêtes, {len(large.statements)} avec {dimension}\n{detail}")
