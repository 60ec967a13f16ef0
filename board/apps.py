from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "Conseil d’administration"

    def ready(self):
        from network import roles

        roles.grant(roles.STAFF, "board", ["view", "add", "change", "delete"], ["boardmeeting"])
        roles.grant(roles.DIRECTOR, "board", ["view"], ["boardmeeting"])
        roles.grant(roles.BOARD, "board", ["view"], ["boardmeeting"])
        # The reports to the board are a record: the team generates them, nobody changes or deletes one.
        roles.grant(roles.STAFF, "board", ["view", "add"], ["boardreport"])
        roles.grant(roles.DIRECTOR, "board", ["view"], ["boardreport"])
        roles.grant(roles.BOARD, "board", ["view"], ["boardreport"])
