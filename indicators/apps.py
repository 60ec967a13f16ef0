from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicateurs"

    def ready(self):
        from network import roles

        lists = ["valuechainstage", "impactdimension"]
        measured = ["indicator", "target", "measurement"]
        everything = lists + measured
        roles.grant(roles.STAFF, "indicators", ["view", "add", "change", "delete"], everything)
        roles.grant_codenames(roles.STAFF, "indicators", ["validate_measurement", "report_measurement"])
        # Directors read everything and report their own structure's figures (the
        # services check that the structure is theirs); they change nothing else.
        roles.grant(roles.DIRECTOR, "indicators", ["view"], everything)
        roles.grant_codenames(roles.DIRECTOR, "indicators", ["report_measurement"])
        roles.grant(roles.BOARD, "indicators", ["view"], everything)
