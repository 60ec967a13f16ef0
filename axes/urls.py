from django.urls import path

from . import views

app_name = "axes"

urlpatterns = [
    path("projets/nouveau/", views.plan_create, name="plan_create"),
    path("projets/<int:pk>/modifier/", views.plan_update, name="plan_update"),
    path("projets/<int:plan_pk>/chapitres/nouveau/", views.chapter_create, name="chapter_create"),
    path("chapitres/<int:pk>/modifier/", views.chapter_update, name="chapter_update"),
    path("chapitres/<int:chapter_pk>/axes/nouveau/", views.axis_create, name="axis_create"),
    # Before actions' axis page, whose slug would otherwise swallow "modifier".
    path("axes/<int:pk>/modifier/", views.axis_update, name="axis_update"),
    path("axes/<int:axis_pk>/objectifs/nouveau/", views.objective_create, name="objective_create"),
    path("objectifs/<int:pk>/modifier/", views.objective_update, name="objective_update"),
    path("objectifs/<int:pk>/texte/", views.objective_fragment, name="objective_fragment"),
    path("deplacer/<str:model>/<int:pk>/<str:direction>/", views.plan_object_move, name="plan_object_move"),
]
