"""Locust users doing their week (`make load`, run by bench/load.py; not run on its own).

Three roles, each with an account of its own prepared by bench/load.py (LOAD_ACCOUNTS, a
JSON file): the federal team reads the actions, writes journal entries, adds milestones and
validates the values waiting for it; centre directors open « Mon centre », enter a value of
one of their indicators and transmit it; board members read the dashboard, « ce qui a
changé » and the report. Every value a director transmitted is appended to LOAD_SENT (JSON
lines) so that bench/load.py can check afterwards that each is there, in the right state.

Production cookies are `Secure` and gunicorn is reached over plain HTTP (the TLS proxy left
out), so the cookies are sent anyway, as the proxy would.
"""

import itertools
import json
import os
import random
import re
import string
import threading
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115
SENT_PATH = os.environ["LOAD_SENT"]
_lock = threading.Lock()
_next = {role: itertools.count() for role in ("staff", "directors", "board")}
TO_VALIDATE = re.compile(r"/indicateurs/valeurs/(\d+)/valider/")


def _account(role: str) -> dict:
    accounts = ACCOUNTS[role]
    with _lock:
        return accounts[next(_next[role]) % len(accounts)]


class Person(HttpUser):
    abstract = True
    # A person reads, thinks, types: 5 to 20 s between two pages (a week squeezed into minutes).
    wait_time = between(5, 20)
    role = ""

    def on_start(self):
        # Logged in this morning: bench/load.py opened the session (a hundred logins at once
        # would measure PBKDF2, not a week). The CSRF cookie is the browser's own: Django
        # takes any well-formed one, provided each form sends it back.
        self.account = _account(self.role)
        # Under the server's own domain: a response re-sending the CSRF cookie then replaces it.
        # Set without a domain, the jar kept both, and every form post of the run (all the
        # directors' transmissions) stopped on « multiple cookies with name 'csrftoken' ».
        domain = urlsplit(self.host).hostname
        self.client.cookies.set("sessionid", self.account["session"], domain=domain)
        token = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.client.cookies.set("csrftoken", token, domain=domain)
        # A person opens their first page after thinking, as between two pages: without this,
        # the hundred people Locust starts within ten seconds all clicked in the same seconds,
        # a burst no week has, and the run's first quarter-minute was a queue of 2 to 4 s.
        gevent.sleep(self.wait_time())

    def _insecure(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def read(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
        self._insecure()
        return response

    def write(self, path: str, data: dict, name: str, expect: int = 302):
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken"), **data},
            headers={"Referer": f"{self.host}{path}"},
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code} (attendu {expect})")
        self._insecure()
        return response


class Staff(Person):
    """The federal team: reads and edits the actions, keeps their journal, validates values."""

    role = "staff"
    weight = 20

    @task(3)
    def read_actions(self):
        self.read("/actions/", "actions (liste)")
        self.read(f"/actions/{random.choice(ACCOUNTS['actions'])}/", "action (fiche)")

    @task(3)
    def journal_entry(self):
        action = random.choice(ACCOUNTS["actions"])
        self.write(
            f"/actions/{action}/suivi/",
            {"text": f"Point d'étape de la semaine (charge {random.randint(1, 10**6)})", "new_status": ""},
            "action : entrée de suivi",
        )

    @task(1)
    def milestone(self):
        action = random.choice(ACCOUNTS["actions"])
        self.write(
            f"/actions/{action}/jalons/",
            {"title": f"Jalon de charge {random.randint(1, 10**6)}", "due_date": "2026-12-31"},
            "action : jalon",
        )

    @task(3)
    def validate(self):
        queue = self.read(ACCOUNTS["paths"]["review"], "valeurs à valider")
        waiting = TO_VALIDATE.findall(queue.text or "")
        if waiting:
            pk = random.choice(waiting)
            self.write(f"/indicateurs/valeurs/{pk}/valider/", {}, "valeur : validation")


class Director(Person):
    """A centre's director: « Mon centre », then a value entered and transmitted."""

    role = "directors"
    weight = 60

    def on_start(self):
        super().on_start()
        self.sent = 0

    @task
    def enter_and_transmit(self):
        account = self.account
        self.read(f"/mon-centre/{account['structure']}/", "mon centre")
        indicator = random.choice(account["indicators"])
        path = f"/indicateurs/{indicator}/valeurs/saisir/"
        self.read(path, "valeur : formulaire")
        # A period of its own for each value (monthly, 2000–2019: outside the plan's years).
        period = f"{2000 + (self.sent // 12) % 20}-M{self.sent % 12 + 1:02d}"
        self.sent += 1
        value = str(random.randint(1, 500))
        response = self.write(
            path,
            {"period": period, "structure": account["structure"], "value": value, "submit": "1"},
            "valeur : saisie et transmission",
        )
        if response.status_code == 302:
            line = {"indicator": indicator, "structure": account["structure"], "period": period, "value": value}
            with _lock, open(SENT_PATH, "a", encoding="utf-8") as out:
                out.write(json.dumps(line) + "\n")


class BoardMember(Person):
    """A board member: the dashboard, what changed, the report."""

    role = "board"
    weight = 20

    @task(3)
    def dashboard(self):
        self.read(ACCOUNTS["paths"]["dashboard"], "tableau de bord")

    @task(2)
    def changes(self):
        self.read(ACCOUNTS["paths"]["changes"], "ce qui a changé")

    @task(1)
    def report(self):
        self.read(ACCOUNTS["paths"]["report"], "rapport")
