"""Laptop settings: `make run` and `make dev` use these. Never used in production.

Debug is off unless asked for (`make dev`, DJANGO_DEBUG=1): someone trying the app gets its own
French error pages, never Django's English debug page. Static files are served by WhiteNoise from
the finders either way, so nothing needs collecting.
"""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
DEMO_DATA_ALLOWED = True
# Demo data and the national generator: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# No collectstatic needed on a laptop: whitenoise serves from the finders, debug on or off.
STORAGES = {
    "default": {"BACKEND": "toolkit.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing is collected on a laptop
