"""Cached aggregates: figures that cost a scan of large tables, kept until the data changes.

The board's dashboard, the report and the plan's pages show figures computed over the whole
network (every validated value of every indicator, the progress of every action). At national
scale they take a few hundred milliseconds of SQL, and they change only when someone writes.
`cached(name, *parts, compute=..., depends_on=labels)` keeps such a figure in the "aggregates"
cache under a key made from the current *generation* of each thing it is computed from: a
number bumped after every committed write.

Generations come at three depths, so that a write makes stale only what it can change:
- a model ("actions.update"), bumped by every save, delete or many-to-many change of one of its
  rows (signals; a history row counts as a write to the model it records), unless the written
  object says it cannot change a figure (`changes_aggregates`: a value that is not and was not
  validated);
- an app ("actions"), which stands for all its models: a figure that depends on "actions" is
  recomputed after a write to any of them, and the bulk paths that bypass signals bump the app
  (`data_changed(["indicators"])`), which makes every figure of its models stale;
- a row's scope ("indicators.indicator#17"), for figures kept one row at a time
  (`cached_each`): a model whose rows say `aggregates_scope` (a value, a target: their
  indicator) bumps that scope too, so that validating one value recomputes one indicator's
  figures, not the two hundred others'.
A bump makes every older key unreachable at once; they expire by themselves after TIMEOUT.

The generations live in the same cache, so that every worker sharing Redis sees the same one.
Production settings give the "aggregates" cache Redis when REDIS_URL is set and a dummy cache
otherwise: workers that do not share a cache must not keep figures another worker may have
changed. A reader takes the generations before it computes, so a figure computed while a write
commits is stored under the old generation and never served after the bump.
"""

import functools
import hashlib
import time
from collections.abc import Callable, Hashable, Iterable, Mapping

from django.apps import apps as django_apps
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TIMEOUT = 60 * 60
# For the large values a new generation makes unreachable (the board pages' data, a megabyte
# each): kept an hour, every stale copy stayed in Redis until then (740 MB after a day's worth of
# writes squeezed into a load test). Five minutes is ten times the age of the board's pages.
LARGE_TIMEOUT = 5 * 60
# Writes to these apps' models change what the cached figures are computed from.
WATCHED_APPS = ("network", "axes", "actions", "indicators", "board")


def _cache():
    return caches["aggregates"]


def _generation_key(label: str) -> str:
    return f"aggregates:generation:{label}"


def model_label(model) -> str:
    """ "app.model" of `model`; a history model (django-simple-history) stands for the model it records."""
    return getattr(model, "instance_type", model)._meta.label_lower


@functools.cache
def models_of(app: str) -> tuple[str, ...]:
    """The label of each model of `app`, many-to-many tables included."""
    models = django_apps.get_app_config(app).get_models(include_auto_created=True)
    return tuple(sorted({model_label(model) for model in models}))


def _expanded(labels: Iterable[str]) -> list[str]:
    """Every generation a figure computed from `labels` must read: an app's own and each of its
    models'; a model's own and its app's (a bulk write bumps the app)."""
    found: dict[str, None] = {}
    for label in labels:
        app, _, model = label.partition(".")
        found[app] = None
        found.update(dict.fromkeys([label] if model else models_of(app)))
    return sorted(found)


def generations(labels) -> list[int]:
    """The current generation of each of `labels` (apps, models or scopes), in one cache read."""
    cache = _cache()
    keys = [_generation_key(label) for label in labels]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # A new or emptied cache starts from the clock, so it never reuses a generation
            # whose figures another process may still hold.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, 0)
    return [found[key] for key in keys]


def _state(labels: list[str]) -> str:
    """A short digest of the generations of `labels`: the key of a figure holds it."""
    state = ",".join(map(str, generations(labels)))
    return hashlib.blake2b(state.encode(), digest_size=12).hexdigest()


def cached(name: str, *parts, compute, depends_on=WATCHED_APPS, timeout: int = TIMEOUT):
    """`compute()`, or its value kept since the last write to what `depends_on` names (apps or
    models), for `timeout` seconds at most (LARGE_TIMEOUT for large values)."""
    key = ":".join(["aggregates", name, _state(_expanded(depends_on)), *map(str, parts)])
    cache = _cache()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_each(
    name: str,
    scopes: Mapping[Hashable, str],
    *,
    compute: Callable[[list], Mapping],
    depends_on: Iterable[str],
) -> dict:
    """{item: figure} for each item of `scopes` ({item: its scope label}), each kept on its own
    until a write to its scope or to what `depends_on` names; `compute(items)` computes those not
    kept, in one go, and returns {item: figure} (never None)."""
    # The scopes' apps too (their own generation only): a bulk write to an app bumps it alone.
    apps = {label.partition(".")[0] for label in scopes.values()}
    state = _state(sorted(set(_expanded(depends_on)) | apps))
    own = dict(zip(scopes, generations(scopes.values()), strict=True))
    keys = {item: f"aggregates:{name}:{state}:{item}:{own[item]}" for item in scopes}
    cache = _cache()
    found = cache.get_many(list(keys.values()))
    missing = [item for item, key in keys.items() if key not in found]
    computed = compute(missing) if missing else {}
    if computed:
        cache.set_many({keys[item]: value for item, value in computed.items()}, TIMEOUT)
    return {item: found[key] if key in found else computed[item] for item, key in keys.items()}


