from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from toolkit.tables import ADMIN_FORMATS

from .models import Action, ActionPartner
from .resources import ActionResource


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Action)
class ActionAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = ADMIN_FORMATS  # formulas neutralised on export, files read within toolkit.tables' limits
    resource_classes = [ActionResource]
    list_display = ["__str__", "axis", "status", "start_year", "end_year"]
    list_filter = ["status", "axis__chapter__plan", "axis", "start_year"]
    search_fields = ["title", "description", "partners__name"]
    list_select_related = ["axis"]
    filter_horizontal = ["objectives", "structures"]
    inlines = [ActionPartnerInline]


@admin.register(ActionPartner)
class ActionPartnerAdmin(SimpleHistoryAdmin):
    list_display = ["action", "partner", "role"]
    list_filter = ["role"]
    search_fields = ["action__title", "partner__name", "role"]
    list_select_related = ["action", "partner"]
    autocomplete_fields = ["action", "partner"]
