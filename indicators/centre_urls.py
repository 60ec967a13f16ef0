from django.urls import path

from . import centre_views

app_name = "reporting"

urlpatterns = [
    path("mon-centre/", centre_views.centre_home, name="centre_home"),
    path("mon-centre/<int:pk>/", centre_views.centre_detail, name="centre_detail"),
    path(
        "mon-centre/<int:pk>/valeurs/<int:indicator_pk>/<str:period>/",
        centre_views.measurement_edit,
        name="measurement_edit",
    ),
    path(
        "mon-centre/valeurs/<int:pk>/soumettre/",
        centre_views.measurement_submit_view,
        name="measurement_submit",
    ),
    path("suivi-des-saisies/", centre_views.reporting_rate, name="reporting_rate"),
]
