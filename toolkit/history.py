"""A reason written on every history row (django-simple-history) saved inside a block.

A use case that writes many rows through services that do not each take a reason uses it:
the plan import marks every row it writes « Import du document « … » », so that a page can
say where a change came from even when no person made it (axes.selectors.history_author).
A row given its own reason keeps it. The reason is held per thread (and per async task),
so a request running beside an import is not marked.

Below, what lets a model's history hold its many-to-many links too.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from asgiref.local import Local
from django.db import models
from django.db.models import Max
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


# Many-to-many links (django-simple-history's `m2m_fields`). Each history row of a model that
# records its links holds a copy of them as they stood when the row was written. A link written
# outside a save (`action.objectives.add(…)`) gets a row of its own, which copies the fields from
# the instance at hand: write links on an instance read fresh, as the services do.


class LinksHistory(models.Model):
    """The base of a history model that records its object's links (`HistoricalRecords(m2m_fields=…,
    bases=[LinksHistory])`): rows written before the links were recorded say so, so that pages
    neither show links as added nor restore them from a row that never held them."""

    history_links_known = models.BooleanField("liens enregistrés", default=True, editable=False)

    class Meta:
        abstract = True


def links_known(record) -> bool:
    """Whether this history row holds its object's links as they stood (False: written before
    they were recorded)."""
    return bool(getattr(type(record), "_history_m2m_fields", ())) and getattr(record, "history_links_known", True)


def link_rows_model(history_model, field) -> type[models.Model]:
    """The table of the links `field` (a many-to-many of the tracked model) that rows of `history_model` hold."""
    return getattr(history_model, field.name).model


@contextmanager
def links_in_last_row(obj: models.Model) -> Iterator[None]:
    """Many-to-many writes made in the block on `obj` add no history row of their own (by
    default django-simple-history writes one per `add`, `remove` and `clear`, so that a `set()`
    writes two); on leaving the block, the object's latest history row, the one its save has
    just written, takes its links as they now stand. An edit of fields and links is one row.
    Writes on the other side (`objective.actions.add(…)`) are not covered: write links from
    the model that declares them."""
    obj.skip_history_when_saving = True
    try:
        yield
    finally:
        del obj.skip_history_when_saving
    record = obj.history.order_by("-history_id").first()
    if record is not None:
        _retake_links(record, obj)


def _copied(through: type[models.Model], link: models.Model) -> dict:
    """The columns of a link row, to write in a history row's copy of the links."""
    return {field.attname: getattr(link, field.attname) for field in through._meta.concrete_fields}


def _retake_links(record, obj: models.Model) -> None:
    for field in getattr(type(record), "_history_m2m_fields", ()):
        rows = link_rows_model(type(record), field)
        through = field.remote_field.through
        rows.objects.filter(history=record).delete()
        rows.objects.bulk_create(
            rows(history=record, **_copied(through, link))
            for link in through.objects.filter(**{field.m2m_field_name(): obj})
        )


def links_into_latest_rows(model: type[models.Model], pks: Iterable[int]) -> None:
    """For objects (`pks`) whose history rows and links were written in bulk (`bulk_history_create`
    copies no links): their rows say they hold none, but each object's latest, which takes its
    links as they stand, so that the next change is shown against them."""
    history = model.history.model
    pks = list(pks)
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        rows = history.objects.filter(id__in=chunk)
        rows.update(history_links_known=False)
        latest = dict(rows.order_by().values("id").annotate(last=Max("history_id")).values_list("id", "last"))
        history.objects.filter(history_id__in=latest.values()).update(history_links_known=True)
        for field in history._history_m2m_fields:
            link_rows = link_rows_model(history, field)
            own = field.m2m_field_name()
            through = field.remote_field.through
            link_rows.objects.filter(history_id__in=latest.values()).delete()
            link_rows.objects.bulk_create(
                (
                    link_rows(history_id=latest[getattr(link, f"{own}_id")], **_copied(through, link))
                    for link in through.objects.filter(**{f"{own}_id__in": latest})
                ),
                batch_size=1000,
            )
