"""`make bench`, first part: every GET route of the URL configuration, for each role that may open it.

    .venv/bin/python bench/every_route.py [--requests 15] [--only NAME…]

The routes and their URL arguments are the permission matrix's (federation/tests/routes.py):
every route that answers GET, for each of the board, a director, staff and an administrator
that may open it, on the national dataset (generated once, as bench/run.py does). Where the
matrix's builders would make a tiny object of their own, BUSIEST gives the generated data's
busiest one instead (the largest axis, action, indicator, structure); FILTERS adds the list
pages' filtered addresses. Each case is timed with warm caches and « cache froid » (every
cache emptied before each request, as right after a write), median and 95th percentile, with
its query count, against two references timed in the same run: the floor (the help page) and
the Django admin's changelist of actions (as a superuser). Every case runs in a transaction
that is rolled back (the builders create objects).

A GET route the matrix declares but this benchmark cannot build an address for fails
federation/tests/test_bench_routes.py (part of `make test`).

Results: bench/results/routes-<vendor>.md (committed table) and bench-results/ (raw JSON).
"""

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RAW, RESULTS, database_url, log, setup_django  # noqa: E402

FLOOR_GOAL = 10.0  # × the help page
ADMIN_GOAL = 1.0  # × the admin changelist of actions, median and p95
PG_P95_WARM_MS, PG_P95_COLD_MS = 200, 500
BENCH_ROLES = ("board", "director_a", "staff", "superuser")
SKIPPED = {"logout", "health"}  # no page: a redirect and a probe
# Files, not pages (an export of 3,000 actions takes seconds): timed once, for one role, warm only.
FILES = {
    "exchange_export",
    "actions:action_export",
    "actions:plan_export",
    "board:report_download",
    "indicators:measurement_evidence",
}


def busiest(world: dict) -> dict:
    """URL arguments naming the generated data's busiest objects (bench/run.py's context)."""
    ctx = world.get("ctx")
    if ctx is None:  # the permission matrix's world (federation/tests/test_bench_routes.py)
        return {}
    return {
        "actions:axis_detail": {"pk": ctx["axis"].pk, "slug": ctx["axis"].slug},
        "actions:action_detail": {"pk": ctx["action"].pk},
        "actions:action_update": {"pk": ctx["action"].pk},
        "actions:action_create": {"axis_pk": ctx["axis"].pk},
        "actions:axis_links_update": {"pk": ctx["axis"].pk},
        "actions:objective_detail": {"pk": ctx["objective"].pk},
        "axes:objective_fragment": {"pk": ctx["objective"].pk},
        "indicators:indicator_detail": {"pk": ctx["indicator"].pk},
        "indicators:measurement_create": {"pk": ctx["indicator"].pk},
        "centres:structure_detail": {"pk": ctx["structure"].pk},
        "centres:centre_detail": {"pk": ctx["structure"].pk},
        "centres:territory_detail": {"pk": ctx["structure"].territory_id},
    }


def filters(world: dict) -> dict[str, list[str]]:
    """The list pages' filtered addresses, timed beside the plain ones."""
    ctx = world.get("ctx") or {"axis": world["plan"], "indicator": world["plan"]}  # (only their pk is read)
    return {
        "actions:action_list": [f"axis={ctx['axis'].pk}&status=in_progress", "structure=centre&sort=title"],
        "indicators:measurement_review": [f"indicator={ctx['indicator'].pk}"],
        "centres:structure_list": ["q=centre"],
        "centres:participation_list": ["page=2"],
        "centres:reporting_rate": ["periode=2024", "page=2"],
        "search": ["q=jeunesse"],
        "autocomplete_structures": ["q=centre social"],
        "autocomplete_actions": ["q=jeunes&ouvertes=1"],
        "autocomplete_partners": ["q=caf"],
        "autocomplete_people": ["q=a"],
        "autocomplete_accounts": ["q=a"],
    }


def roles_that_may(level: str) -> list[str]:
    from federation.tests.routes import EXPECTED

    return [role for role in BENCH_ROLES if EXPECTED[level].get(role) == "ok"]


