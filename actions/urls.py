from django.urls import include, path

from . import views

app_name = "actions"

urlpatterns = [
    # Reading the plan
    path("", views.plan_current, name="plan_current"),
    path("projets/<int:pk>/", views.plan_detail, name="plan_detail"),
    # Before axis_detail, whose slug would otherwise swallow "modifier".
    path("axes/<int:pk>/modifier/", views.axis_update, name="axis_update"),
    path("axes/<int:pk>/<slug:slug>/", views.axis_detail, name="axis_detail"),
    path("objectifs/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectifs/<int:pk>/texte/", views.objective_fragment, name="objective_fragment"),
    # Editing the plan's structure
    path("projets/nouveau/", views.plan_create, name="plan_create"),
    path("projets/<int:pk>/modifier/", views.plan_update, name="plan_update"),
    path(
        "projets/<int:plan_pk>/chapitres/nouveau/",
        views.chapter_create,
        name="chapter_create",
    ),
    path("chapitres/<int:pk>/modifier/", views.chapter_update, name="chapter_update"),
    path(
        "chapitres/<int:chapter_pk>/axes/nouveau/",
        views.axis_create,
        name="axis_create",
    ),
    path(
        "axes/<int:axis_pk>/objectifs/nouveau/",
        views.objective_create,
        name="objective_create",
    ),
    path("objectifs/<int:pk>/modifier/", views.objective_update, name="objective_update"),
    path(
        "deplacer/<str:model>/<int:pk>/<str:direction>/",
        views.plan_object_move,
        name="plan_object_move",
    ),
    # Actions
    path("actions/", views.action_list, name="action_list"),
    path("actions/export.<str:fmt>", views.action_export, name="action_export"),
    path(
        "axes/<int:axis_pk>/actions/nouvelle/",
        views.action_create,
        name="action_create",
    ),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", views.action_update, name="action_update"),
    path("actions/<int:pk>/retenir/", views.action_promote, name="action_promote"),
    path("actions/<int:action_pk>/suivi/", views.update_create, name="update_create"),
    path(
        "actions/<int:action_pk>/jalons/",
        views.milestone_create,
        name="milestone_create",
    ),
    path("jalons/<int:pk>/basculer/", views.milestone_toggle, name="milestone_toggle"),
    path("jalons/<int:pk>/supprimer/", views.milestone_delete, name="milestone_delete"),
    path("actions/<int:action_pk>/partenaires/", views.partner_add, name="partner_add"),
    path("partenariats/<int:pk>/retirer/", views.partner_remove, name="partner_remove"),
    path(
        "actions/<int:action_pk>/suites/",
        views.continuation_create,
        name="continuation_create",
    ),
    path(
        "suites/<int:pk>/supprimer/",
        views.continuation_delete,
        name="continuation_delete",
    ),
    # History and trash
    path("historique/<str:model>/<int:pk>/", views.object_history, name="object_history"),
    path(
        "historique/<str:model>/<int:pk>/retablir/<int:history_id>/",
        views.object_history_restore,
        name="object_history_restore",
    ),
    path("supprimer/<str:model>/<int:pk>/", views.object_delete, name="object_delete"),
    path("corbeille/", views.trash_list, name="trash_list"),
    path(
        "corbeille/<str:model>/<int:pk>/restaurer/",
        views.trash_restore,
        name="trash_restore",
    ),
    path("corbeille/vider/", views.trash_empty, name="trash_empty"),
    # Importing a plan document
    path("importer/", views.plan_import_upload, name="plan_import"),
    path("importer/confirmer/", views.plan_import_confirm, name="plan_import_confirm"),
    # Structures taking part in actions, comments (actions/participation_urls.py)
    path("", include("actions.participation_urls")),
]
