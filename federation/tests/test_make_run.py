"""`make run` is for trying the app, not debugging it (issue 15, item 5).

The server is started as `make run` starts it: the laptop settings, with the environment the
Makefile's `run` target gives `serve`. A wrong address must get the app's French 404 page, not
Django's English debug page, and the static files must still be served (debug off stops
runserver serving them; WhiteNoise does).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def make_target_environment(target: str) -> dict[str, str]:
    """The variables a Makefile target passes to `serve` (« $(MAKE) serve DJANGO_DEBUG=0 »)."""
    makefile = (BASE_DIR / "Makefile").read_text()
    recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    line = next(line for line in recipe.splitlines() if " serve" in line)
    return dict(re.findall(r"(\w+)=(\S+)", line.split(" serve", 1)[1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local test server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_make_run_debug_off_and_make_dev_debug_on():
    assert make_target_environment("run") == {"DJANGO_DEBUG": "0"}
    assert make_target_environment("dev") == {"DJANGO_DEBUG": "1"}


def test_a_wrong_address_under_make_run_gets_the_french_404_and_static_files_are_served(tmp_path):
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment |= make_target_environment("run")
    environment |= {
        "DJANGO_SETTINGS_MODULE": "federation.settings.local",
        # An anonymous visitor's 404 reads no table: an empty database is enough.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.1)
        status, page = get(f"http://127.0.0.1:{port}/cette-page-n-existe-pas/")
        assert status == 404
        assert "Page introuvable" in page
        assert '<html lang="fr"' in page
        assert "Page not found" not in page
        assert "DEBUG = True" not in page
        status, css = get(f"http://127.0.0.1:{port}/static/css/site.css")
        assert status == 200
        assert css.strip()
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