def cases(world: dict) -> list[tuple[str, str, str]]:
    """[(route name, role, query string)]: every GET route for each role that may open it."""
    from federation.tests.routes import ROUTES

    extra = filters(world)
    found = []
    for name, (_build, methods) in ROUTES.items():
        if "get" not in methods or name in SKIPPED:
            continue
        allowed = roles_that_may(methods["get"])
        for role in allowed[-1:] if name in FILES else allowed:
            for query in ["", *extra.get(name, [])]:
                found.append((name, role, query))
    return found


def address(world: dict, name: str) -> str:
    from django.urls import reverse

    from federation.tests.routes import ROUTES

    build = ROUTES[name][0]
    kwargs = busiest(world).get(name) or (build(world) if build else None)
    return reverse(name, kwargs=kwargs)


def percentile(values: list[float], fraction: float) -> float:
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def empty_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def timed(client, url: str, n: int, cold: bool, warmups: int = 2) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, response = [], None
    for i in range(n + warmups):
        if cold:
            empty_caches()
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
        if i >= warmups:
            times.append(elapsed)
        if elapsed > 2.0:
            n = min(n, 5)
    if cold:
        empty_caches()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    size = 0 if getattr(response, "streaming", False) else len(response.content)
    return {
        "status": response.status_code,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "requests": len(times),
        "queries": len(captured.captured_queries),
        "size_kb": round(size / 1024, 1),
    }


def make_world(ctx: dict, users: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from network import roles
    from network.models import Structure

    board = get_user_model().objects.create_user(username=f"{users['staff'].username}-ca", password=None)
    board.groups.add(Group.objects.get(name=roles.BOARD))
    structure_b = Structure.objects.filter(directors__isnull=False).exclude(pk=ctx["structure"].pk).first()
    return {
        "ctx": ctx,
        "plan": ctx["plan"],
        "structure_a": ctx["structure"],
        "structure_b": structure_b,
        "users": {
            "board": board,
            "director_a": ctx["director"],
            "director_b": structure_b.directors.first(),
            "staff": users["staff"],
            "superuser": users["admin"],
        },
    }


def run(n: int, only: list[str]) -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from bench.common import prepare_national, throwaway_users
    from bench.run import context

    data = prepare_national("national")
    ctx = context()
    results = []
    with throwaway_users() as users:
        world = make_world(ctx, users)
        clients = {}
        for role, user in world["users"].items():
            clients[role] = Client()
            clients[role].force_login(user)
        references = {
            "floor": {"warm": timed(clients["staff"], reverse("help"), n, False)},
            "admin": {"warm": timed(clients["superuser"], reverse("admin:actions_action_changelist"), n, False)},
        }
        references["floor"]["cold"] = timed(clients["staff"], reverse("help"), n, True)
        references["admin"]["cold"] = timed(clients["superuser"], reverse("admin:actions_action_changelist"), n, True)
        log(f"Plancher : {references['floor']['warm']} ; admin (liste des actions) : {references['admin']['warm']}")
        for name, role, query in cases(world):
            if only and name not in only:
                continue
            row = {"route": name, "role": role, "query": query}
            try:
                with transaction.atomic():
                    url = address(world, name) + (f"?{query}" if query else "")
                    row["url"] = url
                    if name in FILES:
                        row["warm"] = row["cold"] = timed(clients[role], url, 1, False, warmups=0)
                    else:
                        row["warm"] = timed(clients[role], url, n, False)
                        row["cold"] = timed(clients[role], url, n, True)
                    transaction.set_rollback(True)
            except Exception as error:  # noqa: BLE001 - one broken page must not stop the benchmark
                row["error"] = f"{type(error).__name__}: {str(error)[:200]}"
            judge(row, references, connection.vendor)
            results.append(row)
            log(format_row(row))
            partial(references, results, connection.vendor, n)
        world["users"]["board"].delete()
    return {"data": data, "references": references, "routes": results, "vendor": connection.vendor}


def partial(references: dict, results: list, vendor: str, n: int) -> None:
    """The table so far (bench-results/routes-<vendor>-partiel.md): a long run stopped midway keeps its rows."""
    report = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC") + " (partiel)",
        "vendor": vendor,
        "machine": f"{platform.node()}, {platform.processor() or platform.machine()}",
        "requests": n,
        "references": references,
        "routes": results,
    }
    RAW.mkdir(exist_ok=True)
    (RAW / f"routes-{vendor}-partiel.md").write_text(markdown(report))


