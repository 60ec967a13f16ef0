"""Routes for participations and comments, included into the `actions` namespace."""

from django.urls import path

from . import participation_views as views

urlpatterns = [
    path("participations/", views.participation_list, name="participation_list"),
    path(
        "participations/proposer/",
        views.participation_propose_view,
        name="participation_propose",
    ),
    path(
        "participations/<int:pk>/decider/",
        views.participation_decide_view,
        name="participation_decide",
    ),
    path(
        "actions/<int:pk>/commentaires/",
        views.action_comment_create,
        name="action_comment_create",
    ),
    path(
        "objectifs/<int:pk>/commentaires/",
        views.objective_comment_create,
        name="objective_comment_create",
    ),
    path("commentaires/<int:pk>/modifier/", views.comment_edit_view, name="comment_edit"),
    path(
        "commentaires/<int:pk>/moderer/",
        views.comment_moderate_view,
        name="comment_moderate",
    ),
]
