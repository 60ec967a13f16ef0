"""Production settings for the benchmarks' gunicorn: only the static root differs (a temp dir).

Everything else (DEBUG off, secret key and hosts from the environment, Redis cache and
sessions when REDIS_URL is set) is federation.settings.production, unchanged.
"""

import os

from federation.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
# Collected without compressing: the benchmarks never fetch static files, and compressing
# them (the API's Swagger UI and Redoc included) took minutes on a busy machine.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
