"""PostgreSQL only: the `unaccent` extension and a `french_unaccent` text search configuration.

Site-wide search (federation/search.py) matches French words whatever their accents
(« federation » finds « Fédération ») and their endings (« centres » finds « centre »):
PostgreSQL's French stemmer, preceded by unaccent. SQLite has neither and needs nothing
here: the search falls back on a Python function registered on each connection.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    # The extension stays: other databases objects may use it, and it is harmless.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("federation", "0002_structure_details_reminders")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
