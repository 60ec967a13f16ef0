"""Production settings: everything that matters comes from the environment.

Refuses to start without DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_FROM_EMAIL, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"La variable d’environnement {name} est obligatoire en production (voir la section Déploiement du README)."
        )
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    required("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Uploaded evidence: a directory every application server mounts (they keep nothing else).
if os.environ.get("DJANGO_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["DJANGO_MEDIA_ROOT"]

# Each gunicorn worker keeps its database connection for a minute rather than opening one per
# request: a new PostgreSQL connection forks a server process and warms its caches, CPU that
# top never shows (the process is gone before it samples) and that the load test paid on every
# request. Checked before each reuse (CONN_HEALTH_CHECKS), so a restarted database costs the
# requests in flight only (make faults). DJANGO_CONN_MAX_AGE=0 opens one per request again.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))  # noqa: F405

# Behind a reverse proxy that terminates TLS (one by default: README « Déploiement »).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1"))
# The open API's throttles read the client's address the same way as the login's.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXY_COUNT}  # noqa: F405
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# The load balancer probes gunicorn directly, over plain HTTP: it must see the health
# check's 200 or 503, not a redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

if os.environ.get("REDIS_URL"):
    # Shared by every worker: sessions, login throttling counters, cached aggregates. Redis
    # stopped never stops the site (toolkit.cache): sessions are read from the database, the
    # figures recomputed, and failed logins counted by each worker on its own meanwhile.
    CACHES = {
        "default": {
            "BACKEND": "toolkit.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        "ratelimit": {
            "BACKEND": "toolkit.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "ratelimit",
            "FALLBACK": "local",
        },
        "aggregates": {
            "BACKEND": "toolkit.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "aggregates",
            "ON_RECOVERY": "toolkit.aggregates.forget_all",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without REDIS_URL, each worker counts failed logins on its own (base settings): the
    # limits still apply, multiplied by the number of workers. The README says to set REDIS_URL.
    # Workers that share no cache must not keep network-wide figures: one worker's write
    # could not make another's copy stale. They compute them on every request instead.
    CACHES["aggregates"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}  # noqa: F405

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
