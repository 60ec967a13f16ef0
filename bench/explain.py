"""EXPLAIN ANALYZE of what a page runs, on PostgreSQL: are the filters and orderings indexed?

For each page, every SELECT it runs is captured and explained; the report keeps, per page,
the statements that took longest, their plan, and each sequential scan over a large table
(more rows than SEQ_SCAN_ROWS), which is where an index may be missing.
"""

import re

SEQ_SCAN_ROWS = 5_000
KEEP = 3  # slowest statements shown per page


def explain(sql: str) -> tuple[float, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    match = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (float(match.group(1)) if match else 0.0), plan


def seq_scans(plan: str) -> list[str]:
    """« table (rows) » for each sequential scan reading more than SEQ_SCAN_ROWS rows."""
    found = []
    for match in re.finditer(r"Seq Scan on (\w+).*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)", plan):
        rows = int(match.group(2)) * int(match.group(3))
        filtered = re.search(
            rf"Seq Scan on {match.group(1)}[^\n]*\n(?:[^\n]*\n)*?\s+Rows Removed by Filter: (\d+)", plan
        )
        scanned = rows + (int(filtered.group(1)) if filtered else 0)
        if scanned > SEQ_SCAN_ROWS:
            found.append(f"{match.group(1)} ({scanned} lignes lues, {rows} gardées)")
    return found


def explain_page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = []
    for query in captured.captured_queries:
        sql = query["sql"]
        # A UNION starts with "(SELECT" (the audit's rows): explained too.
        if not sql.lstrip("( \n").upper().startswith("SELECT"):
            continue
        milliseconds, plan = explain(sql)
        statements.append({"ms": milliseconds, "sql": sql, "plan": plan, "seq_scans": seq_scans(plan)})
    statements.sort(key=lambda item: -item["ms"])
    return {
        "url": url,
        "queries": len(captured.captured_queries),
        "total_ms": round(sum(item["ms"] for item in statements), 1),
        "seq_scans": sorted({scan for item in statements for scan in item["seq_scans"]}),
        "slowest": statements[:KEEP],
    }


def markdown(results: dict[str, dict]) -> str:
    lines = ["# Plans d'exécution (PostgreSQL, données nationales)", ""]
    for label, page in results.items():
        lines += [
            f"## {label} — `{page['url']}`",
            "",
            f"{page['queries']} requêtes, {page['total_ms']} ms d'exécution SQL en tout (EXPLAIN ANALYZE).",
            "Parcours séquentiels de grandes tables : " + (", ".join(page["seq_scans"]) or "aucun") + ".",
            "",
        ]
        for item in page["slowest"]:
            lines += [
                f"### {item['ms']} ms",
                "",
                "```sql",
                item["sql"][:1500],
                "```",
                "",
                "```",
                item["plan"],
                "```",
                "",
            ]
    return "\n".join(lines)


def pages(ctx: dict) -> dict[str, str]:
    from django.urls import reverse

    return {
        "Liste des actions": reverse("actions:action_list"),
        "Liste des actions filtrée (axe, en cours)": f"{reverse('actions:action_list')}?axis={ctx['axis'].pk}&status=in_progress",
        "Tableau de bord": reverse("board:dashboard"),
        "Page d'un indicateur": reverse("indicators:indicator_detail", kwargs={"pk": ctx["indicator"].pk}),
    }


def run(ctx: dict, staff) -> dict[str, dict]:
    """Explain the pages as `staff`; writes bench/results/explain.md. PostgreSQL only."""
    from django.core.cache import caches
    from django.test import Client

    from bench.common import RESULTS

    client = Client()
    client.force_login(staff)
    results = {}
    for label, url in pages(ctx).items():
        caches["aggregates"].clear()  # explain the queries that compute the figures, not a cache hit
        results[label] = explain_page(client, url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "explain.md").write_text(markdown(results))
    return {
        label: {key: page[key] for key in ("url", "queries", "total_ms", "seq_scans")}
        for label, page in results.items()
    }


def main() -> int:
    """Standalone: `DATABASE_URL=postgres://… .venv/bin/python bench/explain.py` on generated data."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.common import database_url, log, setup_django

    url, described = database_url(require_postgres=True)
    setup_django(url)
    from django.db import connection

    from bench.common import throwaway_users
    from bench.run import context

    if connection.vendor != "postgresql":
        log("EXPLAIN ANALYZE : PostgreSQL seulement.")
        return 2
    log(f"Base de données : {described}")
    with throwaway_users() as users:
        for label, page in run(context(), users["staff"]).items():
            log(
                f"{label} : {page['queries']} requêtes, {page['total_ms']} ms SQL ; parcours séquentiels : {page['seq_scans'] or 'aucun'}"
            )
    log("Plans : bench/results/explain.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
