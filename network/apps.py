from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau"

    def ready(self):
        from . import roles

        roles.grant(roles.STAFF, "network", ["view", "add", "change", "delete"], ["partner"])
        roles.grant(roles.STAFF, "network", ["view"], ["territory", "structure", "invitation"])
        roles.grant_codenames(roles.STAFF, "network", ["manage_people", "manage_network"])
        roles.grant(roles.DIRECTOR, "network", ["view"], ["territory", "structure", "partner"])
        roles.grant(roles.BOARD, "network", ["view"], ["territory", "structure", "partner"])
        # Runs after every app's migrations, so every permission exists by then.
        post_migrate.connect(roles.sync_groups_after_migrate, dispatch_uid="network-roles")
