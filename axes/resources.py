"""Import/export of objectives (CSV, XLSX), for the admin and the staff's « Listes » page."""

from import_export import fields

from toolkit.resources import IdForeignKeyWidget, IntegerWidget, ListResource, id_field, text_field
from toolkit.tables import ListKind

from .models import Axis, Objective


class ObjectiveResource(ListResource):
    id = id_field()
    axis = fields.Field(attribute="axis", column_name="axe", widget=IdForeignKeyWidget(Axis, noun="axe"))
    # Read-only, so that a person reading the file knows which axis « axe » 4 is.
    axis_title = fields.Field(attribute="axis__title", column_name="titre de l’axe", readonly=True)
    text = text_field("text", "objectif")
    order = fields.Field(
        attribute="order",
        column_name="ordre",
        widget=IntegerWidget(),
        saves_null_values=False,
    )

    required_columns = ("axe", "objectif")
    noun = "objectif"

    class Meta(ListResource.Meta):
        model = Objective
        fields = ("id", "axis", "axis_title", "text", "order")

    def with_relations(self, queryset):
        return queryset.select_related("axis")


OBJECTIVE_LIST = ListKind("objectifs", "Objectifs opérationnels", ObjectiveResource, Objective)
