"""`make bench`: server time of every page at national scale, against the floor and the admin.

    .venv/bin/python bench/run.py [--requests 30] [--scale national] [--no-gunicorn]

On PostgreSQL when DATABASE_URL is set, else on a throwaway SQLite file under bench-results/
(generated once, reused by the next runs). Pages are requested with Django's test client as a
logged-in staff user (median and 95th percentile over --requests requests, after two warm-up
requests; the query count of one more request), then compared with
- the floor: the help page, base.html and nothing else, for the same user;
- the Django admin changelist of the model the page shows, at the same data, as a superuser.
Pages that read figures kept in the "aggregates" cache (toolkit/aggregates.py: network
values, progress, the dashboard's and report's data) are measured twice: as read most of the
time (figures in the cache), and « cache froid », the cache emptied before each request, as
right after a write. The PDF is timed both ways too.
It also times the seed document's import, a 10,000-row CSV import of indicator values through
the import pages (preview then confirmation), and the national report's PDF; then replays the
pages on gunicorn (2 workers, production settings) and reads the workers' peak memory.
Everything the benchmark writes is rolled back or deleted, and it leaves nothing running.

Results: bench/results/latest.json and latest.md (committed summary), raw timings in
bench-results/ (git-ignored). Never part of `make test`: timings depend on the machine.
"""

import argparse
import contextlib
import dataclasses
import datetime
import json
import math
import platform
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report_worker  # noqa: E402
from bench.common import RAW, RESULTS, Gunicorn, database_url, http_get, http_login, log, setup_django  # noqa: E402

# Goals from the issue.
FLOOR_RATIO_GOAL = 3.0  # list and detail pages
ADMIN_RATIO_GOAL = 1.0  # every page
CSV_ROWS_PER_S_GOAL = 2000
PDF_SECONDS_GOAL = 5.0
RSS_MB_GOAL = 250
CSV_ROWS = 10_000


@dataclass
class PageSpec:
    label: str
    url_name: str
    kind: str  # floor | list | detail | page
    admin_model: str | None = None  # "app.model" whose changelist is the comparison
    kwargs: object = None  # callable(ctx) -> dict
    query: object = ""  # str or callable(ctx) -> str
    as_director: bool = False
    anonymous: bool = False  # the public space and open API: no login
    cached: bool = False  # reads figures kept in the "aggregates" cache: also measured with it emptied
    cold: bool = False  # measured with the "aggregates" cache emptied before each request


@dataclass
class PageResult:
    label: str
    url: str
    kind: str
    status: int | None = None
    requests: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    size_kb: float | None = None
    admin_model: str | None = None
    admin_median_ms: float | None = None
    floor_ratio: float | None = None
    admin_ratio: float | None = None
    error: str = ""
    goals: dict = field(default_factory=dict)


