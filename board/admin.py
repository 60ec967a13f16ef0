from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BoardMeeting


@admin.register(BoardMeeting)
class BoardMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title"]
    date_hierarchy = "date"
