"""Optimistic locking: the second of two concurrent saves is refused, on SQLite and PostgreSQL.

The first test runs on whichever database the suite uses. The second opens two real
transactions in two threads on PostgreSQL: the second writer waits on the row lock taken
by the first, then sees the new version and is refused.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from axes.models import Objective
from axes.services import ConflictError, objective_update
from axes.tests.factories import ObjectiveFactory


@pytest.mark.django_db
def test_second_save_from_the_same_version_is_refused(staff_user, board_user):
    objective = ObjectiveFactory(text="Départ")
    objective_update(objective=objective, data={"text": "Premier"}, expected_version=1, user=staff_user)
    with pytest.raises(ConflictError) as conflict:
        objective_update(objective=objective, data={"text": "Second"}, expected_version=1, user=board_user)
    assert [(c.old, c.new) for c in conflict.value.changes] == [("Départ", "Premier")]
    objective.refresh_from_db()
    assert (objective.text, objective.version) == ("Premier", 2)
    assert objective.history.count() == 2  # creation + the first save; the refused one left no trace


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real concurrent transactions need PostgreSQL")
def test_two_real_transactions_on_postgresql(staff_user, board_user):
    objective = ObjectiveFactory(text="Départ")
    first_locked = threading.Event()
    release_first = threading.Event()
    outcomes: dict[str, object] = {}

    def first_writer():
        try:
            with transaction.atomic():
                objective_update(objective=objective, data={"text": "Camille"}, expected_version=1, user=staff_user)
                first_locked.set()
                # Hold the row lock until the second writer is blocked on it.
                release_first.wait(timeout=10)
            outcomes["first"] = "saved"
        except Exception as error:  # pragma: no cover - reported below
            outcomes["first"] = error
        finally:
            first_locked.set()
            connections.close_all()

    def second_writer():
        first_locked.wait(timeout=10)
        try:
            objective_update(objective=objective, data={"text": "Dominique"}, expected_version=1, user=board_user)
            outcomes["second"] = "saved"
        except ConflictError as error:
            outcomes["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    first_locked.wait(timeout=10)
    # The second writer is now waiting on SELECT … FOR UPDATE; let the first one commit.
    threads[1].join(timeout=1)
    assert threads[1].is_alive(), "the second transaction should wait for the first one's lock"
    release_first.set()
    for thread in threads:
        thread.join(timeout=20)

    assert outcomes["first"] == "saved"
    assert isinstance(outcomes["second"], ConflictError)
    assert [(c.old, c.new) for c in outcomes["second"].changes] == [("Départ", "Camille")]
    saved = Objective.objects.get(pk=objective.pk)
    assert (saved.text, saved.version) == ("Camille", 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real concurrent transactions need PostgreSQL")
def test_two_imports_of_the_same_document_at_once_create_it_once():
    from django.conf import settings

    from actions.models import Action
    from actions.services.plan_import import plan_import
    from axes.models import Axis, Plan

    source = settings.SEED_PLAN_DOCUMENT.read_bytes()
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def importer():
        try:
            start.wait(timeout=10)
            plan_import(source=source, user=None)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=importer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Plan.objects.count() == 1
    assert Axis.objects.count() == 3
    assert Action.objects.count() == 16
