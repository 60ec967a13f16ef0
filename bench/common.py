"""What `make bench` and `make load` share: the database, throwaway accounts, a gunicorn server.

Nothing here is left running: `Gunicorn` is a context manager that stops its server (and
`make load` also stops it on SIGINT/SIGTERM). Raw outputs go to bench-results/ (git-ignored).
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "bench-results"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_SQLITE = RAW / "bench-national.sqlite3"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/projet_bench"


def log(message: str) -> None:
    print(message, flush=True)


def database_url(*, require_postgres: bool = False) -> tuple[str, str]:
    """(DATABASE_URL, description): the environment's, else a throwaway SQLite file (or PostgreSQL)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url, f"DATABASE_URL ({redact(url)})"
    if require_postgres:
        ensure_postgres_database(DEFAULT_POSTGRES)
        return DEFAULT_POSTGRES, f"PostgreSQL jetable ({DEFAULT_POSTGRES})"
    RAW.mkdir(exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}", f"SQLite jetable ({DEFAULT_SQLITE.relative_to(ROOT)})"


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it does not exist."""
    import psycopg2

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup_django(url: str, settings: str = "federation.settings.local") -> None:
    """Django in this process, DEBUG off (timings), on `url`."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_national(scale_name: str = "national") -> dict:
    """Migrate, then generate `scale_name` unless the database already holds it. Returns facts to print."""
    from django.core.management import call_command
    from django.db import connection

    from demo.generate import SCALES, generate, generated_plan

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    facts = {"migrate_s": round(time.monotonic() - started, 1), "vendor": connection.vendor}
    plan = generated_plan()
    if plan is not None:
        facts.update(generated=False, plan=str(plan))
        log(f"Données générées déjà présentes : {plan} (réutilisées).")
        return facts
    log(f"Génération des données « {scale_name} » sur {connection.vendor}…")
    result = generate(scale=SCALES[scale_name], force=True)
    for line in result.summary_lines():
        log(line)
    facts.update(generated=True, plan=str(result.plan), generate_s=round(result.seconds, 1), counts=result.counts)
    return facts


@contextlib.contextmanager
def throwaway_users():
    """A staff account (Équipe fédérale) and a superuser with random passwords, deleted afterwards."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from network import roles

    User = get_user_model()
    suffix = secrets.token_hex(4)
    password = secrets.token_urlsafe(18)
    staff = User.objects.create_user(username=f"bench-equipe-{suffix}", password=password, first_name="Banc")
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    admin = User.objects.create_superuser(username=f"bench-admin-{suffix}", password=password, email="")
    try:
        yield {"staff": staff, "admin": admin, "password": password}
    finally:
        User.objects.filter(pk__in=[staff.pk, admin.pk]).delete()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str | None:
    """REDIS_URL from the environment, else the local Redis if one answers (production shape)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/14"
    except OSError:
        return None


class Gunicorn:
    """gunicorn with production settings on 127.0.0.1, static files collected into a temp dir."""

    def __init__(self, url: str, *, workers: int = 2, log_name: str = "gunicorn"):
        self.url, self.workers, self.port = url, workers, free_port()
        self.process: subprocess.Popen | None = None
        self.static = Path(tempfile.mkdtemp(prefix="bench-static-"))
        RAW.mkdir(exist_ok=True)
        self.log_path = RAW / f"{log_name}.log"
        self.redis = redis_url()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.production_settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "BENCH_STATIC_ROOT": str(self.static),
            "PYTHONPATH": str(ROOT),
        }
        if self.redis:
            self.env["REDIS_URL"] = self.redis

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=self.env, check=True)
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "federation.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn s'est arrêté au démarrage : voir {self.log_path}")
            with contextlib.suppress(OSError):
                status, _headers, _body = http_get(self.base, "/sante/")
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn ne répond pas sur /sante/ après 60 s")

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log_file", None):
            self.log_file.close()
        shutil.rmtree(self.static, ignore_errors=True)

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def worker_peak_rss_mb(self) -> dict[int, float]:
        """{pid: peak resident memory (VmHWM) in MB} for each worker."""
        peaks = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
                if match:
                    peaks[pid] = round(int(match.group(1)) / 1024, 1)
        return peaks


def _cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def http_get(base: str, path: str, cookie: str = "") -> tuple[int, list, bytes]:
    parts = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def http_login(base: str, username: str, password: str) -> str:
    """Log in through the login form, as a browser would; returns the Cookie header to send."""
    status, headers, body = http_get(base, "/connexion/")
    csrf_cookie = _cookies(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    parts = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    connection.request(
        "POST",
        "/connexion/",
        body=form,
        headers={
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base}/connexion/",
        },
    )
    response = connection.getresponse()
    response.read()
    cookies = _cookies(response.getheaders())
    connection.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"connexion refusée ({response.status}) pour {username}")
    return f"sessionid={cookies['sessionid']}; csrftoken={csrf_cookie}"
