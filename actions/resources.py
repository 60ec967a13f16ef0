"""Import/export of actions (CSV, XLSX), for the admin and the staff's « Listes » page."""

from django.db.models import Prefetch
from import_export import fields

from axes.models import Axis, Objective
from network.models import Structure
from toolkit.resources import (
    IdForeignKeyWidget,
    IdsManyToManyWidget,
    ImportValueError,
    IntegerWidget,
    ListResource,
    choice_field,
    id_field,
    text_field,
)
from toolkit.tables import ListKind

from .models import Action, ActionPartner


class ActionResource(ListResource):
    id = id_field()
    axis = fields.Field(attribute="axis", column_name="axe", widget=IdForeignKeyWidget(Axis, noun="axe"))
    axis_title = fields.Field(attribute="axis__title", column_name="titre de l’axe", readonly=True)
    title = text_field("title", "intitulé")
    description = text_field("description", "description")
    status = choice_field("status", "statut", Action.Status)
    start_year = fields.Field(
        attribute="start_year",
        column_name="année de début",
        widget=IntegerWidget(minimum=1900, maximum=2200),
    )
    end_year = fields.Field(
        attribute="end_year",
        column_name="année de fin",
        widget=IntegerWidget(minimum=1900, maximum=2200),
    )
    order = fields.Field(
        attribute="order",
        column_name="ordre",
        widget=IntegerWidget(),
        saves_null_values=False,
    )
    objectives = fields.Field(
        attribute="objectives",
        column_name="objectifs",
        widget=IdsManyToManyWidget(Objective, noun_plural="objectifs", label=lambda objective: objective.text),
    )
    structures = fields.Field(
        attribute="structures",
        column_name="structures",
        widget=IdsManyToManyWidget(Structure, noun_plural="structures"),
    )
    # Partners carry a role: they are edited on the action's page, exported here to be read.
    partners = fields.Field(column_name="partenaires", readonly=True)

    required_columns = ("axe", "intitulé")
    noun = "action"

    class Meta(ListResource.Meta):
        model = Action
        fields = (
            "id",
            "axis",
            "axis_title",
            "title",
            "description",
            "status",
            "start_year",
            "end_year",
            "order",
            "objectives",
            "structures",
            "partners",
        )

    def with_relations(self, queryset):
        return queryset.select_related("axis").prefetch_related(
            "objectives",
            "structures",
            Prefetch(
                "partner_links",
                queryset=ActionPartner.objects.select_related("partner"),
            ),
        )

    def dehydrate_partners(self, action) -> str:
        return " | ".join(str(link) for link in action.partner_links.all())

    def check_related(self, instance, field, related):
        if field.attribute == "objectives" and instance.axis_id is not None:
            strangers = [str(objective.pk) for objective in related if objective.axis_id != instance.axis_id]
            if strangers:
                raise ImportValueError(
                    f"Les objectifs n° {', '.join(strangers)} appartiennent à un autre axe que l’axe "
                    f"n° {instance.axis_id}."
                )


ACTION_LIST = ListKind("actions", "Actions", ActionResource, Action)
