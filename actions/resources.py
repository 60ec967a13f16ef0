from import_export import fields, resources, widgets

from axes.models import Axis, Objective

from .models import Action


class ActionResource(resources.ModelResource):
    axis = fields.Field(column_name="axis", attribute="axis", widget=widgets.ForeignKeyWidget(Axis, field="pk"))
    objectives = fields.Field(
        column_name="objectives",
        attribute="objectives",
        widget=widgets.ManyToManyWidget(Objective, field="pk", separator="|"),
    )

    class Meta:
        model = Action
        fields = ("id", "axis", "title", "description", "status", "start_year", "end_year", "order", "objectives")
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
