"""`make faults`: each fault of README « Pannes » reproduced against the production setup.

    .venv/bin/python bench/faults.py [--only redis,postgres,worker,disk]

gunicorn (2 workers, production settings) on 127.0.0.1:8164, PostgreSQL (its own database
`faults`, the demo plan seeded once), a private Redis on 127.0.0.1:6391 (never the machine's
own), the task worker (`manage.py db_worker`), uploads on a 1 MB tmpfs. For each fault it
asserts what people would see and prints it; the exit status is 0 only if every check holds:

- Redis stopped: pages, logins and writes still served (sessions from the database, figures
  recomputed), failed logins still throttled (each worker counting on its own) and the logs
  say so; Redis back: figures cached there again;
- PostgreSQL restarted under traffic (`pg_ctlcluster … restart`, which briefly cuts every
  other user of the cluster): requests caught in it get the French error page, the next ones
  succeed with the same gunicorn, and every journal entry is whole or absent;
- the worker killed (SIGKILL) while sending the reminders: the next worker takes the task
  back, every e-mail leaves once at most, the interrupted one is reported, none is lost;
- the disk full during an upload: a French message on the form, no value, no partial file.

Everything it starts is stopped on exit, Ctrl+C included; the machine's Redis is not touched.
Needs root for the tmpfs (else the disk check says it cannot run) and pg_ctlcluster.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, RAW, ROOT, Gunicorn, ensure_postgres_database, log, setup_django  # noqa: E402

PORT = 8164
REDIS_PORT = 6391
DATABASE = "postgres://postgres@127.0.0.1:5432/faults"
FRENCH_ERROR = "Une erreur est survenue"
DISK_FULL = "Le serveur n’a plus de place pour enregistrer ce fichier"


class Checks:
    def __init__(self):
        self.rows: list[tuple[str, str, bool, str]] = []

    def check(self, fault: str, what: str, ok: bool, detail: str = "") -> bool:
        self.rows.append((fault, what, bool(ok), detail))
        log(f"  [{'OK' if ok else 'ÉCHEC'}] {what}{f' — {detail}' if detail else ''}")
        return ok

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if not row[2])


class Browser:
    """A person's browser: a session cookie, the CSRF token, plain HTTP to gunicorn.

    Production cookies are `Secure`; gunicorn is reached over plain HTTP here (the TLS proxy
    is left out), so the cookies are sent anyway, as the proxy would.
    """

    def __init__(self, base: str):
        self.base, self.session = base, requests.Session()

    def _insecure(self):
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.session.get(self.base + path, allow_redirects=False, timeout=60, **kwargs)
        self._insecure()
        return response

    def post(self, path: str, data: dict, files=None) -> requests.Response:
        token = self.session.cookies.get("csrftoken")
        if token is None:
            self.get("/connexion/")
            token = self.session.cookies.get("csrftoken")
        response = self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=60,
        )
        self._insecure()
        return response

    def login(self, username: str, password: str) -> requests.Response:
        self.get("/connexion/")
        return self.post("/connexion/", {"username": username, "password": password})


class Redis:
    """A private redis-server on REDIS_PORT, without persistence."""

    def __init__(self):
        self.process: subprocess.Popen | None = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(50):
            with contextlib.suppress(redis.exceptions.ConnectionError):
                redis.Redis(port=REDIS_PORT).ping()
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server ne répond pas sur le port {REDIS_PORT}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def keys(self, pattern: str) -> int:
        import redis

        return sum(1 for _ in redis.Redis(port=REDIS_PORT).scan_iter(pattern))


class Worker:
    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path, self.process = env, log_path, None

    def start(self):
        self.log_file = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log_file", None):
            self.log_file.close()


@contextlib.contextmanager
def small_disk(path: Path):
    """A 1 MB tmpfs at `path`, or None if this machine cannot mount one."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True)
    try:
        yield path if mounted.returncode == 0 else None
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", str(path)], check=False)


def gunicorn_log(server: Gunicorn) -> str:
    return server.log_path.read_text(errors="replace")


