"""Test settings: fast hasher, in-memory e-mail, plain static storage (no manifest)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .local import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the test's own transaction (the worker is tested on its own).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Board pages current at every reading, as without load (their own tests give them an age).
BOARD_PAGES_MAX_AGE = 0
# The open API's throttles would stop the crawl and Schemathesis tests; their own test sets a low rate.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"}}  # noqa: F405
# Uploaded files written by tests never land in the project's media/ folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="projet-federal-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# On PostgreSQL, the tests' commits (live-server and transactional tests) need not wait for the
# disk: a crashed test database is thrown away anyway.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
