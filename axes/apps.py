from django.apps import AppConfig


class AxesConfig(AppConfig):
    name = "axes"
    verbose_name = "Projet fédéral"

    def ready(self):
        from network import roles

        plan_models = ["plan", "chapter", "axis", "objective"]
        roles.grant(roles.STAFF, "axes", ["view", "add", "change", "delete"], plan_models)
        roles.grant_codenames(roles.STAFF, "axes", ["import_plan"])
        roles.grant(roles.DIRECTOR, "axes", ["view"], plan_models)
        roles.grant(roles.BOARD, "axes", ["view"], plan_models)
