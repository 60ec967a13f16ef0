"""The `seeded_plan` fixture writes back, in bulk, exactly the rows the seed's import wrote
(conftest.py): most of the suite starts from it, so a replay that lost a column or a table would
make two thousand tests test something else than the app."""

import conftest
from actions.services.plan_import import plan_import
from axes.models import Plan


def _snapshot_rows(snapshot) -> dict:
    return {
        model: {obj.pk: tuple(getattr(obj, name) for name in conftest._columns(model)) for obj in rows}
        for model, rows in snapshot.created.items()
    }


def test_the_seed_is_imported_once_then_written_back_row_for_row(seeded_plan):
    snapshot = conftest._SeedSnapshot.current
    assert snapshot is not None, "the import changed rows it found: every test imports the seed again"
    assert snapshot.plan_pk == seeded_plan.pk
    written = {model: {pk: row[1:] for pk, row in conftest._rows(model).items()} for model in snapshot.created}
    assert written == _snapshot_rows(snapshot)
    # What the import writes covers the plan, its history and its provenance.
    labels = {model._meta.label for model in snapshot.created}
    assert {"axes.Plan", "axes.Axis", "actions.Action", "actions.ImportProvenance", "axes.HistoricalAxis"} <= labels


def test_the_seed_written_back_is_what_the_import_gives(seeded_plan):
    """Importing the same document again over the written-back rows finds every object: nothing
    to create, nothing to update (as over the import's own rows)."""
    report = plan_import(source=conftest._seed_document(), user=None)
    assert (report.created, report.updated) == (0, 0)
    assert Plan.objects.count() == 1
