from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BoardMeeting, BoardReport


@admin.register(BoardMeeting)
class BoardMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title"]
    date_hierarchy = "date"


@admin.register(BoardReport)
class BoardReportAdmin(admin.ModelAdmin):
    """Read only: a report to the board is a record (board.reports writes it)."""

    list_display = ["meeting", "status", "requested_by", "requested_at", "generated_at", "sha256"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in BoardReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
