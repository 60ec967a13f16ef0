from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("changements/", views.changes, name="changes"),
    path("conseils/nouveau/", views.board_meeting_create, name="board_meeting_create"),
    path("rapport/", views.report, name="report"),
    path("rapports/", views.report_list, name="report_list"),
    path("rapports/produire/", views.report_create, name="report_create"),
    path("rapports/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapports/<int:pk>/pdf/", views.report_download, name="report_download"),
]
