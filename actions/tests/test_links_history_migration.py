"""Migration actions 0014: the history rows written before links were recorded say so, but each
action's latest row, which takes its links as they stand, so that the first change recorded
afterwards is shown against them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("actions", "0013_french_spacing")]
AFTER = [("actions", "0014_history_of_links")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_only_the_latest_row_of_each_action_takes_the_links_of_today():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        plan = old.get_model("axes", "Plan").objects.create(title="Projet")
        chapter = old.get_model("axes", "Chapter").objects.create(plan=plan, title="Chapitre")
        axis = old.get_model("axes", "Axis").objects.create(chapter=chapter, title="Axe", slug="axe")
        objective = old.get_model("axes", "Objective").objects.create(axis=axis, text="Mieux accueillir")
        Action = old.get_model("actions", "Action")
        History = old.get_model("actions", "HistoricalAction")
        action = Action.objects.create(axis=axis, title="Ateliers")
        action.objectives.add(objective)
        unlinked = Action.objects.create(axis=axis, title="Sans lien")
        now = timezone.now()
        for obj, kinds in ((action, "+~"), (unlinked, "+")):
            for n, kind in enumerate(kinds):
                History.objects.create(
                    id=obj.pk,
                    axis_id=axis.pk,
                    title=obj.title,
                    history_type=kind,
                    history_date=now + datetime.timedelta(minutes=n),
                    status=obj.status,
                )

        new = migrate(AFTER)
        History = new.get_model("actions", "HistoricalAction")
        Links = new.get_model("actions", "HistoricalAction_objectives")
        rows = {(r.id, r.history_type): r for r in History.objects.all()}
        assert not rows[(action.pk, "+")].history_links_known
        latest = rows[(action.pk, "~")]
        assert latest.history_links_known and rows[(unlinked.pk, "+")].history_links_known
        assert list(Links.objects.values_list("history_id", "objective_id")) == [(latest.history_id, objective.pk)]
    finally:
        migrate(leaves)
