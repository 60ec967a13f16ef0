from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("changements/", views.changes, name="changes"),
    path("conseils/nouveau/", views.board_meeting_create, name="board_meeting_create"),
    path("rapport/", views.report, name="report"),
    path("rapport.pdf", views.report_pdf, name="report_pdf"),
]
