"""`make load`: a week of the three roles (Locust) against the production setup, at national scale.

    .venv/bin/python bench/load.py [--users 100] [--duration 5m] [--spawn-rate 10]

On PostgreSQL: DATABASE_URL if it is set (it must be PostgreSQL), else the benchmark's own
database postgres://postgres@127.0.0.1:5432/projet_bench, created and filled with the
national generated data if needed. gunicorn (2 workers, production settings, Redis when one
answers), the task worker (`manage.py db_worker`) and Locust (bench/week.py: 20 % federal
team, 60 % centre directors, 20 % board members, each with an account of its own created
here and deleted afterwards). Targets, each checked and written in the report:

- no error (every page 200, every write 302);
- p95 under 1 s for every page;
- every value a director transmitted present, with its value, « transmise » or « validée »;
- the gunicorn workers' and the task worker's memory grown by less than 10 % (resident
  memory after the first minute against the end).

The report goes to bench-results/load-<date>.json and .md (raw, git-ignored) and its summary
to bench/results/load.json and load.md (the README quotes it). What the run wrote (values,
journal entries, milestones) is deleted with the accounts.
"""

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, RAW, RESULTS, ROOT, Gunicorn, database_url, log, setup_django  # noqa: E402

P95_TARGET_MS = 1000
MEMORY_TARGET = 0.10
ROLES = {"staff": 5, "directors": 70, "board": 5}


def rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        return round(int(match.group(1)) / 1024, 1)
    return None


class MemorySampler(threading.Thread):
    """Resident memory of each watched process every 5 s."""

    def __init__(self, pids: dict[str, int]):
        super().__init__(daemon=True)
        self.pids, self.samples, self.stopping = pids, [], threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.stopping.wait(5):
            self.samples.append(
                (round(time.monotonic() - started), {name: rss_mb(pid) for name, pid in self.pids.items()})
            )

    def growth(self, after_s: int = 60) -> dict[str, dict]:
        result = {}
        for name in self.pids:
            series = [(t, s[name]) for t, s in self.samples if s.get(name)]
            if not series:
                continue
            warm = next((mb for t, mb in series if t >= after_s), series[0][1])
            first, last = series[0][1], series[-1][1]
            result[name] = {
                "first_mb": first,
                "after_warmup_mb": warm,
                "last_mb": last,
                "growth_after_warmup": round((last - warm) / warm, 3),
                "growth_from_first": round((last - first) / first, 3),
            }
        return result


