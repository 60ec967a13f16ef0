"""Migrations 0010-0011: each indicator's single action becomes one of its `actions`, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("indicators", "0009_typographic_apostrophes")]
AFTER = [("indicators", "0011_remove_indicator_action")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_action_of_each_indicator_is_copied_into_its_actions_and_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        plan = old.get_model("axes", "Plan").objects.create(title="Projet")
        chapter = old.get_model("axes", "Chapter").objects.create(plan=plan, title="Chapitre")
        axis = old.get_model("axes", "Axis").objects.create(chapter=chapter, title="Axe", slug="axe")
        Action = old.get_model("actions", "Action")
        first, second = (Action.objects.create(axis=axis, title=title) for title in ("Jardins", "Ateliers"))
        Indicator = old.get_model("indicators", "Indicator")
        Indicator.objects.create(code="avec", name="Avec action", action=first)
        Indicator.objects.create(code="sans", name="Sans action")

        new = migrate(AFTER)
        Indicator = new.get_model("indicators", "Indicator")
        assert {i.code: [a.title for a in i.actions.all()] for i in Indicator.objects.all()} == {
            "avec": ["Jardins"],
            "sans": [],
        }
        linked = Indicator.objects.get(code="sans").actions
        linked.add(second.pk)
        linked.add(first.pk)

        old = migrate(BEFORE)  # back to one action: the first one linked
        Indicator = old.get_model("indicators", "Indicator")
        assert dict(Indicator.objects.values_list("code", "action__title")) == {"avec": "Jardins", "sans": "Ateliers"}
    finally:
        migrate(leaves)
