from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from toolkit.tables import ADMIN_FORMATS

from .models import Partner, Structure, Territory
from .resources import PartnerResource, StructureResource

admin.site.site_header = "Projet fédéral — administration"
admin.site.site_title = "Projet fédéral"
admin.site.index_title = "Administration"


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


@admin.register(Structure)
class StructureAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = ADMIN_FORMATS  # formulas neutralised on export, files read within toolkit.tables' limits
    resource_classes = [StructureResource]
    list_display = ["name", "kind", "territory", "governance", "caf_approval_ends_on"]
    list_filter = ["kind", "governance", "territory"]
    search_fields = ["name", "territory__name"]
    autocomplete_fields = ["territory"]
    filter_horizontal = ["directors"]
    list_select_related = ["territory"]


@admin.register(Partner)
class PartnerAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = ADMIN_FORMATS  # formulas neutralised on export, files read within toolkit.tables' limits
    resource_classes = [PartnerResource]
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
