from django.contrib import admin

from .models import ReportingReminder


@admin.register(ReportingReminder)
class ReportingReminderAdmin(admin.ModelAdmin):
    # « envoi en cours ou interrompu »: a worker died while sending; see centres.reminders.
    list_display = ["structure", "period", "sent_at", "delivery"]
    list_filter = ["delivery", "period"]
    search_fields = ["structure__name"]
    list_select_related = ["structure"]