def create_accounts(password: str) -> dict:
    """Accounts of each role; each director directs a structure that reports indicators."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from actions.models import Action
    from indicators.models import Indicator
    from network import roles
    from network.models import Structure

    User = get_user_model()
    suffix = secrets.token_hex(3)
    groups = {"staff": roles.STAFF, "directors": roles.DIRECTOR, "board": roles.BOARD}
    by_structure: dict[int, list[int]] = {}
    for indicator, structure in Indicator.objects.filter(actions__structures__isnull=False).values_list(
        "pk", "actions__structures"
    )[:20000]:
        by_structure.setdefault(structure, []).append(indicator)
    structures = sorted(by_structure, key=lambda pk: -len(by_structure[pk]))[: ROLES["directors"]]
    if len(structures) < ROLES["directors"]:
        raise RuntimeError("pas assez de structures avec des indicateurs dans la base générée")
    accounts: dict = {"password": password, "staff": [], "directors": [], "board": [], "user_ids": []}
    for role, count in ROLES.items():
        group = Group.objects.get(name=groups[role])
        for n in range(count):
            user = User.objects.create_user(
                username=f"charge-{role}-{n}-{suffix}", password=password, first_name="Charge"
            )
            user.groups.add(group)
            accounts["user_ids"].append(user.pk)
            account = {"username": user.username}
            if role == "directors":
                structure = Structure.objects.get(pk=structures[n])
                structure.directors.add(user)
                account.update(structure=structure.pk, indicators=by_structure[structure.pk][:20])
            accounts[role].append(account)
    accounts["actions"] = list(Action.objects.order_by("?").values_list("pk", flat=True)[:300])
    accounts["paths"] = {
        "dashboard": reverse("board:dashboard"),
        "changes": reverse("board:changes"),
        "report": reverse("board:report"),
        "review": reverse("indicators:measurement_review"),
    }
    return accounts


def open_sessions(accounts: dict, secret_key: str) -> None:
    """A session for each account, as if each person had logged in this morning.

    A login costs half a second of PBKDF2 by design; a hundred at once is a login storm, not
    a week, and would measure nothing else. The sessions are written in the database (the
    server's `cached_db` reads them there), signed with the server's secret key.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    users = {user.username: user for user in get_user_model().objects.filter(pk__in=accounts["user_ids"])}
    own_key, settings.SECRET_KEY = settings.SECRET_KEY, secret_key
    try:
        for role in ("staff", "directors", "board"):
            for account in accounts[role]:
                user = users[account["username"]]
                session = SessionStore()
                session[SESSION_KEY] = str(user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = user.get_session_auth_hash()
                session.save()
                account["session"] = session.session_key
    finally:
        settings.SECRET_KEY = own_key


def check_transmitted(sent_path: Path) -> dict:
    """Every value the load test saw accepted: in the database, same value, submitted or validated."""
    from decimal import Decimal

    from django.db import connection

    from indicators.models import Measurement

    connection.close()
    sent = [json.loads(line) for line in sent_path.read_text().splitlines() if line.strip()]
    found = {
        (m.indicator_id, m.structure_id, m.period): m
        for m in Measurement.objects.filter(
            structure_id__in={s["structure"] for s in sent}, period__in={s["period"] for s in sent}
        )
    }
    missing, wrong_value, wrong_state = [], [], []
    states: dict[str, int] = {}
    for line in sent:
        measurement = found.get((line["indicator"], line["structure"], line["period"]))
        if measurement is None:
            missing.append(line)
            continue
        if measurement.value != Decimal(line["value"]):
            wrong_value.append(line)
        states[measurement.status] = states.get(measurement.status, 0) + 1
        if measurement.status not in (Measurement.Status.SUBMITTED, Measurement.Status.VALIDATED):
            wrong_state.append({**line, "status": measurement.status})
    return {
        "transmitted": len(sent),
        "present": len(sent) - len(missing),
        "states": states,
        "missing": missing[:20],
        "wrong_value": wrong_value[:20],
        "wrong_state": wrong_state[:20],
        "ok": bool(sent) and not missing and not wrong_value and not wrong_state,
    }


def clean_up(accounts: dict) -> None:
    """What the run wrote, then its accounts."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from actions.models import Milestone, Update
    from indicators.models import Measurement

    connection.close()
    ids = accounts["user_ids"]
    Measurement.objects.filter(entered_by_id__in=ids).delete()
    Update.objects.filter(author_id__in=ids).delete()
    Milestone.objects.filter(title__startswith="Jalon de charge").delete()
    try:
        get_user_model().objects.filter(pk__in=ids).delete()
    except Exception as error:  # noqa: BLE001 - a kept account is reported, not fatal
        log(f"Comptes de charge non supprimés : {error}")
    if connection.vendor == "postgresql":
        # What the run wrote and deleted leaves dead rows (17,000 in the values after a few runs)
        # that autovacuum may not have reached before the next run: each run starts clean.
        tables = [model._meta.db_table for model in (Measurement, Update, Milestone)]
        tables += [model.history.model._meta.db_table for model in (Measurement, Update, Milestone)]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stats = []
    for row in rows:
        stats.append(
            {
                "type": row["Type"],
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": float(row["Median Response Time"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": float(row["Max Response Time"]),
                "requests_per_s": float(row["Requests/s"]),
            }
        )
    return stats


def markdown(report: dict) -> str:
    lines = [
        f"# `make load` — {report['date']}",
        "",
        f"{report['users']} utilisateurs simulés pendant {report['duration']} ({report['database']}) : "
        "20 % équipe fédérale, 60 % directions de centre, 20 % conseil ; gunicorn 2 workers, "
        f"{'Redis' if report['redis'] else 'sans Redis'}, worker de tâches.",
        "",
        f"Machine : {report['machine']}",
        "",
        "| page ou écriture | requêtes | échecs | médiane (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["stats"]:
        lines.append(
            f"| {row['type']} {row['name']} | {row['requests']} | {row['failures']} | {row['median_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['max_ms']:.0f} |"
        )
    lines += ["", "| objectif | mesuré | tenu |", "|---|---|---|"]
    for target in report["targets"]:
        lines.append(f"| {target['target']} | {target['measured']} | {'oui' if target['met'] else '**non**'} |")
    if report.get("failures"):
        lines += ["", "Échecs (Locust) :", ""]
        lines += [f"- {f['Method']} {f['Name']} : {f['Error']} ×{f['Occurrences']}" for f in report["failures"][:20]]
    if report.get("exceptions"):
        lines += ["", "Exceptions (Locust) :", ""]
        lines += [f"- {e['Message']} ×{e['Count']}" for e in report["exceptions"][:20]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", default="5m", help="durée de la charge (Locust : 30s, 5m, 1h…)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    args = parser.parse_args()

    url, described = database_url(require_postgres=True)
    if not url.startswith(("postgres://", "postgresql://")):
        log(f"make load mesure PostgreSQL : DATABASE_URL={described} n'en est pas une.")
        return 2
    log(f"Base de données : {described}")
    setup_django(url)
    from bench.common import prepare_national

    data = prepare_national("national")
    RAW.mkdir(exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    sent_path = RAW / f"load-{stamp}-sent.jsonl"
    sent_path.write_text("")
    accounts_path = RAW / f"load-{stamp}-accounts.json"
    password = secrets.token_urlsafe(18)
    accounts = create_accounts(password)
    server = Gunicorn(url, workers=2, log_name="load-gunicorn")
    open_sessions(accounts, server.env["DJANGO_SECRET_KEY"])
    accounts_path.write_text(json.dumps(accounts))
    worker_log = open(RAW / "load-worker.log", "w")  # noqa: SIM115 - closed below
    worker = None

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    report: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "database": described,
        "data": data,
        "users": args.users,
        "duration": args.duration,
        "machine": f"{os.cpu_count()} cœurs partagés avec d'autres sessions (charge au départ : "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])})",
    }
    try:
        with server:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "1"],
                cwd=ROOT,
                env=server.env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
            report["redis"] = bool(server.redis)
            pids = {f"gunicorn-{n}": pid for n, pid in enumerate(sorted(server.worker_pids()))}
            pids["db_worker"] = worker.pid
            log(
                f"gunicorn : 2 workers sur {server.base} ; worker de tâches {worker.pid} ; Locust {args.users} utilisateurs, {args.duration}…"
            )
            sampler = MemorySampler(pids)
            sampler.start()
            prefix = RAW / f"load-{stamp}"
            locust = subprocess.run(
                [
                    str(Path(PYTHON).parent / "locust"),
                    "-f",
                    str(ROOT / "bench" / "week.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.duration,
                    "--host",
                    server.base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_ACCOUNTS": str(accounts_path), "LOAD_SENT": str(sent_path)},
                capture_output=True,
                text=True,
                check=False,
            )
            sampler.stopping.set()
            sampler.join()
            (RAW / f"load-{stamp}-locust.txt").write_text(locust.stdout + locust.stderr)
            time.sleep(2)  # the last requests' transactions
        report["stats"] = read_stats(prefix)
        with contextlib.suppress(OSError), open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
            report["failures"] = list(csv.DictReader(handle))
        # An exception in a simulated person's task is no request at all: counted as an error too
        # (a run once reported « 0 échecs » while every form post had stopped on one).
        with contextlib.suppress(OSError), open(f"{prefix}_exceptions.csv", encoding="utf-8") as handle:
            report["exceptions"] = list(csv.DictReader(handle))
        report["memory"] = sampler.growth()
        report["memory_samples"] = sampler.samples
        report["values"] = check_transmitted(sent_path)
    finally:
        if worker and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        worker_log.close()
        clean_up(accounts)
        accounts_path.unlink(missing_ok=True)

    total = next(row for row in report["stats"] if row["name"] == "Aggregated")
    pages = [row for row in report["stats"] if row["name"] != "Aggregated"]
    slowest = max(pages, key=lambda row: row["p95_ms"])
    values = report["values"]
    growth = {name: m["growth_after_warmup"] for name, m in report["memory"].items()}
    exceptions = sum(int(row["Count"]) for row in report.get("exceptions", []))
    report["targets"] = [
        {
            "target": "0 erreur",
            "measured": f"{total['failures']} échecs sur {total['requests']} requêtes, {exceptions} exceptions",
            "met": total["failures"] == 0 and exceptions == 0,
        },
        {
            "target": "p95 < 1 s pour chaque page",
            "measured": f"p95 le plus lent : {slowest['name']} {slowest['p95_ms']:.0f} ms ; toutes : {total['p95_ms']:.0f} ms",
            "met": all(row["p95_ms"] < P95_TARGET_MS for row in pages),
        },
        {
            "target": "chaque valeur transmise présente et dans le bon état",
            "measured": f"{values['present']}/{values['transmitted']} présentes, états {values['states']}, "
            f"valeur différente : {len(values['wrong_value'])}, mauvais état : {len(values['wrong_state'])}",
            "met": values["ok"],
        },
        {
            "target": "mémoire des workers + 10 % au plus",
            "measured": ", ".join(f"{name} {g:+.1%}" for name, g in growth.items()),
            "met": bool(growth) and all(g < MEMORY_TARGET for g in growth.values()),
        },
    ]
    (RAW / f"load-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    (RAW / f"load-{stamp}.md").write_text(markdown(report))
    summary = {k: v for k, v in report.items() if k != "memory_samples"}
    (RESULTS / "load.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    (RESULTS / "load.md").write_text(markdown(report))
    log(markdown(report))
    return 0 if all(target["met"] for target in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
