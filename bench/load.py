"""`make load`: gunicorn (2 workers, production settings) on 127.0.0.1 under wrk, at national scale.

    .venv/bin/python bench/load.py [--connections 20] [--duration 30s]

On PostgreSQL: DATABASE_URL if it is set (it must be PostgreSQL), else the benchmark's own
database postgres://postgres@127.0.0.1:5432/projet_bench, created and filled with the
national generated data if needed. Static files are collected into a temp dir, a throwaway
staff account logs in through the login form to get a session cookie, and wrk (Debian
package `wrk`) hits the dashboard and the action list in turn. Prints requests per second,
latency percentiles and errors (goal: none), and the workers' peak memory. gunicorn is
stopped on exit, including on Ctrl+C; the throwaway account is deleted.
"""

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RAW, RESULTS, Gunicorn, database_url, http_get, http_login, log, setup_django  # noqa: E402

TARGETS = [("Tableau de bord", "board:dashboard"), ("Liste des actions", "actions:action_list")]


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles and every kind of error from wrk's --latency output."""
    result = {"raw": output}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["requests_per_s"] = float(match.group(1))
    if match := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        result["requests"] = int(match.group(1))
    for percent in ("50", "75", "90", "99"):
        if match := re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)\b", output):
            value, unit = float(match.group(1)), match.group(2)
            result[f"p{percent}_ms"] = round(value * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)
    errors = {}
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors.update(zip(["connect", "read", "write", "timeout"], map(int, match.groups()), strict=True))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors["non_2xx_3xx"] = int(match.group(1))
    result["errors"] = errors
    result["error_count"] = sum(errors.values())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", default="30s")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        log("wrk est introuvable : sudo apt-get install -y wrk")
        return 2
    url, described = database_url(require_postgres=True)
    if not url.startswith(("postgres://", "postgresql://")):
        log(f"make load mesure PostgreSQL : DATABASE_URL={described} n'en est pas une.")
        return 2
    log(f"Base de données : {described}")
    setup_django(url)
    from django.urls import reverse

    from bench.common import prepare_national, throwaway_users

    data = prepare_national("national")
    server = Gunicorn(url, workers=2, log_name="load-gunicorn")

    def stop(signum, frame):  # Ctrl+C or kill: never leave gunicorn running
        server.stop()
        sys.exit(130)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    report = {"database": described, "data": data, "connections": args.connections, "duration": args.duration}
    with throwaway_users() as users, server:
        log(f"gunicorn : 2 workers sur {server.base} (cache {'Redis' if server.redis else 'mémoire locale'})")
        cookie = http_login(server.base, users["staff"].username, users["password"])
        report["targets"] = []
        for label, name in TARGETS:
            path = reverse(name)
            status, _headers, _body = http_get(server.base, path, cookie)
            if status != 200:
                log(f"{label} : réponse {status} avant la charge, abandon.")
                report["targets"].append({"label": label, "path": path, "error": f"HTTP {status}"})
                continue
            log(f"{label} ({path}) : wrk {args.connections} connexions, {args.duration}…")
            started = time.monotonic()
            completed = subprocess.run(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{args.duration}",
                    "--timeout",
                    "60s",
                    "--latency",
                    "-H",
                    f"Cookie: {cookie}",
                    f"{server.base}{path}",
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            result = parse_wrk(completed.stdout + completed.stderr)
            result.update(label=label, path=path, wall_s=round(time.monotonic() - started, 1))
            report["targets"].append(result)
            log(
                f"  {result.get('requests_per_s')} requêtes/s ; latence p50 {result.get('p50_ms')} ms, "
                f"p75 {result.get('p75_ms')} ms, p90 {result.get('p90_ms')} ms, p99 {result.get('p99_ms')} ms ; "
                f"erreurs {result['error_count']} {result['errors'] or ''}"
            )
        report["peak_rss_mb"] = server.worker_peak_rss_mb()
        report["redis"] = bool(server.redis)
        log(f"Pic de mémoire des workers (VmHWM) : {report['peak_rss_mb']} Mo")
    log("gunicorn arrêté.")
    RAW.mkdir(exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RAW / f"load-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    summary = {k: v for k, v in report.items() if k != "targets"}
    summary["targets"] = [{k: v for k, v in t.items() if k != "raw"} for t in report["targets"]]
    (RESULTS / "load.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    errors = sum(t.get("error_count", 1) for t in report["targets"])
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
