from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .api import views as api
from .views import manage, pages

app_name = "publication"

router = SimpleRouter()
router.register("plans", api.PlanViewSet, basename="api_plan")
router.register("axes", api.AxisViewSet, basename="api_axis")
router.register("objectives", api.ObjectiveViewSet, basename="api_objective")
router.register("actions", api.ActionViewSet, basename="api_action")
router.register("indicators", api.IndicatorViewSet, basename="api_indicator")
router.register("values", api.NetworkValueViewSet, basename="api_value")
router.register("structure-values", api.StructureValueViewSet, basename="api_structure_value")


def _public(patterns):
    """The API answers without login (the middleware's default is to ask for one)."""
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns


urlpatterns = [
    path("public/", pages.home, name="home"),
    path("public/synthese/", pages.summary, name="summary"),
    path("public/axes/<int:pk>-<slug:slug>/", pages.axis_detail, name="axis_detail"),
    path("public/donnees/", pages.data_dictionary, name="data_dictionary"),
    path("public/donnees/<slug:dataset>.<str:fmt>", pages.data_export, name="data_export"),
    path("public/gestion/", manage.publication_overview, name="publication_overview"),
    path("public/gestion/indicateurs/<int:pk>/", manage.indicator_publication, name="indicator_publication"),
    path("public/gestion/jetons/", manage.token_list, name="token_list"),
    path("public/gestion/jetons/<int:pk>/revoquer/", manage.token_revoke, name="token_revoke"),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api_schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="publication:api_schema")),
        name="api_docs",
    ),
    path("api/v1/", include(_public(router.urls))),
    # Unnamed on purpose: not a resource (the permission matrix lists named routes), only the
    # API's own 404 in JSON for any other address under /api/.
    re_path(r"^api/(?P<rest>.*)$", api.not_found),
]