def migrate_and_seed() -> None:
    from django.core.management import call_command

    from axes.models import Plan

    call_command("migrate", verbosity=0, interactive=False)
    if not Plan.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def prepare(users: dict) -> dict:
    """The demo plan (once), fresh reminders, six late centres with directors, a test indicator."""
    from django_tasks_db.models import DBTaskResult

    from actions.tests.factories import ActionFactory
    from centres.models import ReportingReminder
    from indicators.tests.factories import IndicatorFactory
    from network.tests.factories import StructureFactory, director_for

    ReportingReminder.objects.all().delete()
    DBTaskResult.objects.all().delete()
    from network.tests.factories import TerritoryFactory, UserFactory

    # The factories count from 0 in each process: start them where no earlier run went.
    for factory_class in (ActionFactory, IndicatorFactory, StructureFactory, TerritoryFactory, UserFactory):
        factory_class.reset_sequence(int(time.time()) % 10**6 * 10)
    stamp = time.strftime("%H%M%S")
    action = ActionFactory(title=f"Action des pannes {stamp}")
    indicator = IndicatorFactory(name=f"Familles accueillies (pannes {stamp})", actions=[action])
    centres = [StructureFactory(name=f"Centre en panne {stamp}-{n}") for n in range(6)]
    action.structures.add(*centres)
    for n, centre in enumerate(centres):
        director_for(centre, email=f"direction{n}-{stamp}@pannes.example")
    return {"action": action, "indicator": indicator}


def fault_redis(checks: Checks, server: Gunicorn, redis_server: Redis, users: dict, data: dict) -> None:
    log("\n1. Redis arrêté")
    fault = "redis"
    staff = Browser(server.base)
    staff.login(users["staff"].username, users["password"])
    for _ in range(2):
        staff.get("/indicateurs/tableau-de-bord/")
    checks.check(fault, "Redis en marche : chiffres en cache", redis_server.keys("aggregates:*") > 0)
    redis_server.stop()
    log("  redis-server arrêté")
    pages = {path: staff.get(path).status_code for path in ("/indicateurs/tableau-de-bord/", "/actions/", "/")}
    checks.check(fault, "pages servies sans Redis", all(code in (200, 302) for code in pages.values()), str(pages))
    entry = staff.post(
        f"/actions/{data['action'].pk}/suivi/",
        {"text": "Écrit pendant la panne de Redis", "new_status": "", "new_progress": ""},
    )
    checks.check(
        fault, "écriture acceptée sans Redis (entrée de suivi)", entry.status_code == 302, f"HTTP {entry.status_code}"
    )
    other = Browser(server.base)
    login = other.login(users["admin"].username, users["password"])
    after = other.get("/actions/")
    checks.check(
        fault,
        "connexion sans Redis (session en base)",
        login.status_code == 302 and after.status_code == 200,
        f"connexion HTTP {login.status_code}, page suivante HTTP {after.status_code}",
    )
    codes = []
    intruder = Browser(server.base)
    for _ in range(15):
        codes.append(
            intruder.post("/connexion/", {"username": users["staff"].username, "password": "mauvais"}).status_code
        )
        if codes[-1] == 429:
            break
    checks.check(
        fault,
        "échecs de connexion encore limités sans Redis",
        429 in codes,
        f"refus (429) après {len(codes)} échecs (chaque worker compte de son côté)",
    )
    text = gunicorn_log(server)
    checks.check(fault, "le journal dit que Redis manque", "Redis injoignable" in text)
    checks.check(fault, "le journal dit que les échecs sont comptés localement", "mémoire locale" in text)
    redis_server.start()
    log("  redis-server relancé")
    time.sleep(6)  # toolkit.cache leaves a dead Redis alone 5 s between tries
    for _ in range(3):
        staff.get("/indicateurs/tableau-de-bord/")
        staff.get("/actions/")
    checks.check(fault, "Redis revenu : chiffres de nouveau en cache", redis_server.keys("aggregates:*") > 0)
    checks.check(fault, "le journal dit que Redis est revenu", "de nouveau joignable" in gunicorn_log(server))


