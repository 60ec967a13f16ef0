from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions"

    def ready(self):
        from federation import roles

        action_models = [
            "action",
            "actionpartner",
            "milestone",
            "update",
            "continuation",
        ]
        roles.grant(
            roles.STAFF, "actions", ["view", "add", "change", "delete"], action_models
        )
        roles.grant(roles.DIRECTOR, "actions", ["view"], action_models)
        roles.grant(roles.BOARD, "actions", ["view"], action_models)