# A page served while a newer one is computed in the background is never older than this many
# times its max_age: past it (the task worker down, or behind), the reader computes it.
RECENT_LIMIT = 10


def _recent_key(name: str, parts) -> str:
    return ":".join(["aggregates", "recent", name, *map(str, parts)])


def recent(
    name: str,
    *parts,
    compute,
    max_age: float,
    not_before: float = 0.0,
    depends_on=WATCHED_APPS,
    refresh: Callable[[], object] | None = None,
):
    """`compute()`, or the value last computed for `name` and `parts` when it is still current,
    or when it is less than `max_age` seconds old and was computed after `not_before` (a
    timestamp: the reader's own last write, `last_write_of`).

    For whole pages that a write anywhere makes stale (the board's dashboard, report and « ce qui
    a changé »): under
    a write a second, each reading would otherwise recompute them. They are recomputed at most
    once every `max_age` seconds, by one reader at a time (the others serve the page in hand);
    with `refresh` (which enqueues a task calling `refresh_recent`), in the background, and the
    reader serves the page in hand, unless it is older than RECENT_LIMIT × max_age. Whoever has
    just written sees their write: a page computed before their last write is never served to
    them. The page says when it was computed. Timestamps are seconds since the epoch
    (time.time()), taken before computing, so that a write committed meanwhile counts as after
    it. A max_age of 0 serves current pages only."""
    state = _state(_expanded(depends_on))
    taken = time.time()
    cache = _cache()
    key = _recent_key(name, parts)
    kept = cache.get(key)
    if kept is not None:
        kept_state, kept_at, value = kept
        if kept_state == state:
            return value
        age = taken - kept_at
        if kept_at > not_before and 0 <= age < max_age * RECENT_LIMIT:
            if age < max_age:
                return value
            if not cache.add(f"{key}:computing", 1, timeout=60):
                return value  # another reader or the worker is computing the current one
            if refresh is not None:
                refresh()
                return value
    return refresh_recent(name, *parts, compute=compute, depends_on=depends_on)


def refresh_recent(name: str, *parts, compute, depends_on=WATCHED_APPS):
    """Compute the value `recent` serves for `name` and `parts`, and keep it."""
    cache = _cache()
    key = _recent_key(name, parts)
    state = _state(_expanded(depends_on))
    taken = time.time()
    try:
        value = compute()
        cache.set(key, (state, taken, value), TIMEOUT)
    finally:
        cache.delete(f"{key}:computing")
    return value


def note_write(user_id: int) -> None:
    """Remember when `user_id` last wrote (federation.middleware.OwnWritesMiddleware), for `recent`."""
    _cache().set(f"aggregates:wrote:{user_id}", time.time(), TIMEOUT)


def last_write_of(user_id: int | None) -> float:
    """When `user_id` last wrote (seconds since the epoch), 0 if not within the hour."""
    return _cache().get(f"aggregates:wrote:{user_id}", 0.0) if user_id else 0.0


def forget_all() -> None:
    """Make every kept figure stale: the aggregates cache calls it when Redis comes back after
    dropping writes (toolkit.cache), since a generation bump may be among them."""
    for app in WATCHED_APPS:
        _bump(app)


def _bump(label: str) -> None:
    cache = _cache()
    try:
        cache.incr(_generation_key(label))
    except ValueError:  # no generation yet (new or emptied cache)
        cache.set(_generation_key(label), time.time_ns(), timeout=None)


@functools.cache
def _bump_of(label: str) -> Callable[[], None]:
    # One callable per label, so that a transaction registers each label's bump at commit only once.
    return functools.partial(_bump, label)


def data_changed(labels=WATCHED_APPS) -> None:
    """Make the figures computed from `labels` (apps, models or scopes) stale, now and again once
    the current transaction commits.

    The bump at once serves the writer's own later reads (and every test, whose transaction
    never commits); the bump at commit makes stale what other requests computed meanwhile
    from the data as it was before the commit.
    """
    connection = transaction.get_connection()
    for label in labels:
        bump = _bump_of(label)
        bump()
        if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump)


def _on_write(sender, **kwargs) -> None:
    if not kwargs.get("action", "post_").startswith("post_") or sender._meta.app_label not in WATCHED_APPS:
        return
    # A model may say that a write cannot change any kept figure (indicators.Measurement: a value
    # that is not and was not validated); its history row says the same as the row it records.
    instance = kwargs.get("instance")
    recorded = getattr(instance, "instance", None) if hasattr(sender, "history_object") else instance
    if not getattr(recorded, "changes_aggregates", True):
        return
    scope = getattr(recorded, "aggregates_scope", None)
    data_changed([model_label(sender), *([scope] if scope else [])])


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"aggregates-{signal!r}")
