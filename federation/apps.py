from django.apps import AppConfig
from django.db.backends.signals import connection_created


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = "Site"

    def ready(self):
        from toolkit import aggregates

        from . import search, security

        # SQLite's stand-in for unaccent in the site-wide search.
        connection_created.connect(search.register_sqlite_functions, dispatch_uid="federation-sqlite-fold")
        # Any write to the network, the plan, actions, indicators or the board makes cached figures stale.
        aggregates.connect_signals()
        # Logins, logouts and failed logins are security events (federation.security).
        security.connect_signals()