def fault_postgres(checks: Checks, server: Gunicorn, users: dict, data: dict) -> None:
    from django.db import connection

    from actions.models import Update

    log("\n2. PostgreSQL redémarré sous la charge")
    fault = "postgres"
    marker = f"panne-PG {time.strftime('%H%M%S')}"
    master = server.process.pid
    answers: list[tuple] = []
    written: set[str] = set()
    stop = threading.Event()

    ready = threading.Barrier(7)

    def traffic(n: int):
        browser = Browser(server.base)
        browser.login(users["staff"].username, users["password"])
        ready.wait()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if i % 2:
                    text = f"{marker} {n}-{i} : une entrée de suivi entière"
                    written.add(text)
                    response = browser.post(
                        f"/actions/{data['action'].pk}/suivi/", {"text": text, "new_status": "", "new_progress": ""}
                    )
                    # A 302 to the login page is a lost session, not a write accepted.
                    lost = "/connexion/" in response.headers.get("Location", "")
                    answers.append(("écriture", 401 if lost else response.status_code, response.text, text))
                else:
                    response = browser.get("/indicateurs/tableau-de-bord/" if i % 4 else "/actions/")
                    answers.append(("lecture", response.status_code, response.text))
            except requests.RequestException as error:
                answers.append(("erreur réseau", 0, str(error)))

    threads = [threading.Thread(target=traffic, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    reader = Browser(server.base)
    reader.login(users["staff"].username, users["password"])
    ready.wait()  # everyone logged in, before the restart
    time.sleep(3)
    started = time.monotonic()
    restart = subprocess.Popen(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Meanwhile, one more person reads without pausing: some of it lands in the restart.
    while restart.poll() is None:
        try:
            response = reader.get("/actions/")
            lost = "/connexion/" in response.headers.get("Location", "")
            answers.append(("lecture", 401 if lost else response.status_code, response.text))
        except requests.RequestException as error:
            answers.append(("erreur réseau", 0, str(error)))
    log(f"  pg_ctlcluster restart : code {restart.returncode} en {time.monotonic() - started:.1f} s")
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join()
    failed = [(answer[0], answer[1], answer[2]) for answer in answers if answer[1] not in (200, 302)]
    french = [1 for _kind, code, body in failed if code in (500, 503) and FRENCH_ERROR in body]
    checks.check(
        fault,
        "des requêtes ont bien été prises dans le redémarrage",
        bool(failed),
        f"{len(answers)} requêtes, {len(failed)} en erreur",
    )
    checks.check(
        fault,
        "requêtes prises dans le redémarrage : page d'erreur française",
        len(french) == len(failed),
        f"{len(french)} sur {len(failed)} avec la page française"
        + (f" ; autres : {sorted({(k, c) for k, c, _ in failed})}" if len(french) != len(failed) else ""),
    )
    browser = Browser(server.base)
    browser.login(users["staff"].username, users["password"])
    after = [browser.get(path).status_code for path in ("/indicateurs/tableau-de-bord/", "/actions/", "/sante/")]
    checks.check(
        fault,
        "requêtes suivantes servies par le même gunicorn",
        after == [200, 200, 200] and server.process.poll() is None and server.process.pid == master,
        f"HTTP {after}, maître gunicorn {master} toujours là",
    )
    connection.close()
    accepted = {answer[3] for answer in answers if answer[0] == "écriture" and answer[1] == 302}
    stored = list(Update.objects.filter(text__startswith=marker).values_list("text", flat=True))
    checks.check(
        fault,
        "rien d'écrit à moitié : chaque entrée acceptée est en base, entière, une fois",
        accepted <= set(stored) and set(stored) <= written and len(stored) == len(set(stored)),
        f"{len(accepted)} entrées acceptées (302), {len(stored)} en base, toutes entières",
    )


def fault_worker(checks: Checks, worker: Worker, mail_file: Path) -> None:
    from django.db import connection
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from centres.models import ReportingReminder
    from centres.tasks import send_reporting_reminders

    log("\n3. Worker tué pendant l'envoi des relances")
    fault = "worker"
    connection.close()
    mail_file.write_text("")
    result = send_reporting_reminders.enqueue()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(mail_file.read_text().splitlines()) < 2:
        time.sleep(0.05)
    worker.kill()
    sent_before = len(mail_file.read_text().splitlines())
    task = DBTaskResult.objects.get(pk=result.id)
    log(f"  worker tué (SIGKILL) après {sent_before} courriels ; tâche {task.status}")
    checks.check(fault, "la tâche reste visible « en cours » après la mort du worker", task.status == "RUNNING")
    worker.start()
    log("  nouveau worker lancé")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        task.refresh_from_db()
        if task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            break
        time.sleep(0.3)
    checks.check(
        fault,
        "le nouveau worker reprend la tâche et la termine",
        task.status == TaskResultStatus.SUCCESSFUL,
        f"{task.status}, essais : {len(task.worker_ids)}",
    )
    mails = [json.loads(line) for line in mail_file.read_text().splitlines()]
    recipients = [tuple(m["to"]) for m in mails]
    twice = {r for r in recipients if recipients.count(r) > 1}
    checks.check(
        fault, "aucun courriel envoyé deux fois", not twice, f"{len(mails)} courriels, doublons : {sorted(twice)}"
    )
    reminders = ReportingReminder.objects.all()
    sent = reminders.filter(delivery=ReportingReminder.Delivery.SENT).count()
    uncertain = reminders.filter(delivery=ReportingReminder.Delivery.SENDING).count()
    reported = (task.return_value or {}).get("uncertain", [])
    checks.check(
        fault,
        "aucune relance perdue : envoyées + interrompue signalée = courriels partis",
        sent + uncertain == len(mails) and uncertain == len(reported) == 1,
        f"{sent} marquées envoyées, {uncertain} interrompue(s) signalée(s) : {reported}",
    )


def fault_disk(checks: Checks, server: Gunicorn, users: dict, data: dict, media: Path | None) -> None:
    from django.db import connection

    from indicators.models import Measurement

    log("\n4. Disque plein pendant un dépôt de justificatif")
    fault = "disk"
    if media is None:
        checks.check(fault, "tmpfs de 1 Mo monté pour les fichiers déposés", False, "mount impossible ici (root ?)")
        return
    filler = media / "remplissage.bin"
    filler.write_bytes(b"\0" * (1024 - 200) * 1024)  # 200 kB left of the 1 MB
    staff = Browser(server.base)
    staff.login(users["staff"].username, users["password"])
    path = f"/indicateurs/{data['indicator'].pk}/valeurs/saisir/"
    pdf = b"%PDF-1.4\n" + b"0" * (600 * 1024)
    response = staff.post(
        path,
        {"period": "2023", "value": "12", "comment": "Bilan déposé sur un disque plein"},
        files={"evidence": ("bilan.pdf", pdf, "application/pdf")},
    )
    connection.close()
    kept = Measurement.objects.filter(indicator=data["indicator"], period="2023").exists()
    leftovers = sorted(p.name for p in media.rglob("*") if p.is_file() and p != filler)
    checks.check(
        fault,
        "message français sur le formulaire",
        response.status_code == 200
        and DISK_FULL in response.text
        and "Bilan déposé sur un disque plein" in response.text,
        f"HTTP {response.status_code}",
    )
    checks.check(
        fault,
        "rien d'écrit à moitié (ni valeur, ni fichier partiel)",
        not kept and not leftovers,
        f"fichiers : {leftovers}",
    )
    filler.unlink()
    response = staff.post(
        path,
        {"period": "2023", "value": "12"},
        files={"evidence": ("bilan.pdf", pdf, "application/pdf")},
    )
    checks.check(
        fault,
        "de la place rendue : le même dépôt passe",
        response.status_code == 302 and Measurement.objects.filter(indicator=data["indicator"], period="2023").exists(),
        f"HTTP {response.status_code}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="redis,postgres,worker,disk")
    args = parser.parse_args()
    only = set(args.only.split(","))

    ensure_postgres_database(DATABASE)
    RAW.mkdir(exist_ok=True)
    media_dir = Path(tempfile.mkdtemp(prefix="faults-media-"))
    mail_file = RAW / "faults-mails.jsonl"
    os.environ.update(
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        DJANGO_MEDIA_ROOT=str(media_dir),
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_EMAIL_BACKEND="bench.faults_mail.SlowFileBackend",
        FAULTS_MAIL_FILE=str(mail_file),
        FAULTS_MAIL_DELAY="0.5",
    )
    setup_django(DATABASE)
    from bench.common import throwaway_users

    migrate_and_seed()

    log(f"Base : {DATABASE} ; Redis privé : port {REDIS_PORT} ; gunicorn : port {PORT}")
    checks = Checks()
    redis_server = Redis()
    server = Gunicorn(DATABASE, workers=2, log_name="faults-gunicorn")
    server.port = PORT
    worker = Worker(server.env, RAW / "faults-worker.log")
    (RAW / "faults-worker.log").write_text("")

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        with throwaway_users() as users, small_disk(media_dir) as media:
            data = prepare(users)
            redis_server.start()
            with server:
                worker.start()
                log(f"gunicorn (2 workers), Redis, worker en marche ; fichiers déposés sur {media or media_dir}")
                if "redis" in only:
                    fault_redis(checks, server, redis_server, users, data)
                if "postgres" in only:
                    fault_postgres(checks, server, users, data)
                if "worker" in only:
                    fault_worker(checks, worker, mail_file)
                if "disk" in only:
                    fault_disk(checks, server, users, data, media)
                worker.stop()
    finally:
        worker.stop()
        redis_server.stop()
        with contextlib.suppress(OSError):
            media_dir.rmdir()
    log(f"\n{len(checks.rows) - checks.failed}/{len(checks.rows)} vérifications tenues.")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report = [{"panne": f, "vérification": w, "tenue": ok, "détail": d} for f, w, ok, d in checks.rows]
    (RAW / f"faults-{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
