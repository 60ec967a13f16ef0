from django.urls import path

from .views import actions, comments, journal, links, partners, plan, plan_export, plan_import, trash

app_name = "actions"

urlpatterns = [
    # Reading the plan (its structure is edited through `axes:`)
    path("", plan.plan_current, name="plan_current"),
    path("projets/<int:pk>/", plan.plan_detail, name="plan_detail"),
    path("projets/<int:pk>/document.<str:fmt>", plan_export.plan_export_download, name="plan_export"),
    path("axes/<int:pk>/rattachements/", links.axis_links_update, name="axis_links_update"),  # before the slug
    path("axes/<int:pk>/<slug:slug>/", plan.axis_detail, name="axis_detail"),
    path("objectifs/<int:pk>/", plan.objective_detail, name="objective_detail"),
    # Actions
    path("actions/", actions.action_list, name="action_list"),
    path("actions/export.<str:fmt>", actions.action_export, name="action_export"),
    path("axes/<int:axis_pk>/actions/nouvelle/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", actions.action_update, name="action_update"),
    path("actions/<int:pk>/retenir/", actions.action_promote, name="action_promote"),
    path("actions/<int:pk>/avancement/", actions.action_progress_switch, name="action_progress_switch"),
    # What staff add from an action's page
    path("actions/<int:action_pk>/suivi/", journal.update_create, name="update_create"),
    path("actions/<int:action_pk>/jalons/", journal.milestone_create, name="milestone_create"),
    path("jalons/<int:pk>/basculer/", journal.milestone_toggle, name="milestone_toggle"),
    path("jalons/<int:pk>/supprimer/", journal.milestone_delete, name="milestone_delete"),
    path("actions/<int:action_pk>/partenaires/", journal.partner_add, name="partner_add"),
    path("partenariats/<int:pk>/retirer/", journal.partner_remove, name="partner_remove"),
    # Partners, for staff: merging two that are the same (issue 14)
    path("gestion/partenaires/", partners.partner_list, name="partner_list"),
    path("gestion/partenaires/<int:pk>/fusionner/", partners.partner_merge_view, name="partner_merge"),
    path("actions/<int:action_pk>/suites/", journal.continuation_create, name="continuation_create"),
    path("suites/<int:pk>/supprimer/", journal.continuation_delete, name="continuation_delete"),
    # Comments on actions and objectives
    path("actions/<int:pk>/commentaires/", comments.action_comment_create, name="action_comment_create"),
    path("objectifs/<int:pk>/commentaires/", comments.objective_comment_create, name="objective_comment_create"),
    path("actions/<int:pk>/suivre/", comments.action_follow, name="action_follow"),
    path("objectifs/<int:pk>/suivre/", comments.objective_follow, name="objective_follow"),
    path("commentaires/<int:pk>/modifier/", comments.comment_edit_view, name="comment_edit"),
    path("commentaires/<int:pk>/moderer/", comments.comment_moderate_view, name="comment_moderate"),
    # History and trash
    path("historique/<str:model>/<int:pk>/", trash.object_history, name="object_history"),
    path(
        "historique/<str:model>/<int:pk>/retablir/<int:history_id>/",
        trash.object_history_restore,
        name="object_history_restore",
    ),
    path("supprimer/<str:model>/<int:pk>/", trash.object_delete, name="object_delete"),
    path("corbeille/", trash.trash_list, name="trash_list"),
    path("corbeille/<str:model>/<int:pk>/restaurer/", trash.trash_restore, name="trash_restore"),
    path("corbeille/vider/", trash.trash_empty, name="trash_empty"),
    # Importing a plan document
    path("importer/", plan_import.plan_import_upload, name="plan_import"),
    path("importer/confirmer/", plan_import.plan_import_confirm, name="plan_import_confirm"),
]
