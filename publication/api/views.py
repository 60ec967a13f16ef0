"""The open API, read-only: anonymous requests read what is published, a partner's token the
whole plan; nobody reads an unvalidated value or a person (publication.selectors)."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.http import conditional_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, pagination, viewsets
from rest_framework.exceptions import ValidationError

from actions.models import ActionPartner
from actions.selectors import actions_with_progress
from indicators.models import PERIOD_RE, Indicator

from .. import selectors
from ..selectors import last_change
from . import filters, serializers
from .auth import scope_of


class Pages(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


@method_decorator(conditional_page, name="dispatch")
class ApiViewSet(viewsets.GenericViewSet):
    """Every answer carries Last-Modified and an ETag, and a 304 when the client has it already."""

    pagination_class = Pages
    lookup_value_regex = "[0-9]+"

    @property
    def scope(self):
        return scope_of(self.request)

    @property
    def reading_schema(self) -> bool:
        """drf-spectacular builds the schema from the views: no data to read then."""
        return getattr(self, "swagger_fake_view", False)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["Last-Modified"] = http_date(last_change().timestamp())
            # Anonymous and partner answers differ for the same address.
            patch_vary_headers(response, ["Authorization"])
        return response


class ReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ApiViewSet):
    pass


class ProgressContextMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.reading_schema:
            return context
        plans = selectors.visible_plans(self.scope)
        context["progress"] = selectors.object_progress(plans.values_list("pk", flat=True))
        return context


@extend_schema_view(list=extend_schema(summary="Projets"), retrieve=extend_schema(summary="Un projet"))
class PlanViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return selectors.visible_plans(self.scope).order_by("pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.reading_schema:
            return context
        plans = list(self.get_queryset().values_list("pk", flat=True))
        context["progress"] = selectors.object_progress(plans)
        context["axis_plan"] = dict(
            selectors.visible_axes(selectors.PARTNER).filter(chapter__plan__in=plans).values_list("pk", "chapter__plan")
        )
        return context


@extend_schema_view(list=extend_schema(summary="Axes"), retrieve=extend_schema(summary="Un axe"))
class AxisViewSet(ProgressContextMixin, ReadOnlyViewSet):
    serializer_class = serializers.AxisSerializer
    filterset_class = filters.AxisFilter

    def get_queryset(self):
        return (
            selectors.visible_axes(self.scope)
            .select_related("chapter")
            .order_by("chapter__plan", "chapter__order", "order", "pk")
        )


@extend_schema_view(list=extend_schema(summary="Objectifs"), retrieve=extend_schema(summary="Un objectif"))
class ObjectiveViewSet(ProgressContextMixin, ReadOnlyViewSet):
    serializer_class = serializers.ObjectiveSerializer
    filterset_class = filters.ObjectiveFilter

    def get_queryset(self):
        return selectors.visible_objectives(self.scope).order_by(
            "axis__chapter__plan", "axis__chapter__order", "axis__order", "order", "pk"
        )


@extend_schema_view(list=extend_schema(summary="Actions"), retrieve=extend_schema(summary="Une action"))
class ActionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return (
            actions_with_progress(selectors.visible_actions(self.scope))
            .prefetch_related(
                Prefetch("objectives", queryset=selectors.visible_objectives(self.scope)),
                Prefetch("partner_links", queryset=ActionPartner.objects.select_related("partner").order_by("pk")),
            )
            .order_by("axis__chapter__plan", "axis__chapter__order", "axis__order", "order", "pk")
        )


@extend_schema_view(list=extend_schema(summary="Indicateurs"), retrieve=extend_schema(summary="Un indicateur"))
class IndicatorViewSet(ReadOnlyViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        return (
            selectors.visible_indicators(self.scope)
            .select_related("stage", "dimension")
            .prefetch_related(
                Prefetch("objectives", queryset=selectors.visible_objectives(self.scope)),
                Prefetch("actions", queryset=selectors.visible_actions(self.scope)),
            )
            .order_by("name", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Valeurs du réseau",
        description="Le chiffre du réseau de chaque indicateur visible, par période, calculé à partir des seules "
        "valeurs validées, avec sa couverture et sa cible.",
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.INT, description="Identifiant de l’indicateur."),
            OpenApiParameter("period", OpenApiTypes.STR, description="Période (2024, 2024-S1, 2024-T2, 2024-M03)."),
        ],
    )
)
class NetworkValueViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = serializers.NetworkValueSerializer

    def get_queryset(self):
        if self.reading_schema:  # a list has no model for drf-spectacular to read
            return Indicator.objects.none()
        indicators = selectors.visible_indicators(self.scope).order_by("name", "pk")
        indicator = self.request.query_params.get("indicator")
        if indicator is not None:
            if not indicator.isdigit() or len(indicator) > 18:
                raise ValidationError({"indicator": ["Un identifiant d’indicateur (nombre entier) est attendu."]})
            indicators = indicators.filter(pk=int(indicator))
        values = selectors.network_values_of(list(indicators))
        period = self.request.query_params.get("period")
        if period is not None:
            if not PERIOD_RE.match(period):
                raise ValidationError({"period": ["Période invalide : 2024, 2024-S1, 2024-T2 ou 2024-M03."]})
            values = [value for value in values if value.period == period]
        return values


@extend_schema_view(
    list=extend_schema(
        summary="Chiffres publiés des structures",
        description="Les valeurs validées des seules structures dont l’équipe fédérale a publié le chiffre pour "
        "cet indicateur.",
    ),
    retrieve=extend_schema(summary="Un chiffre publié d’une structure"),
)
class StructureValueViewSet(ReadOnlyViewSet):
    serializer_class = serializers.StructureValueSerializer
    filterset_class = filters.StructureValueFilter

    def get_queryset(self):
        return (
            selectors.published_structure_values(self.scope)
            .select_related("structure")
            .order_by("indicator_id", "period", "structure__name", "pk")
        )


@login_not_required
def not_found(request, rest: str = ""):
    """Any other address under /api/: a JSON 404, as the API always answers (never the site's HTML page)."""
    return JsonResponse({"detail": "Cette adresse n’existe pas dans l’API."}, status=404)
