import django_filters
from django import forms

from actions.models import Action
from axes.models import Axis, Objective
from indicators.models import Indicator, Measurement


class IdFilter(django_filters.NumberFilter):
    """A whole number a database column can hold: anything larger is a 400, never a 500
    (SQLite raised OverflowError on « plan=-3318687779970561867776 », found by Schemathesis)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class AxisFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="chapter__plan", help_text="Identifiant du projet.")

    class Meta:
        model = Axis
        fields = ["plan"]


class ObjectiveFilter(django_filters.FilterSet):
    axis = IdFilter(field_name="axis", help_text="Identifiant de l’axe.")
    plan = IdFilter(field_name="axis__chapter__plan", help_text="Identifiant du projet.")

    class Meta:
        model = Objective
        fields = ["axis", "plan"]


class ActionFilter(django_filters.FilterSet):
    axis = IdFilter(field_name="axis", help_text="Identifiant de l’axe.")
    plan = IdFilter(field_name="axis__chapter__plan", help_text="Identifiant du projet.")
    objective = IdFilter(field_name="objectives", help_text="Identifiant d’un objectif servi.")
    year = IdFilter(method="filter_year", min_value=1900, max_value=2200, help_text="Actions menées cette année-là.")

    class Meta:
        model = Action
        fields = ["axis", "status", "plan", "objective", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.active_in_year(int(value))


class IndicatorFilter(django_filters.FilterSet):
    stage = django_filters.CharFilter(field_name="stage__code", help_text="Code de l’étape de la chaîne de valeur.")
    dimension = django_filters.CharFilter(field_name="dimension__code", help_text="Code de la dimension d’impact.")
    objective = IdFilter(field_name="objectives", help_text="Identifiant d’un objectif évalué.")

    class Meta:
        model = Indicator
        fields = ["stage", "dimension", "objective", "code"]


class StructureValueFilter(django_filters.FilterSet):
    class Meta:
        model = Measurement
        fields = ["indicator", "period"]
