"""What the API says of each object: no person, no comment, no journal text, no unvalidated value."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action
from axes.models import Axis, Objective, Plan
from indicators.models import Indicator, Measurement, period_label


def _progress(value):
    return None if value is None else round(value, 1)


class ProgressMixin(serializers.Serializer):
    progress = serializers.SerializerMethodField(
        help_text="Avancement calculé, en % (0 à 100) ; null si rien ne le mesure."
    )

    kind = ""

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_progress(self, obj):
        return _progress(self.context["progress"][self.kind].get(obj.pk))


class PlanSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text="Moyenne de l’avancement de ses axes, en %.")
    period = serializers.CharField(source="period_label", help_text="« 2022–2026 », « depuis 2022 », ou vide.")

    class Meta:
        model = Plan
        fields = ["id", "title", "start_year", "end_year", "period", "status", "progress"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_progress(self, obj):
        known = [
            value
            for axis_id, value in self.context["progress"]["axes"].items()
            if value is not None and self.context["axis_plan"].get(axis_id) == obj.pk
        ]
        return _progress(sum(known) / len(known)) if known else None


class AxisSerializer(ProgressMixin, serializers.ModelSerializer):
    kind = "axes"
    plan = serializers.IntegerField(source="chapter.plan_id", help_text="Identifiant du projet.")
    chapter = serializers.CharField(source="chapter.title", help_text="Titre du chapitre.")

    class Meta:
        model = Axis
        fields = ["id", "plan", "chapter", "order", "title", "slug", "context", "stakes", "progress"]


class ObjectiveSerializer(ProgressMixin, serializers.ModelSerializer):
    kind = "objectives"

    class Meta:
        model = Objective
        fields = ["id", "axis", "order", "text", "progress"]


class ActionSerializer(serializers.ModelSerializer):
    objectives = serializers.SerializerMethodField(help_text="Identifiants des objectifs (visibles) qu’elle sert.")
    partners = serializers.SerializerMethodField(help_text="Organisations partenaires et leur rôle.")
    progress = serializers.FloatField(source="computed_progress", help_text="Avancement en % (0 à 100).")

    class Meta:
        model = Action
        fields = [
            "id",
            "axis",
            "title",
            "description",
            "status",
            "start_year",
            "end_year",
            "progress",
            "objectives",
            "partners",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_objectives(self, obj):
        return sorted(objective.pk for objective in obj.objectives.all())

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField(allow_blank=True)))
    )
    def get_partners(self, obj):
        return [{"name": link.partner.name, "role": link.role} for link in obj.partner_links.all()]


class IndicatorSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="stage.name", default=None, allow_null=True)
    dimension = serializers.CharField(source="dimension.name", default=None, allow_null=True)
    objectives = serializers.SerializerMethodField(help_text="Identifiants des objectifs (visibles) qu’il évalue.")
    actions = serializers.SerializerMethodField(help_text="Identifiants des actions (visibles) qu’il évalue.")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "aggregation",
            "frequency",
            "source",
            "baseline",
            "baseline_period",
            "stage",
            "dimension",
            "objectives",
            "actions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_objectives(self, obj):
        return sorted(objective.pk for objective in obj.objectives.all())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_actions(self, obj):
        return sorted(action.pk for action in obj.actions.all())


class CoverageSerializer(serializers.Serializer):
    reported = serializers.IntegerField(help_text="Structures attendues dont la valeur validée est comptée.")
    expected = serializers.IntegerField(help_text="Structures attendues.")
    others = serializers.IntegerField(help_text="Structures non attendues dont la valeur validée est comptée aussi.")
    network_entered = serializers.BooleanField(help_text="Le chiffre a été saisi pour le réseau entier.")
    label = serializers.CharField(help_text="« 14 structures sur 20 », « saisie pour le réseau »…")


class NetworkValueSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    period = serializers.CharField()
    period_label = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    coverage = CoverageSerializer(allow_null=True)


class StructureValueSerializer(serializers.ModelSerializer):
    structure = serializers.CharField(source="structure.name", help_text="Nom de la structure.")
    period_label = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "period", "period_label", "structure", "value"]

    def get_period_label(self, obj) -> str:
        return period_label(obj.period)
