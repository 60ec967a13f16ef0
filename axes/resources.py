from import_export import fields, resources, widgets

from .models import Axis, Objective


class ObjectiveResource(resources.ModelResource):
    axis = fields.Field(
        column_name="axis", attribute="axis", widget=widgets.ForeignKeyWidget(Axis, field="pk")
    )

    class Meta:
        model = Objective
        fields = ("id", "axis", "text", "order")
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
