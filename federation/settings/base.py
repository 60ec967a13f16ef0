"""Settings shared by every environment; the environment decides the rest.

Everything that differs between a laptop and production (secret key, hosts, database)
comes from environment variables read here or in the environment's own module.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.urls import reverse, reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_env(default: str) -> dict:
    # An empty DATABASE_URL= means "unset", not "invalid URL".
    url = os.environ.get("DATABASE_URL") or default
    # Kept connections are checked before each request reuses them: after a database restart
    # the next request reconnects instead of failing (CONN_HEALTH_CHECKS).
    database = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles any query its planner thinks costly: on the history and
        # values queries of the national data it spent 600 ms compiling a 100 ms query.
        # A web page's queries are short; they run faster interpreted.
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded database (one server, no PostgreSQL): two writes at once must wait for
        # each other, not fail with « database is locked ». WAL lets readers go on while one
        # writes; IMMEDIATE takes the write lock when a transaction starts, so that a
        # transaction never has to upgrade a read lock (SQLite fails that at once, whatever
        # the timeout); the busy timeout is how long a write waits for the lock.
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            }
        )
    return database


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "django_htmx",
    "django_filters",
    "csp",
    "django_ratelimit",
    # The open API (issue 17) and its OpenAPI schema; Swagger UI from the sidecar's static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ground to roof (README « Architecture »): each app imports only the ones above it here.
    "network",
    "notifications",
    "axes",
    "actions",
    "indicators",
    "board",
    "centres",
    "publication",
    "federation",
    # Background tasks (README « Tâches de fond »): Django's tasks framework, stored in the
    # database and run by `manage.py db_worker`. After `federation`, whose db_worker (the
    # same worker, that first puts back the tasks of a worker that died) takes precedence.
    "django_tasks",
    "django_tasks_db",
    # Django's form widget templates, found by TEMPLATES (FORM_RENDERER below) after the
    # project's own overrides in templates/django/forms/.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "federation.middleware.RequestIdMiddleware",
    "federation.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "federation.middleware.PrivatePagesMiddleware",
    "federation.middleware.OwnWritesMiddleware",
    # After authentication, so that a 403 or a 429 is recorded with the person who got it.
    "federation.security.SecurityEventMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "federation.urls"
# Every history table indexed on (history_date, object id) rather than on the date alone: the
# audit reads each table's newest rows in that order (federation.audit.selectors.history_rows).
SIMPLE_HISTORY_DATE_INDEX = "composite"

# Form widgets rendered through TEMPLATES, so that templates/django/forms/widgets/select*.html
# say the empty choice in words instead of « --------- » (issue 15).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Where the page of a model lives when an app above the model's own serves it (README
# « Architecture »): the plan's pages show its actions, so `actions` serves them; the network's
# pages show each structure's actions and reporting, so `centres` does. The site, which knows
# every app, says so here; the models stay ignorant of the apps above them. Models whose page
# their own app serves (Action, Indicator) define `get_absolute_url` themselves.
ABSOLUTE_URL_OVERRIDES = {
    "network.territory": lambda territory: reverse("centres:territory_detail", args=[territory.pk]),
    "network.structure": lambda structure: reverse("centres:structure_detail", args=[structure.pk]),
    "axes.plan": lambda plan: reverse("actions:plan_detail", args=[plan.pk]),
    "axes.chapter": lambda chapter: reverse("actions:plan_detail", args=[chapter.plan_id]) + f"#chapitre-{chapter.pk}",
    "axes.axis": lambda axis: reverse("actions:axis_detail", args=[axis.pk, axis.slug]),
    "axes.objective": lambda objective: reverse("actions:objective_detail", args=[objective.pk]),
}
WSGI_APPLICATION = "federation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # « 1er décembre 2026 » in every template without {% load %} (toolkit/french.py).
            "builtins": ["toolkit.french"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "federation.context_processors.roles",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("login")
LOGIN_REDIRECT_URL = reverse_lazy("actions:plan_current")
LOGOUT_REDIRECT_URL = reverse_lazy("login")
SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day: board members share computers
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
INVITATION_VALIDITY_DAYS = int(os.environ.get("DJANGO_INVITATION_VALIDITY_DAYS", "7"))  # network.Invitation
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "projet-federal@localhost")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads: no half-written file left when the disk is full (toolkit.storage).
    "default": {"BACKEND": "toolkit.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"
# Uploaded plan documents are read in memory; a plan document is a few dozen kB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# `seed_demo` (accounts with the password "demo") runs only where this is True: never in production.
DEMO_DATA_ALLOWED = False

# The federation's own plan document, kept in the project (a fresh clone has no ../shared).
SEED_PLAN_DOCUMENT = BASE_DIR / "axes" / "fixtures" / "projet_federal.txt"

# Indicators: « en bonne voie » when the latest validated value is within this fraction of
# the period's target (the right way); proof files attached to values are at most this big.
INDICATORS_ON_TRACK_TOLERANCE = os.environ.get("INDICATORS_ON_TRACK_TOLERANCE", "0.15")
INDICATORS_EVIDENCE_MAX_SIZE = 5 * 1024 * 1024

# Security headers that apply everywhere (production adds HTTPS-only settings).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws some icons as data: SVG in its stylesheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (federation.accounts): failed attempts are counted per account and
# per address in the default cache. A single-process laptop can count in local memory;
# production counts in Redis (REDIS_URL) so that every worker sees the same numbers.
# "aggregates" keeps the network-wide figures (toolkit/aggregates.py) until the data changes:
# in local memory, which is right for one process; production uses Redis or nothing.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "federation"},
    # Figures are kept one indicator at a time, with a generation each: Django's default of 300
    # entries would drop them as fast as they are stored at national scale.
    "aggregates": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "aggregates",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Failed logins: apart from "default" (sessions), so that production can keep counting
    # them in memory while Redis is away without keeping sessions there (toolkit.cache).
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
RATELIMIT_USE_CACHE = "ratelimit"
# The board's dashboard, report and « ce qui a changé » are whole pages that any write makes
# stale: under a write a second each reading would recompute them (a quarter to half a second of
# CPU at national scale). They are served as last computed for this many seconds at most, then
# the task worker computes them again; they say when they were computed, and whoever has just
# written always sees their write (board.pages).
BOARD_PAGES_MAX_AGE = 30
# Background tasks: kept in the database and run by `manage.py db_worker` (README « Tâches
# de fond »). A task a dead worker left « running » is put back in the queue by the next
# worker that starts (or by `manage.py requeue_abandoned_tasks`), at most TASKS_MAX_ATTEMPTS
# times, then marked failed: never silently lost.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASKS_MAX_ATTEMPTS = 3
# A task running for longer than this on a worker this machine cannot see is taken as abandoned.
TASKS_ABANDONED_AFTER = 60 * 30

SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "federation.accounts.throttled"
# How many reverse proxies stand in front of gunicorn, each appending to X-Forwarded-For the
# address it got the request from: the client's address is the N-th from the right
# (federation.accounts.client_address). 0: REMOTE_ADDR is the client (no proxy).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = "federation.accounts.client_address"

# The open API (publication/api, README « Espace public et API ouverte »): read-only, JSON only
# (the browsable API's inline scripts would break the Content-Security-Policy), anonymous or a
# partner's token, throttled per address and per token in the default cache (Redis in production).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["publication.api.auth.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["publication.api.auth.ReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "publication.api.auth.AnonymousRateThrottle",
        "publication.api.auth.PartnerRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANONYMOUS_RATE", "120/minute"),
        "partner": os.environ.get("API_PARTNER_RATE", "1200/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
    # The client's address behind the reverse proxies, as for the login (TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API ouverte du projet fédéral",
    "DESCRIPTION": (
        "Lecture seule. Sans jeton : ce que l’équipe fédérale a publié. Avec le jeton d’un partenaire "
        "(en-tête « Authorization: Bearer JETON ») : tout le projet. Jamais une valeur non validée, "
        "un commentaire ni une donnée personnelle. Données sous Licence Ouverte 2.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "publication.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "federation.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        # Security events, one JSON object a line (federation.security, README « Sécurité »).
        "json": {"()": "federation.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
        "security": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "federation.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
