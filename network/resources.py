"""Import and export of partners and structures (the admin and the « Listes » page)."""

from import_export import fields

from toolkit.resources import (
    FrenchDateWidget,
    ListResource,
    NameForeignKeyWidget,
    OptionalChoiceWidget,
    choice_field,
    id_field,
    text_field,
)
from toolkit.tables import ListKind

from .models import Partner, Structure, Territory


class PartnerResource(ListResource):
    id = id_field()
    name = text_field("name", "nom")
    kind = choice_field("kind", "type", Partner.Kind)

    required_columns = ("nom",)
    noun = "partenaire"
    unique_name = True

    class Meta(ListResource.Meta):
        model = Partner
        fields = ("id", "name", "kind")


class StructureResource(ListResource):
    id = id_field()
    name = text_field("name", "nom")
    kind = choice_field("kind", "type", Structure.Kind)
    territory = fields.Field(
        attribute="territory",
        column_name="territoire",
        widget=NameForeignKeyWidget(Territory, noun="territoire"),
    )
    address = text_field("address", "adresse")
    governance = fields.Field(
        attribute="governance",
        column_name="mode de gestion",
        widget=OptionalChoiceWidget(Structure.Governance),
    )
    caf_approval_ends_on = fields.Field(
        attribute="caf_approval_ends_on",
        column_name="fin de l’agrément Caf",
        widget=FrenchDateWidget(),
    )

    required_columns = ("nom",)
    noun = "structure"
    unique_name = True

    class Meta(ListResource.Meta):
        model = Structure
        fields = ("id", "name", "kind", "territory", "address", "governance", "caf_approval_ends_on")

    def with_relations(self, queryset):
        return queryset.select_related("territory")


PARTNER_LIST = ListKind("partenaires", "Partenaires", PartnerResource, Partner)
STRUCTURE_LIST = ListKind("structures", "Structures", StructureResource, Structure)
