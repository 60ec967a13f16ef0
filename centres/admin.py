from django.contrib import admin

from .models import ReportingReminder


@admin.register(ReportingReminder)
class ReportingReminderAdmin(admin.ModelAdmin):
    list_display = ["structure", "period", "sent_at"]
    list_filter = ["period"]
    search_fields = ["structure__name"]
    list_select_related = ["structure"]
