from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from network import roles

        from . import signals  # noqa: F401 - an action serves only its axis's objectives

        action_models = [
            "action",
            "actionpartner",
            "milestone",
            "update",
            "continuation",
        ]
        roles.grant(roles.STAFF, "actions", ["view", "add", "change", "delete"], action_models)
        roles.grant(roles.DIRECTOR, "actions", ["view"], action_models)
        roles.grant(roles.BOARD, "actions", ["view"], action_models)
        # Participation and comments (issue 5): directors propose their own structure's
        # participation (the services check the structure is theirs); staff decide and
        # moderate; every role reads and comments.
        roles.grant(
            roles.STAFF,
            "actions",
            ["view", "add", "change", "delete"],
            ["participation", "comment"],
        )
        roles.grant_codenames(roles.STAFF, "actions", ["moderate_comment"])
        roles.grant(roles.DIRECTOR, "actions", ["view", "add"], ["participation", "comment"])
        roles.grant(roles.BOARD, "actions", ["view"], ["participation"])
        roles.grant(roles.BOARD, "actions", ["view", "add"], ["comment"])
