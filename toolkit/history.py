"""A reason written on every history row (django-simple-history) saved inside a block.

A use case that writes many rows through services that do not each take a reason uses it:
the plan import marks every row it writes « Import du document « … » », so that a page can
say where a change came from even when no person made it (axes.selectors.history_author).
A row given its own reason keeps it. The reason is held per thread (and per async task),
so a request running beside an import is not marked.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.local import Local
from simple_history.signals import pre_create_historical_record

_current = Local()


@contextmanager
def change_reason(reason: str) -> Iterator[None]:
    previous = getattr(_current, "reason", None)
    _current.reason = reason
    try:
        yield
    finally:
        _current.reason = previous


def _stamp(sender, history_instance, **kwargs) -> None:
    reason = getattr(_current, "reason", None)
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:100]


pre_create_historical_record.connect(_stamp, dispatch_uid="toolkit.history.change_reason")
