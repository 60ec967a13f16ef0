from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from toolkit.tables import ADMIN_FORMATS

from .models import Axis, Chapter, Objective, Plan
from .resources import ObjectiveResource


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["title", "order"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["text", "order"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "start_year", "end_year", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ChapterInline]


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan"]


@admin.register(Axis)
class AxisAdmin(SimpleHistoryAdmin):
    list_display = ["title", "chapter", "order"]
    list_filter = ["chapter__plan", "chapter"]
    search_fields = ["title", "context", "stakes"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["chapter"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = ADMIN_FORMATS  # formulas neutralised on export, files read within toolkit.tables' limits
    resource_classes = [ObjectiveResource]
    list_display = ["__str__", "axis", "order"]
    list_filter = ["axis__chapter__plan", "axis"]
    search_fields = ["text", "axis__title"]
    list_select_related = ["axis"]
