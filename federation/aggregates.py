"""Cached aggregates: figures that cost a scan of large tables, kept until the data changes.

The board's dashboard, the report and the plan's pages show figures computed over the whole
network (every validated value of every indicator, the progress of every action). At national
scale they take a few hundred milliseconds of SQL, and they change only when someone writes.
`cached(name, *parts, compute=...)` keeps such a figure in the "aggregates" cache under a key
that includes the current *generation*: a number bumped after every committed write to a
model of the plan, the actions, the indicators or the network (save, delete and many-to-many
signals; the bulk paths that bypass signals call `data_changed()` themselves). A bump makes
every older key unreachable at once; they expire by themselves after TIMEOUT.

The generation lives in the same cache, so that every worker sharing Redis sees the same one.
Production settings give the "aggregates" cache Redis when REDIS_URL is set and a dummy cache
otherwise: workers that do not share a cache must not keep figures another worker may have
changed. A reader takes the generation before it computes, so a figure computed while a write
commits is stored under the old generation and never served after the bump.
"""

import time

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "aggregates:generation"
TIMEOUT = 60 * 60
# Writes to these apps' models change what the cached figures are computed from.
WATCHED_APPS = {"axes", "actions", "indicators", "federation"}


def _cache():
    return caches["aggregates"]


def generation() -> int:
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A new or emptied cache starts from the clock, so it never reuses a generation
        # whose figures another process may still hold.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def cached(name: str, *parts, compute):
    """`compute()`, or its value kept since the last write to the data."""
    key = ":".join(["aggregates", name, str(generation()), *map(str, parts)])
    cache = _cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _bump() -> None:
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (new or emptied cache)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def data_changed() -> None:
    """Make every cached figure stale, now and again once the current transaction commits.

    The bump at once serves the writer's own later reads (and every test, whose transaction
    never commits); the bump at commit makes stale what other requests computed meanwhile
    from the data as it was before the commit.
    """
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(entry[1] is _bump for entry in connection.run_on_commit):
        transaction.on_commit(_bump)


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_") and sender._meta.app_label in WATCHED_APPS:
        data_changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"aggregates-{signal!r}")
