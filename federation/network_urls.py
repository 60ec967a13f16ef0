from django.urls import path

from . import network

app_name = "network"

urlpatterns = [
    path("", network.territory_list, name="territory_list"),
    path("territoires/<int:pk>/", network.territory_detail, name="territory_detail"),
    path("structures/", network.structure_list, name="structure_list"),
    path("structures/<int:pk>/", network.structure_detail, name="structure_detail"),
]