def specs() -> list[PageSpec]:
    return [
        PageSpec("Aide (plancher)", "help", "floor"),
        PageSpec(
            "Projet (vue d'ensemble)",
            "actions:plan_detail",
            "page",
            "axes.axis",
            kwargs=lambda c: {"pk": c["plan"].pk},
            cached=True,
        ),
        PageSpec(
            "Axe",
            "actions:axis_detail",
            "detail",
            "actions.action",
            kwargs=lambda c: {"pk": c["axis"].pk, "slug": c["axis"].slug},
        ),
        PageSpec("Actions (toutes)", "actions:action_list", "list", "actions.action"),
        PageSpec(
            "Actions (filtrées : axe, en cours)",
            "actions:action_list",
            "list",
            "actions.action",
            query=lambda c: f"axis={c['axis'].pk}&status=in_progress",
        ),
        PageSpec(
            "Action", "actions:action_detail", "detail", "actions.action", kwargs=lambda c: {"pk": c["action"].pk}
        ),
        PageSpec(
            "Objectif",
            "actions:objective_detail",
            "detail",
            "axes.objective",
            kwargs=lambda c: {"pk": c["objective"].pk},
        ),
        PageSpec("Indicateurs", "indicators:indicator_list", "list", "indicators.indicator", cached=True),
        PageSpec(
            "Indicateur",
            "indicators:indicator_detail",
            "detail",
            "indicators.measurement",
            kwargs=lambda c: {"pk": c["indicator"].pk},
            cached=True,
        ),
        PageSpec("Tableau de bord", "board:dashboard", "page", "indicators.indicator", cached=True),
        PageSpec("Ce qui a changé depuis", "board:changes", "page", "indicators.measurement", cached=True),
        PageSpec("Rapport (page)", "board:report", "page", "actions.action", cached=True),
        PageSpec("Taux de saisie", "centres:reporting_rate", "page", "indicators.measurement"),
        PageSpec("Recherche", "search", "page", "actions.action", query="q=jeunesse"),
        PageSpec("Valeurs à valider", "indicators:measurement_review", "list", "indicators.measurement"),
        PageSpec("Structures", "centres:structure_list", "list", "network.structure"),
        PageSpec(
            "Structure",
            "centres:structure_detail",
            "detail",
            "network.structure",
            kwargs=lambda c: {"pk": c["structure"].pk},
        ),
        PageSpec("Territoires", "centres:territory_list", "list", "network.territory"),
        # The public space and the open API (issue 17), anonymous, on the subset published_for_bench publishes.
        PageSpec("Espace public (accueil)", "publication:home", "page", "axes.axis", anonymous=True, cached=True),
        PageSpec("Espace public (synthèse)", "publication:summary", "page", "axes.axis", anonymous=True, cached=True),
        PageSpec(
            "Espace public (axe)",
            "publication:axis_detail",
            "detail",
            "actions.action",
            kwargs=lambda c: {"pk": c["axis"].pk, "slug": c["axis"].slug},
            anonymous=True,
            cached=True,
        ),
        PageSpec(
            "API : valeurs du réseau",
            "publication:api_value-list",
            "list",
            "indicators.measurement",
            anonymous=True,
            cached=True,
        ),
        PageSpec("API : actions", "publication:api_action-list", "list", "actions.action", anonymous=True),
        PageSpec("Participations", "centres:participation_list", "list", "actions.participation"),
        PageSpec(
            "Mon centre (direction)",
            "centres:centre_detail",
            "page",
            "actions.participation",
            kwargs=lambda c: {"pk": c["structure"].pk},
            as_director=True,
        ),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


SLOW_PAGE_S = 2.0  # a page slower than this is timed over SLOW_PAGE_REQUESTS requests only
SLOW_PAGE_REQUESTS = 5


def timed_get(client, url: str, n: int, before=None) -> tuple[list[float], object]:
    """`n` timings of GET `url`; `before()`, if given, runs before each request, untimed."""
    response = None
    for _ in range(2):  # warm-up: template loading, first connection
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        if time.perf_counter() - started > SLOW_PAGE_S:
            n = min(n, SLOW_PAGE_REQUESTS)  # keeps the whole benchmark under half an hour
    times = []
    for _ in range(n):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - started)
    return times, response


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def context() -> dict:
    """The objects the pages are about: the generated plan's busiest action, indicator, structure."""
    from django.db.models import Count

    from actions.models import Action
    from axes.models import Axis, Objective, Plan
    from indicators.models import Indicator
    from network.models import Structure

    plan = Plan.objects.current()
    axis = Axis.objects.for_plan(plan).annotate(n=Count("actions")).order_by("-n", "pk").first()
    action = (
        Action.objects.filter(axis__chapter__plan=plan, status=Action.Status.IN_PROGRESS)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    objective = Objective.objects.filter(axis=axis).annotate(n=Count("actions")).order_by("-n", "pk").first()
    indicator = Indicator.objects.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    structure = Structure.objects.filter(directors__isnull=False).order_by("pk").first()
    return {
        "plan": plan,
        "axis": axis,
        "action": action,
        "objective": objective,
        "indicator": indicator,
        "structure": structure,
        "director": structure.directors.first(),
    }


def discovered_specs(known: set[str]) -> list[PageSpec]:
    """Other pages without URL arguments, read from the URLconf, so that new pages get measured."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

    skip = {"login", "logout", "health", "help"}

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}"

    found = []
    for name in dict.fromkeys(walk(get_resolver())):
        if name in known or name in skip or name.startswith("password_"):
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        found.append(PageSpec(f"{name} (découverte)", name, "page"))
    return found


def measure_pages(n: int, ctx: dict, users: dict, only: str = "") -> list[PageResult]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    staff, director, admin, anonymous = Client(), Client(), Client(), Client()
    staff.force_login(users["staff"])
    director.force_login(ctx["director"])
    admin.force_login(users["admin"])
    admin_cache: dict[str, float] = {}
    results: list[PageResult] = []
    pages = []
    for spec in specs():
        pages.append(spec)
        if spec.cached:  # the same page when its figures must be computed (after any write)
            pages.append(dataclasses.replace(spec, label=f"{spec.label} (cache froid)", cold=True))
    pages += discovered_specs({spec.url_name for spec in pages})
    if only:  # --pages: these pages and the floor
        wanted = [part.strip().lower() for part in only.split(",") if part.strip()]
        pages = [spec for spec in pages if spec.kind == "floor" or any(w in spec.label.lower() for w in wanted)]
    floor = None
    for spec in pages:
        try:
            url = reverse(spec.url_name, kwargs=spec.kwargs(ctx) if spec.kwargs else None)
        except NoReverseMatch:
            log(f"  (absente) {spec.label} — {spec.url_name}")
            continue
        query = spec.query(ctx) if callable(spec.query) else spec.query
        if query:
            url = f"{url}?{query}"
        result = PageResult(spec.label, url, spec.kind, admin_model=spec.admin_model)
        client = anonymous if spec.anonymous else director if spec.as_director else staff
        if spec.label.endswith("(découverte)"):
            probe = client.get(url)
            if probe.status_code != 200 or not probe.get("Content-Type", "").startswith("text/html"):
                continue  # redirects, refusals, files (PDF, exports): not pages to measure here
        try:
            before = empty_aggregates if spec.cold else None
            times, response = timed_get(client, url, n, before)
            result.status = response.status_code
            result.requests = len(times)
            result.median_ms = round(statistics.median(times) * 1000, 1)
            result.p95_ms = round(percentile(times, 0.95) * 1000, 1)
            if before:
                before()
            result.queries = count_queries(client, url)
            content = b"" if getattr(response, "streaming", False) else response.content
            result.size_kb = round(len(content) / 1024, 1)
        except Exception as error:  # noqa: BLE001 - one broken page must not stop the benchmark
            result.error = f"{type(error).__name__}: {str(error)[:200]}"
        if spec.kind == "floor":
            floor = result.median_ms
        if spec.admin_model and not result.error:
            if spec.admin_model not in admin_cache:
                app, model = spec.admin_model.split(".")
                try:
                    admin_url = reverse(f"admin:{app}_{model}_changelist")
                except NoReverseMatch:  # the model is not in the admin
                    admin_cache[spec.admin_model] = None
                else:
                    admin_times, _ = timed_get(admin, admin_url, n)
                    admin_cache[spec.admin_model] = round(statistics.median(admin_times) * 1000, 1)
            result.admin_median_ms = admin_cache[spec.admin_model]
            if result.admin_median_ms is None:
                result.admin_model = f"{spec.admin_model} (absent de l'admin)"
        if floor and result.median_ms is not None:
            result.floor_ratio = round(result.median_ms / floor, 1)
        if result.admin_median_ms and result.median_ms is not None:
            result.admin_ratio = round(result.median_ms / result.admin_median_ms, 2)
        if spec.kind in ("list", "detail") and result.floor_ratio is not None:
            result.goals["≤ 3× plancher"] = result.floor_ratio <= FLOOR_RATIO_GOAL
        if result.admin_ratio is not None:
            result.goals["≤ 1× admin"] = result.admin_ratio <= ADMIN_RATIO_GOAL
        results.append(result)
        log(format_row(result))
    return results


@contextlib.contextmanager
def published_for_bench(ctx: dict):
    """Publish what a federation would (issue 17), for the public pages to show something: every
    axis and objective of the plan, its running and finished actions, the 20 most measured
    indicators; put back as it was afterwards (the generated base is reused)."""
    from django.db.models import Count

    from actions.models import Action
    from axes.models import Axis, Objective
    from indicators.models import Indicator
    from toolkit import aggregates

    plan = ctx["plan"]
    published = {
        Axis: Axis.objects.filter(chapter__plan=plan, is_published=False),
        Objective: Objective.objects.filter(axis__chapter__plan=plan, is_published=False),
        Action: Action.objects.filter(
            axis__chapter__plan=plan, is_published=False, status__in=[Action.Status.IN_PROGRESS, Action.Status.DONE]
        ),
        Indicator: Indicator.objects.filter(
            pk__in=Indicator.objects.annotate(n=Count("measurements")).order_by("-n", "pk").values("pk")[:20]
        ).filter(is_published=False),
    }
    changed = {model: list(queryset.values_list("pk", flat=True)) for model, queryset in published.items()}
    for model, ids in changed.items():
        model.objects.filter(pk__in=ids).update(is_published=True)
    aggregates.data_changed()
    log(
        "Publié pour l'espace public : "
        + ", ".join(f"{len(ids)} {m._meta.verbose_name_plural}" for m, ids in changed.items())
    )
    try:
        yield
    finally:
        for model, ids in changed.items():
            model.objects.filter(pk__in=ids).update(is_published=False)
        aggregates.data_changed()


def empty_aggregates() -> None:
    """Forget the cached figures (toolkit.aggregates), as any write to the data does."""
    from django.core.cache import caches

    caches["aggregates"].clear()


def format_row(r: PageResult) -> str:
    if r.error:
        return f"  {r.label:<38} ERREUR {r.error}"
    admin = f"{r.admin_ratio:>5}× admin ({r.admin_model})" if r.admin_ratio is not None else ""
    floor = f"{r.floor_ratio:>6}× plancher" if r.floor_ratio is not None else ""
    return (
        f"  {r.label:<38} {r.status} médiane {r.median_ms:>8} ms  p95 {r.p95_ms:>8} ms  "
        f"{r.queries:>3} requêtes  {r.size_kb:>7} ko  {floor}  {admin}"
    )


def time_seed_import() -> float:
    from django.conf import settings
    from django.db import transaction

    from actions.services.plan_import import plan_import

    durations = []
    for _ in range(3):
        with transaction.atomic():
            started = time.perf_counter()
            plan_import(source=settings.SEED_PLAN_DOCUMENT.read_bytes(), user=None)
            durations.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return round(statistics.median(durations), 3)


def csv_rows(n: int) -> bytes:
    """n values for a year after the generated ones: structures × indicators, French CSV."""
    from indicators.models import Indicator
    from network.models import Structure

    year = datetime.date.today().year + 1
    indicators = list(Indicator.objects.filter(is_demo=True).order_by("pk").values_list("code", flat=True))
    per_indicator = math.ceil(n / len(indicators))
    structures = list(Structure.objects.order_by("pk").values_list("name", flat=True)[:per_indicator])
    lines = ["structure;indicateur;période;valeur"]
    for code in indicators:
        for name in structures:
            if len(lines) > n:
                break
            lines.append(f"{name};{code};{year};{len(lines) % 500},5")
    return ("\n".join(lines) + "\n").encode()


def time_csv_import(staff) -> dict:
    """Through the import pages, as a person would: upload (preview, dry run), then confirm.

    The pages take at most toolkit.tables.MAX_ROWS rows per file: the 10,000 rows go in
    as many files, one after the other, and the times add up.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from indicators.models import Measurement

    try:
        upload_url, confirm_url = (
            reverse("indicators:measurement_import"),
            reverse("indicators:measurement_import_confirm"),
        )
    except NoReverseMatch:
        return {"error": "pages d'import des valeurs absentes"}
    try:
        from toolkit.tables import MAX_ROWS as per_file
    except ImportError:
        per_file = CSV_ROWS
    header, *lines = csv_rows(CSV_ROWS).decode().splitlines()
    files = [lines[i : i + per_file] for i in range(0, len(lines), per_file)]
    client = Client()
    client.force_login(staff)
    result = {"rows": len(lines), "files": len(files), "preview_s": 0.0, "import_s": 0.0}
    with transaction.atomic():
        before = Measurement.objects.count()
        for number, chunk in enumerate(files, start=1):
            content = ("\n".join([header, *chunk]) + "\n").encode()
            started = time.perf_counter()
            response = client.post(
                upload_url, {"file": SimpleUploadedFile(f"valeurs-{number}.csv", content, "text/csv")}
            )
            result["preview_s"] += time.perf_counter() - started
            found = re.search(rb'name="fingerprint" value="([^"]+)"', response.content)
            if response.status_code != 200 or not found:
                result["error"] = f"aperçu du fichier {number} refusé ({response.status_code})"
                transaction.set_rollback(True)
                return result
            started = time.perf_counter()
            response = client.post(confirm_url, {"fingerprint": found.group(1).decode()})
            result["import_s"] += time.perf_counter() - started
        created = Measurement.objects.count() - before
        transaction.set_rollback(True)
    result["preview_s"], result["import_s"] = round(result["preview_s"], 2), round(result["import_s"], 2)
    result["created"] = created
    if created != len(lines):
        result["error"] = f"{created} valeurs créées au lieu de {len(lines)} (réponse {response.status_code})"
    result["import_rows_per_s"] = round(len(lines) / result["import_s"]) if result["import_s"] else None
    total = result["preview_s"] + result["import_s"]
    result["preview_and_import_rows_per_s"] = round(len(lines) / total) if total else None
    result["goal_met"] = (result.get("import_rows_per_s") or 0) >= CSV_ROWS_PER_S_GOAL
    return result


def update_csv_only() -> int:
    """Re-measure the CSV import alone and rewrite bench/results/latest.* (other numbers kept)."""
    from bench.common import throwaway_users

    report = json.loads((RESULTS / "latest.json").read_text())
    with throwaway_users() as users:
        report["csv_import"] = time_csv_import(users["staff"])
    log(f"  {report['csv_import']}")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    (RESULTS / "latest.md").write_text(markdown(report))
    return 0


def time_pdf(plan) -> dict:
    """The national report's PDF, its figures computed (cache emptied first), then read from the cache."""
    try:
        from board.pdf import render_report_pdf
    except ImportError:
        return {"error": "rapport PDF absent"}
    empty_aggregates()
    started = time.perf_counter()
    pdf = render_report_pdf(plan)
    seconds = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    render_report_pdf(plan)
    cached_seconds = round(time.perf_counter() - started, 2)
    return {
        "seconds": seconds,
        "cached_seconds": cached_seconds,
        "size_kb": round(len(pdf) / 1024),
        "goal_met": seconds < PDF_SECONDS_GOAL,
        # Issue 15: as « Rapports au conseil » makes it, by one db_worker process (bench/report_worker.py).
        "worker": report_worker.measure(plan),
    }


def gunicorn_memory(url: str, results: list[PageResult], password: str, users: dict, rounds: int) -> dict:
    """Replay every measured page (and the PDF) on gunicorn; the workers' peak RSS afterwards."""
    from django.urls import reverse

    pdf_path = reverse("board:report_pdf") if has_url("board:report_pdf") else None
    with Gunicorn(url, workers=2, log_name="bench-gunicorn") as server:
        cookie = http_login(server.base, users["staff"].username, password)
        statuses = {}
        started = time.perf_counter()
        for _ in range(rounds):
            for result in results:
                if result.error or result.label.startswith("Mon centre"):
                    continue
                status, _headers, _body = http_get(server.base, result.url, cookie)
                statuses[result.url] = status
        if pdf_path:  # once: WeasyPrint is the heaviest thing a worker does
            statuses[pdf_path], _h, _b = http_get(server.base, pdf_path, cookie)
        peaks = server.worker_peak_rss_mb()
        return {
            "workers": 2,
            "redis": bool(server.redis),
            "requests": rounds * len(results) + (1 if pdf_path else 0),
            "seconds": round(time.perf_counter() - started, 1),
            "errors": {url: status for url, status in statuses.items() if status >= 400},
            "peak_rss_mb": peaks,
            "max_peak_rss_mb": max(peaks.values()) if peaks else None,
            "goal_met": bool(peaks) and max(peaks.values()) <= RSS_MB_GOAL,
        }


def has_url(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def worker_line(worker: dict) -> str:
    """The report to the board as a db_worker process makes it (bench/report_worker.py), against the goals."""
    if not worker or worker.get("worker_seconds") is None:
        return f"- Rapport au conseil produit par un worker (`db_worker`) : non mesuré {worker.get('error', '')}"
    seconds, rss = worker["worker_seconds"], worker["peak_rss_mb"]
    return (
        f"- Rapport au conseil produit par un worker (`db_worker`, processus à part) : **{seconds} s de tâche** "
        f"(objectif < {PDF_SECONDS_GOAL:g} s {'✓' if seconds < PDF_SECONDS_GOAL else '✗'}), "
        f"**{rss} Mo** de mémoire résidente maximale du processus (objectif < {RSS_MB_GOAL} Mo "
        f"{'✓' if rss < RSS_MB_GOAL else '✗'}) ; {worker.get('process_seconds')} s avec le démarrage du processus, "
        f"dont {worker.get('cpu_seconds')} s de calcul (CPU du processus, moins sensible à la charge de la machine) ; "
        f"PDF de {worker.get('size_kb')} ko, {worker.get('pages')} pages ; charge de la machine au départ "
        f"{worker.get('load_average')}"
    )


def markdown(report: dict) -> str:
    lines = [
        f"# Banc d'essai — {report['date']}",
        "",
        f"Base : {report['database']} ; données : {report['data']['plan']} ; "
        f"{report['requests']} requêtes par page (client de test Django, utilisateur « Équipe fédérale »).",
        f"Machine : {report['machine']}.",
        "",
        "| page | médiane (ms) | p95 (ms) | mesures | requêtes SQL | × plancher | × admin (modèle) | objectifs |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in report["pages"]:
        if page["error"]:
            lines.append(f"| {page['label']} | erreur | | | | | | {page['error']} |")
            continue
        goals = ", ".join(f"{name} {'✓' if ok else '✗'}" for name, ok in page["goals"].items())
        admin = f"{page['admin_ratio']} ({page['admin_model']})" if page["admin_ratio"] is not None else ""
        lines.append(
            f"| {page['label']} | {page['median_ms']} | {page['p95_ms']} | {page['requests']} | {page['queries']} | "
            f"{page['floor_ratio'] if page['floor_ratio'] is not None else ''} | {admin} | {goals} |"
        )
    seed, csv, pdf, memory = report["seed_import_s"], report["csv_import"], report["pdf"], report["gunicorn"]
    lines += [
        "",
        f"- Import du document du projet fédéral : {seed} s (médiane de 3).",
        f"- Import CSV de {csv.get('rows')} valeurs (pages d'import, {csv.get('files')} fichiers) : "
        f"aperçu {csv.get('preview_s')} s, "
        f"import {csv.get('import_s')} s = {csv.get('import_rows_per_s')} lignes/s "
        f"(objectif ≥ {CSV_ROWS_PER_S_GOAL}) {csv.get('error', '')}",
        f"- PDF du rapport national : {pdf.get('seconds')} s cache froid, {pdf.get('cached_seconds')} s avec "
        f"les chiffres en cache, {pdf.get('size_kb')} ko (objectif < {PDF_SECONDS_GOAL:g} s) {pdf.get('error', '')}",
        worker_line(pdf.get("worker", {})),
    ]
    for label, page in report.get("explain", {}).items():
        lines.append(
            f"- EXPLAIN ANALYZE {label} : {page['queries']} requêtes, {page['total_ms']} ms SQL ; parcours "
            f"séquentiels de grandes tables : {', '.join(page['seq_scans']) or 'aucun'} (plans : bench/results/explain.md)"
        )
    if memory:
        lines.append(
            f"- gunicorn (2 workers, réglages de production) après {memory.get('requests')} requêtes : "
            f"pic de mémoire des workers {memory.get('peak_rss_mb')} Mo (objectif ≤ {RSS_MB_GOAL} Mo) ; "
            f"erreurs : {memory.get('errors') or 'aucune'}"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--no-gunicorn", action="store_true", help="Ne pas mesurer la mémoire sous gunicorn.")
    parser.add_argument("--gunicorn-rounds", type=int, default=5)
    parser.add_argument("--csv-only", action="store_true", help="Ne refaire que l'import CSV (résultats gardés).")
    parser.add_argument(
        "--pages",
        default="",
        help="Ne mesurer que les pages dont le nom contient l'un de ces textes, séparés par des virgules (et le plancher), sans imports, PDF "
        "ni gunicorn ; résultats bruts dans bench-results/ seulement.",
    )
    args = parser.parse_args()

    url, described = database_url()
    log(f"Base de données : {described}")
    setup_django(url)
    if args.csv_only:
        return update_csv_only()
    from bench.common import prepare_national, throwaway_users

    data = prepare_national(args.scale)
    ctx = context()
    started = datetime.datetime.now()
    if args.pages:
        return measure_some_pages(args, ctx, started)
    with throwaway_users() as users, published_for_bench(ctx):
        log(f"Pages ({args.requests} requêtes chacune) :")
        pages = measure_pages(args.requests, ctx, users)
        plans = {}
        from django.db import connection

        if connection.vendor == "postgresql":
            from bench import explain

            log("EXPLAIN ANALYZE (liste des actions, tableau de bord, indicateur)…")
            plans = explain.run(ctx, users["staff"])
            for label, page in plans.items():
                log(f"  {label} : {page['total_ms']} ms SQL ; parcours séquentiels : {page['seq_scans'] or 'aucun'}")
        log("Import du document du projet fédéral…")
        seed = time_seed_import()
        log(f"  {seed} s")
        log(f"Import CSV de {CSV_ROWS} valeurs…")
        csv = time_csv_import(users["staff"])
        log(f"  {csv}")
        log("PDF du rapport…")
        pdf = time_pdf(ctx["plan"])
        log(f"  {pdf}")
        memory = {}
        if not args.no_gunicorn:
            log(f"gunicorn : {args.gunicorn_rounds} passages sur chaque page…")
            memory = gunicorn_memory(url, pages, users["password"], users, args.gunicorn_rounds)
            log(f"  {memory}")
    report = {
        "date": started.strftime("%Y-%m-%d %H:%M"),
        "database": described,
        "machine": f"{platform.node()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "requests": args.requests,
        "data": data,
        "pages": [asdict(page) for page in pages],
        "seed_import_s": seed,
        "csv_import": csv,
        "pdf": pdf,
        "gunicorn": memory,
        "explain": plans,
    }
    RAW.mkdir(exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RAW / f"bench-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    summary = markdown(report)
    (RESULTS / "latest.md").write_text(summary)
    log("")
    log(summary)
    log(f"Résultats : {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}/latest.md")
    return 0


def measure_some_pages(args, ctx: dict, started) -> int:
    from bench.common import throwaway_users

    with throwaway_users() as users, published_for_bench(ctx):
        log(f"Pages contenant « {args.pages} » ({args.requests} requêtes chacune) :")
        pages = measure_pages(args.requests, ctx, users, only=args.pages)
    RAW.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    path = RAW / f"bench-pages-{stamp}.json"
    path.write_text(json.dumps([asdict(page) for page in pages], indent=2, ensure_ascii=False, default=str))
    log(f"Résultats bruts : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
