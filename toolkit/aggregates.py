"""Cached aggregates: figures that cost a scan of large tables, kept until the data changes.

The board's dashboard, the report and the plan's pages show figures computed over the whole
network (every validated value of every indicator, the progress of every action). At national
scale they take a few hundred milliseconds of SQL, and they change only when someone writes.
`cached(name, *parts, compute=..., depends_on=apps)` keeps such a figure in the "aggregates"
cache under a key that includes the current *generation* of each app it is computed from: a
number bumped after every committed write to a model of that app (save, delete and
many-to-many signals; the bulk paths that bypass signals call `data_changed()` themselves),
unless the written object says it cannot change a figure (`changes_aggregates`: a value that
is not and was not validated).
A bump makes every older key unreachable at once; they expire by themselves after TIMEOUT.

The generations live in the same cache, so that every worker sharing Redis sees the same one.
Production settings give the "aggregates" cache Redis when REDIS_URL is set and a dummy cache
otherwise: workers that do not share a cache must not keep figures another worker may have
changed. A reader takes the generation before it computes, so a figure computed while a write
commits is stored under the old generation and never served after the bump.
"""

import functools
import time

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 60 * 60
# Writes to these apps' models change what the cached figures are computed from. Each app has
# its own generation: a journal entry (actions) leaves the indicators' network values cached.
WATCHED_APPS = ("network", "axes", "actions", "indicators", "board")


def _cache():
    return caches["aggregates"]


def _generation_key(app: str) -> str:
    return f"aggregates:generation:{app}"


def generations(apps) -> list[int]:
    """The current generation of each of `apps`, in one cache read."""
    cache = _cache()
    keys = [_generation_key(app) for app in apps]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # A new or emptied cache starts from the clock, so it never reuses a generation
            # whose figures another process may still hold.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, 0)
    return [found[key] for key in keys]


def cached(name: str, *parts, compute, depends_on=WATCHED_APPS):
    """`compute()`, or its value kept since the last write to a model of the `depends_on` apps."""
    key = ":".join(["aggregates", name, *map(str, generations(depends_on)), *map(str, parts)])
    cache = _cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def forget_all() -> None:
    """Make every kept figure stale: the aggregates cache calls it when Redis comes back after
    dropping writes (toolkit.cache), since a generation bump may be among them."""
    for app in WATCHED_APPS:
        _bump(app)


def _bump(app: str) -> None:
    cache = _cache()
    try:
        cache.incr(_generation_key(app))
    except ValueError:  # no generation yet (new or emptied cache)
        cache.set(_generation_key(app), time.time_ns(), timeout=None)


# One callable per app, so that a transaction registers each app's bump at commit only once.
_BUMPS = {app: functools.partial(_bump, app) for app in WATCHED_APPS}


def data_changed(apps=WATCHED_APPS) -> None:
    """Make the figures computed from `apps` stale, now and again once the current transaction commits.

    The bump at once serves the writer's own later reads (and every test, whose transaction
    never commits); the bump at commit makes stale what other requests computed meanwhile
    from the data as it was before the commit.
    """
    connection = transaction.get_connection()
    for app in apps:
        bump = _BUMPS[app]
        bump()
        if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump)


def _on_write(sender, **kwargs) -> None:
    app = sender._meta.app_label
    if not kwargs.get("action", "post_").startswith("post_") or app not in _BUMPS:
        return
    # A model may say that a write cannot change any kept figure (indicators.Measurement: a value
    # that is not and was not validated); its history row says the same as the row it records.
    instance = kwargs.get("instance")
    recorded = getattr(instance, "instance", None) if hasattr(sender, "history_object") else instance
    if not getattr(recorded, "changes_aggregates", True):
        return
    data_changed([app])


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"aggregates-{signal!r}")
