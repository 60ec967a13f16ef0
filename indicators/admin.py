from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from axes.admin import VersionCheckedAdmin

from .models import ImpactDimension, Indicator, Measurement, Target, ValueChainStage


@admin.register(ValueChainStage, ImpactDimension)
class ListEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["structure"]


@admin.register(Indicator)
class IndicatorAdmin(VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "unit",
        "stage",
        "dimension",
        "aggregation",
        "frequency",
        "is_demo",
    ]
    list_filter = [
        "stage",
        "dimension",
        "aggregation",
        "frequency",
        "direction",
        "is_demo",
    ]
    search_fields = ["name", "code", "description", "source"]
    list_select_related = ["stage", "dimension"]
    filter_horizontal = ["objectives"]
    autocomplete_fields = ["actions"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [TargetInline]

    # An indicator with values or targets is archived, never deleted: deleting it would take its
    # values with it, beyond recovery (the application archives, and can undo it). One that
    # holds nothing may go. The bulk « delete selected » action is removed for the same reason.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.measurements.exists() or obj.targets.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "structure", "value"]
    list_filter = ["period"]
    search_fields = ["indicator__name", "structure__name"]
    list_select_related = ["indicator", "structure"]
    autocomplete_fields = ["indicator", "structure"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = [
        "indicator",
        "period",
        "structure",
        "value",
        "status",
        "entered_by",
        "validated_at",
    ]
    list_filter = ["status", "period"]
    search_fields = ["indicator__name", "structure__name", "text", "comment"]
    list_select_related = ["indicator", "structure", "entered_by"]
    autocomplete_fields = ["indicator", "structure"]
    readonly_fields = [
        "entered_by",
        "validated_by",
        "validated_at",
        "created_at",
        "updated_at",
    ]
