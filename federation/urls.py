from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import accounts, autocomplete, views
from .audit import views as audit_views

urlpatterns = [
    path("connexion/", accounts.ThrottledLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oubli/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/change/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("sante/", views.health, name="health"),
    path("aide/", views.help_page, name="help"),
    path("recherche/", views.search, name="search"),
    path("listes/", views.exchange_index, name="exchange_index"),
    path("listes/<slug:kind>/export.<str:fmt>", views.exchange_export, name="exchange_export"),
    path("listes/<slug:kind>/importer/", views.exchange_import, name="exchange_import"),
    path("listes/<slug:kind>/importer/confirmer/", views.exchange_import_confirm, name="exchange_import_confirm"),
    path("audit/", audit_views.audit, name="audit"),
    path("audit/personnes/<int:pk>/donnees.json", audit_views.person_data_export, name="audit_person_export"),
    path("audit/personnes/<int:pk>/anonymiser/", audit_views.person_anonymise, name="audit_person_anonymise"),
    path("autocompletion/structures/", autocomplete.structures, name="autocomplete_structures"),
    path("autocompletion/partenaires/", autocomplete.partners, name="autocomplete_partners"),
    path("autocompletion/actions/", autocomplete.actions, name="autocomplete_actions"),
    path("autocompletion/personnes/", autocomplete.people, name="autocomplete_people"),
    path("autocompletion/comptes/", autocomplete.accounts, name="autocomplete_accounts"),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("indicateurs/", include("indicators.urls")),
    path("indicateurs/", include("board.urls")),
    path("", include("network.urls")),
    path("", include("publication.urls")),
    path("", include("centres.urls")),
    path("", include("axes.urls")),
    path("", include("actions.urls")),
]

handler500 = "federation.views.server_error"
