from import_export import resources

from .models import Partner, Structure


class PartnerResource(resources.ModelResource):
    class Meta:
        model = Partner
        fields = ("id", "name", "kind")
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True


class StructureResource(resources.ModelResource):
    class Meta:
        model = Structure
        fields = ("id", "name", "kind", "territory")
        import_id_fields = ("id",)
        skip_unchanged = True
        report_skipped = True
