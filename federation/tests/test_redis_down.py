"""Redis stopped in production: pages still serve, sessions hold, login throttling goes on."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from conftest import production_setting
from indicators.tests.factories import build_plan

pytestmark = pytest.mark.django_db
AWAY = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REDIS_AWAY = {
    "CACHES": {
        "default": {"BACKEND": "toolkit.cache.ResilientRedisCache", "LOCATION": AWAY},
        "ratelimit": {
            "BACKEND": "toolkit.cache.ResilientRedisCache",
            "LOCATION": AWAY,
            "KEY_PREFIX": "ratelimit",
            "FALLBACK": "local",
        },
        "aggregates": {"BACKEND": "toolkit.cache.ResilientRedisCache", "LOCATION": AWAY, "KEY_PREFIX": "aggregates"},
    },
    "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
}


def test_production_puts_every_cache_behind_the_resilient_backend():
    for alias, fallback in (("default", "none"), ("ratelimit", "local"), ("aggregates", "none")):
        setting = f"settings.CACHES['{alias}']"
        assert production_setting(f"{setting}['BACKEND']", REDIS_URL=AWAY) == "toolkit.cache.ResilientRedisCache"
        assert production_setting(f"{setting}.get('FALLBACK', 'none')", REDIS_URL=AWAY) == fallback
    assert production_setting("settings.SESSION_ENGINE", REDIS_URL=AWAY).endswith("cached_db")
    assert production_setting("settings.RATELIMIT_USE_CACHE", REDIS_URL=AWAY) == "ratelimit"


@override_settings(**REDIS_AWAY)
def test_with_redis_away_people_log_in_and_read_the_dashboard(client, staff_user, caplog):
    build_plan(1, staff_user)
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        response = client.post(reverse("login"), {"username": staff_user.username, "password": "motdepasse-test"})
        assert response.status_code == 302
        assert client.get(reverse("board:dashboard")).status_code == 200  # figures recomputed
        assert client.get(reverse("actions:action_list")).status_code == 200  # session from the database
    assert caches["default"].is_down and caches["aggregates"].is_down
    assert any("Redis injoignable" in record.getMessage() for record in caplog.records)


@override_settings(**REDIS_AWAY)
def test_with_redis_away_failed_logins_are_still_counted_and_it_is_logged(client, staff_user, caplog):
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        for _ in range(5):
            response = client.post(reverse("login"), {"username": staff_user.username, "password": "mauvais"})
            assert response.status_code == 200
        refused = client.post(reverse("login"), {"username": staff_user.username, "password": "mauvais"})
    assert refused.status_code == 429
    assert any("mémoire locale" in record.getMessage() for record in caplog.records)
