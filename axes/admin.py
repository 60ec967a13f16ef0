from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from toolkit.history import links_in_last_row
from toolkit.tables import ADMIN_FORMATS

from .models import Axis, Chapter, Objective, Plan
from .resources import ObjectiveResource

CONFLICT_MESSAGE = (
    "Quelqu’un a modifié cet élément pendant que vous le modifiiez : votre saisie n’est pas enregistrée. "
    "Ouvrez-le à nouveau pour voir sa version actuelle."
)


class VersionCheckedAdminForm(forms.ModelForm):
    """The admin's edit form for a model with a `version`: it carries the version it was opened at
    and refuses to save over a newer one, like the application's forms (axes.services.versioned_update)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def clean(self):
        data = super().clean()
        if self.instance.pk and "expected_version" in data:
            current = (
                type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            )
            if current != data["expected_version"]:
                raise ValidationError(CONFLICT_MESSAGE)
        return data


class VersionCheckedAdmin:
    """Admin edits go through the same version check as the application's (issue 14): the form
    refuses a stale version and each save made here counts as a new version."""

    form = VersionCheckedAdminForm

    def save_model(self, request, obj, form, change):
        if change:
            current = (
                type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("version", flat=True).get()
            )
            if current != form.cleaned_data.get("expected_version", current):
                raise ValidationError(CONFLICT_MESSAGE)  # saved in between: the transaction is rolled back
            obj.version = current + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not getattr(type(form.instance).history.model, "_history_m2m_fields", None):
            return super().save_related(request, form, formsets, change)
        # One history row for the save and its links (the form sets them after saving the object).
        with links_in_last_row(form.instance):
            super().save_related(request, form, formsets, change)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["title", "order"]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["text", "order"]


@admin.register(Plan)
class PlanAdmin(VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "start_year", "end_year", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ChapterInline]


@admin.register(Chapter)
class ChapterAdmin(VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan"]


@admin.register(Axis)
class AxisAdmin(VersionCheckedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "chapter", "order"]
    list_filter = ["chapter__plan", "chapter"]
    search_fields = ["title", "context", "stakes"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["chapter"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(VersionCheckedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    formats = ADMIN_FORMATS  # formulas neutralised on export, files read within toolkit.tables' limits
    resource_classes = [ObjectiveResource]
    list_display = ["__str__", "axis", "order"]
    list_filter = ["axis__chapter__plan", "axis"]
    search_fields = ["text", "axis__title"]
    list_select_related = ["axis"]
