"""The Redis cache that keeps serving when Redis is away (toolkit.cache)."""

import logging
import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from toolkit.cache import ResilientRedisCache

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def cache(location=NOWHERE, **params) -> ResilientRedisCache:
    return ResilientRedisCache(location, {"KEY_PREFIX": "test-resilient", **params})


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.3):
            return True
    except OSError:
        return False


def test_redis_away_reads_miss_writes_are_dropped_and_it_is_logged_once(caplog):
    away = cache()
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        assert away.get("figure") is None
        assert away.get("figure", "défaut") == "défaut"
        away.set("figure", 42)
        assert away.add("figure", 42) is False
        assert away.get_many(["a", "b"]) == {}
        away.delete("figure")
        with pytest.raises(ValueError):
            away.incr("compteur")
    assert away.get("figure") is None  # "none": nothing kept meanwhile
    outage = [r.getMessage() for r in caplog.records if "Redis injoignable" in r.getMessage()]
    assert len(outage) == 1 and "ignoré (recalcul)" in outage[0]


def test_a_local_fallback_keeps_counting_and_says_so(caplog):
    counters = cache(FALLBACK="local", RETRY_AFTER=0)
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        assert counters.add("échecs", 1, 60) is True
        assert counters.incr("échecs") == 2
        assert counters.get("échecs") == 2
    assert any("mémoire locale" in r.getMessage() for r in caplog.records)


def test_a_dead_redis_is_left_alone_between_retries(monkeypatch):
    away = cache(RETRY_AFTER=60)
    tries = []
    original = RedisCache.get

    def counting_get(self, *args, **kwargs):
        tries.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "get", counting_get)
    for _ in range(5):
        away.get("figure")
    assert len(tries) == 1


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_redis_back_is_used_again_and_dropped_writes_trigger_the_recovery(caplog, monkeypatch):
    recovered = []
    monkeypatch.setattr("toolkit.tests.test_cache.RECOVERY", recovered, raising=False)
    shared = cache("redis://127.0.0.1:6379/15", RETRY_AFTER=0, ON_RECOVERY="toolkit.tests.test_cache.note_recovery")
    real_servers = shared._servers
    shared._servers = [NOWHERE]  # Redis « stopped »
    shared.set("figure", 1)  # dropped
    assert shared.is_down
    shared._servers = real_servers  # Redis « back »
    del shared.__dict__["_cache"]  # a new client, as after a reconnection
    with caplog.at_level(logging.WARNING, logger="toolkit.cache"):
        shared.set("figure", 2)
        assert shared.get("figure") == 2
    assert not shared.is_down
    assert any("de nouveau joignable" in r.getMessage() for r in caplog.records)
    assert recovered == [True]
    shared.delete("figure")


RECOVERY: list = []


def note_recovery():
    from toolkit.tests import test_cache

    test_cache.RECOVERY.append(True)


def test_what_a_missing_redis_returns_is_never_shared_between_calls():
    away = cache()
    first = away.get_many(["a"])
    first["a"] = 1  # toolkit.aggregates fills what get_many returns
    assert away.get_many(["a"]) == {}
