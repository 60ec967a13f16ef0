"""Production settings for the benchmarks' gunicorn: only the static root differs (a temp dir).

Everything else (DEBUG off, secret key and hosts from the environment, Redis cache and
sessions when REDIS_URL is set) is federation.settings.production, unchanged.
"""

import os

from federation.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
