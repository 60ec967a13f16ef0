from django.urls import path

from .views import centre, network, participation, reminders

app_name = "centres"

urlpatterns = [
    # « Mon centre »: a director's structure, its values to report
    path("mon-centre/", centre.centre_home, name="centre_home"),
    path("mon-centre/<int:pk>/", centre.centre_detail, name="centre_detail"),
    path(
        "mon-centre/<int:pk>/valeurs/<int:indicator_pk>/<str:period>/",
        centre.measurement_edit,
        name="measurement_edit",
    ),
    path("mon-centre/valeurs/<int:pk>/transmettre/", centre.measurement_submit_view, name="measurement_submit"),
    path("suivi-des-saisies/", centre.reporting_rate, name="reporting_rate"),
    path("suivi-des-saisies/relances/", reminders.reminder_preview, name="reminder_preview"),
    path("suivi-des-saisies/relances/envoyer/", reminders.reminder_send, name="reminder_send"),
    # The network: territories and structures, with their actions and reporting status
    path("reseau/", network.territory_list, name="territory_list"),
    path("reseau/territoires/<int:pk>/", network.territory_detail, name="territory_detail"),
    path("reseau/structures/", network.structure_list, name="structure_list"),
    path("reseau/structures/<int:pk>/", network.structure_detail, name="structure_detail"),
    # Structures taking part in actions
    path("participations/", participation.participation_list, name="participation_list"),
    path("participations/proposer/", participation.participation_propose_view, name="participation_propose"),
    path("participations/<int:pk>/decider/", participation.participation_decide_view, name="participation_decide"),
]
