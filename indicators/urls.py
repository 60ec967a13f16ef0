from django.urls import path

from .views import definitions, imports, indicators, values

app_name = "indicators"

urlpatterns = [
    path("", indicators.indicator_list, name="indicator_list"),
    path("<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    # Definitions, for staff (issue 14)
    path("nouveau/", definitions.indicator_create_view, name="indicator_create"),
    path("<int:pk>/modifier/", definitions.indicator_edit, name="indicator_edit"),
    path("<int:pk>/archiver/", definitions.indicator_archive_view, name="indicator_archive"),
    path("<int:pk>/cibles/", definitions.target_grid, name="target_grid"),
    path("listes/<slug:kind>/", definitions.classification_list, name="classification_list"),
    path("<int:pk>/valeurs/saisir/", values.measurement_create, name="measurement_create"),
    path("valeurs/a-valider/", values.measurement_review, name="measurement_review"),
    path("valeurs/a-valider/valider/", values.measurements_validate, name="measurements_validate"),
    path("valeurs/importer/", imports.measurement_import, name="measurement_import"),
    path("valeurs/importer/confirmer/", imports.measurement_import_confirm, name="measurement_import_confirm"),
    path("valeurs/observatoire/", imports.observatory_import_upload, name="observatory_import"),
    path("valeurs/observatoire/confirmer/", imports.observatory_import_confirm, name="observatory_import_confirm"),
    path("valeurs/<int:pk>/transmettre/", values.measurement_submit, name="measurement_submit"),
    path("valeurs/<int:pk>/valider/", values.measurement_validate, name="measurement_validate"),
    path("valeurs/<int:pk>/renvoyer/", values.measurement_return, name="measurement_return"),
    path("valeurs/<int:pk>/justificatif/", values.measurement_evidence, name="measurement_evidence"),
]
