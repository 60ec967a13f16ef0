from django.urls import path

from .views import people, structures

app_name = "network"

urlpatterns = [
    # People, for staff (issue 14)
    path("gestion/personnes/", people.person_list, name="person_list"),
    path("gestion/personnes/inviter/", people.person_invite_view, name="person_invite"),
    path("gestion/personnes/<int:pk>/", people.person_detail, name="person_detail"),
    path("gestion/personnes/<int:pk>/rattacher/", people.person_attach, name="person_attach"),
    path(
        "gestion/personnes/<int:pk>/detacher/<int:structure_pk>/",
        people.person_detach,
        name="person_detach",
    ),
    path("gestion/personnes/<int:pk>/activation/", people.person_set_active_view, name="person_set_active"),
    path("gestion/personnes/<int:pk>/invitation/renvoyer/", people.invitation_resend_view, name="invitation_resend"),
    path("gestion/personnes/<int:pk>/invitation/revoquer/", people.invitation_revoke_view, name="invitation_revoke"),
    # Structures and territories, for staff (issue 14)
    path("gestion/structures/nouvelle/", structures.structure_edit, name="structure_create"),
    path("gestion/structures/<int:pk>/modifier/", structures.structure_edit, name="structure_edit"),
    path("gestion/territoires/nouveau/", structures.territory_edit, name="territory_create"),
    path("gestion/territoires/<int:pk>/modifier/", structures.territory_edit, name="territory_edit"),
    # The invited person chooses their password (public: the signed link is the credential)
    path("compte/activer/<str:token>/", people.invitation_accept_view, name="invitation_accept"),
]
