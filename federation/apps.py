from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = "Réseau"

    def ready(self):
        from . import aggregates, roles, search

        roles.grant(roles.STAFF, "federation", ["view", "add", "change", "delete"], ["partner"])
        roles.grant(roles.STAFF, "federation", ["view"], ["territory", "structure"])
        roles.grant(roles.DIRECTOR, "federation", ["view"], ["territory", "structure", "partner"])
        roles.grant(roles.BOARD, "federation", ["view"], ["territory", "structure", "partner"])
        # Runs after every app's migrations, so every permission exists by then.
        post_migrate.connect(roles.sync_groups_after_migrate, dispatch_uid="federation-roles")
        # SQLite's stand-in for unaccent in the site-wide search.
        connection_created.connect(search.register_sqlite_functions, dispatch_uid="federation-sqlite-fold")
        # Any write to the plan, actions, indicators or network makes cached figures stale.
        aggregates.connect_signals()
