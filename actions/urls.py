from django.urls import include, path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.plan_current, name="plan_current"),
    path("projets/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("axes/<int:pk>/<slug:slug>/", views.axis_detail, name="axis_detail"),
    path("importer/", views.plan_import_upload, name="plan_import"),
    path("importer/confirmer/", views.plan_import_confirm, name="plan_import_confirm"),
    # Structures taking part in actions, comments (actions/participation_urls.py)
    path("", include("actions.participation_urls")),
]
