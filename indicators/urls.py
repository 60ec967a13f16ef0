from django.urls import path

from . import observatory_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/valeurs/saisir/", views.measurement_create, name="measurement_create"),
    path("valeurs/a-valider/", views.measurement_review, name="measurement_review"),
    path("valeurs/importer/", views.measurement_import, name="measurement_import"),
    path("valeurs/importer/confirmer/", views.measurement_import_confirm, name="measurement_import_confirm"),
    path("valeurs/observatoire/", observatory_views.observatory_import_upload, name="observatory_import"),
    path(
        "valeurs/observatoire/confirmer/",
        observatory_views.observatory_import_confirm,
        name="observatory_import_confirm",
    ),
    path("valeurs/<int:pk>/soumettre/", views.measurement_submit, name="measurement_submit"),
    path("valeurs/<int:pk>/valider/", views.measurement_validate, name="measurement_validate"),
    path("valeurs/<int:pk>/renvoyer/", views.measurement_return, name="measurement_return"),
    path("valeurs/<int:pk>/justificatif/", views.measurement_evidence, name="measurement_evidence"),
]
