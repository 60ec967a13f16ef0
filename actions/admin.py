from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from axes import admin as axes_admin
from axes.admin import VersionCheckedAdmin
from axes.models import Axis, Chapter, Objective, Plan
from toolkit.tables import ADMIN_FORMATS

from .models import Action, ActionPartner
from .resources import ActionResource
from .services.trash import plan_object_trash


class TrashInsteadOfDeleteAdmin:
    """Deleting a plan object from the admin puts it in the trash, with its children, as the
    application does (issue 14): it can be restored from « Corbeille ». The bulk « delete
    selected » action is removed (each deletion has its own confirmation and checks)."""

    def delete_model(self, request, obj):
        plan_object_trash(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset):  # pragma: no cover - the bulk action is removed
        for obj in queryset:
            plan_object_trash(obj=obj, user=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:  # an axis still holding actions: nothing was trashed
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            f"« {obj_display} » est dans la corbeille : il se restaure depuis la page Corbeille de l’application.",
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


# The plan's own objects are registered by axes/admin.py, which cannot know the trash (it lives
# here, above): they are registered again with the trash's deletion.
for _model, _admin_class in [
    (Plan, axes_admin.PlanAdmin),
    (Chapter, axes_admin.ChapterAdmin),
    (Axis, axes_admin.AxisAdmin),
    (Objective, axes_admin.ObjectiveAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin_class.__name__, (TrashInsteadOfDeleteAdmin, _admin_class), {}))


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Action)
class ActionAdmin(TrashInsteadOfDeleteAdmin, VersionCheckedAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
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
