"""PostgreSQL only: a GIN index on the structures' search document (federation/search.py).

At national scale (4,000 structures) the search computed every name's tsvector on each
query. The indexed expression is exactly the one `search._postgresql_matching` builds for
structures; `federation/tests/test_search.py` checks the planner uses it.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS federation_structure_search ON federation_structure
USING gin (setweight(to_tsvector('french_unaccent'::regconfig, COALESCE(name, '')), 'A'));
"""
DROP = "DROP INDEX IF EXISTS federation_structure_search;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("federation", "0003_french_unaccent_search")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
