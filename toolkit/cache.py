"""A Redis cache that keeps the site up when Redis is away (README « Déploiement »).

Django's RedisCache raises on every call while Redis is down: each page that reads the
cache (sessions, login throttling, the network's figures) would answer 500. This one logs
the outage once, answers as an empty cache would, and falls back as its FALLBACK says:

- "none" (the default): nothing is kept meanwhile; reads miss, writes are dropped. Right for
  sessions (`cached_db` reads them from the database) and the figures (recomputed);
- "local": a per-process memory cache stands in, for counters that must go on counting
  (login throttling: each worker then counts on its own, as without REDIS_URL).

After a failure Redis is left alone for RETRY_AFTER seconds (no timeout paid on every call),
then tried again; when it answers, the recovery is logged. Writes dropped meanwhile are
reported to ON_RECOVERY (a dotted path to a function of no argument), called once Redis is
back: the figures' cache uses it to make every figure kept before the outage stale.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
READS = {"get": None, "get_many": {}, "has_key": False}
WRITES = {
    "add": False,
    "set": None,
    "touch": False,
    "delete": False,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        self.fallback = params.pop("FALLBACK", "none")
        self.retry_after = float(params.pop("RETRY_AFTER", 5))
        self.on_recovery = params.pop("ON_RECOVERY", None)
        options = dict(params.get("OPTIONS", {}))
        # Fail in a fraction of a second rather than hang a request on a dead address.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.alias = params.get("KEY_PREFIX") or "default"
        self._local = LocMemCache(f"resilient-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_since: float | None = None
        self._next_try = 0.0
        self._lost_writes = False
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _failed(self, error: Exception, *, write: bool) -> None:
        with self._lock:
            self._lost_writes |= write
            self._next_try = time.monotonic() + self.retry_after
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning(
                    "Redis injoignable (%s) : cache « %s » %s jusqu’à son retour.",
                    error,
                    self.alias,
                    "tenu en mémoire locale à ce processus" if self.fallback == "local" else "ignoré (recalcul)",
                )

    def _recovered(self) -> None:
        with self._lock:
            if self._down_since is None:
                return
            lost, seconds = self._lost_writes, time.monotonic() - self._down_since
            self._down_since, self._lost_writes = None, False
        logger.warning("Redis de nouveau joignable : cache « %s » rétabli après %.0f s.", self.alias, seconds)
        if lost and self.on_recovery:
            import_string(self.on_recovery)()

    def _call(self, name: str, args, kwargs, *, write: bool, missing):
        if self._down_since is not None and time.monotonic() < self._next_try:
            return self._instead(name, args, kwargs, missing)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(error, write=write)
            return self._instead(name, args, kwargs, missing)
        self._recovered()
        return result

    def _instead(self, name: str, args, kwargs, missing):
        if self.fallback == "local":
            return getattr(self._local, name)(*args, **kwargs)
        if name == "get":
            return kwargs.get("default", args[1] if len(args) > 1 else None)
        if name == "incr":
            raise ValueError("Key not found (Redis unavailable)")
        # A fresh {} or [] each time: callers fill what get_many returns.
        return type(missing)() if isinstance(missing, dict | list) else missing

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta, version), {}, write=True, missing=None)


def _method(name: str, write: bool, missing):
    def method(self, *args, **kwargs):
        return self._call(name, args, kwargs, write=write, missing=missing)

    method.__name__ = name
    return method


for _name, _missing in READS.items():
    setattr(ResilientRedisCache, _name, _method(_name, False, _missing))
for _name, _missing in WRITES.items():
    setattr(ResilientRedisCache, _name, _method(_name, True, _missing))