def judge(row: dict, references: dict, vendor: str) -> None:
    if "error" in row:
        return
    gaps = []
    for state in ("warm", "cold"):
        page, floor, admin = row[state], references["floor"][state], references["admin"][state]
        page["floor_ratio"] = round(page["median_ms"] / floor["median_ms"], 1)
        page["admin_ratio"] = round(page["median_ms"] / admin["median_ms"], 2)
        page["admin_p95_ratio"] = round(page["p95_ms"] / admin["p95_ms"], 2)
        if page["admin_ratio"] > ADMIN_GOAL or page["admin_p95_ratio"] > ADMIN_GOAL:
            gaps.append(f"> admin ({state})")
        if page["floor_ratio"] > FLOOR_GOAL:
            gaps.append(f"> {FLOOR_GOAL:g}× plancher ({state})")
        limit = PG_P95_WARM_MS if state == "warm" else PG_P95_COLD_MS
        if vendor == "postgresql" and page["p95_ms"] > limit:
            gaps.append(f"p95 > {limit} ms ({state})")
        if page["status"] != 200:
            gaps.append(f"réponse {page['status']}")
    row["gaps"] = gaps


def format_row(row: dict) -> str:
    label = f"{row['route']}{'?' + row['query'] if row['query'] else ''} [{row['role']}]"
    if "error" in row:
        return f"  {label:<70} ERREUR {row['error']}"
    w, c = row["warm"], row["cold"]
    return (
        f"  {label:<70} {w['status']} {w['median_ms']:>7}/{w['p95_ms']:>7} ms chaud, "
        f"{c['median_ms']:>7}/{c['p95_ms']:>7} ms froid, {w['queries']:>3}/{c['queries']:>3} req., "
        f"{w['admin_ratio']}× admin, {w['floor_ratio']}× plancher {' '.join(row['gaps'])}"
    )


def markdown(report: dict) -> str:
    refs = report["references"]
    lines = [
        f"# Toutes les routes — {report['date']} ({report['vendor']})",
        "",
        f"Machine : {report['machine']} (2 cœurs partagés avec d'autres sessions pendant la mesure : "
        "les chiffres absolus sont bruités, les rapports à l'admin et au plancher, mesurés dans le même run, "
        f"le sont moins). {report['requests']} requêtes par cas (5 pour une page de plus de 2 s) après deux "
        "d'échauffement ; « froid » : tous les caches vidés avant chaque requête.",
        "",
        f"- Plancher (aide) : médiane {refs['floor']['warm']['median_ms']} ms, p95 {refs['floor']['warm']['p95_ms']} ms",
        f"- Admin, liste des actions : médiane {refs['admin']['warm']['median_ms']} ms, "
        f"p95 {refs['admin']['warm']['p95_ms']} ms (froid : {refs['admin']['cold']['median_ms']} / "
        f"{refs['admin']['cold']['p95_ms']} ms)",
        "",
        "| route | rôle | chaud médiane / p95 (ms) | froid médiane / p95 (ms) | requêtes | × admin (méd. / p95) | × plancher | écarts |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["routes"]:
        label = f"`{row['route']}`" + (f" `?{row['query']}`" if row["query"] else "")
        if "error" in row:
            lines.append(f"| {label} | {row['role']} | erreur : {row['error']} | | | | | |")
            continue
        w, c = row["warm"], row["cold"]
        lines.append(
            f"| {label} | {row['role']} | {w['median_ms']} / {w['p95_ms']} | {c['median_ms']} / {c['p95_ms']} | "
            f"{w['queries']} | {w['admin_ratio']} / {w['admin_p95_ratio']} | {w['floor_ratio']} | "
            f"{', '.join(row['gaps']) or '✓'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--only", nargs="*", default=[], help="Noms de routes à mesurer (toutes par défaut).")
    args = parser.parse_args()
    url, described = database_url()
    log(f"Base de données : {described}")
    setup_django(url)
    started = datetime.datetime.now(datetime.UTC)
    report = run(args.requests, args.only)
    report.update(
        date=started.strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"{platform.node()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}",
        requests=args.requests,
        database=described,
    )
    RAW.mkdir(exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RAW / f"routes-{report['vendor']}-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / f"routes-{report['vendor']}.md").write_text(markdown(report))
    log(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
