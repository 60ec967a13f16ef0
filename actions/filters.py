"""Filters of the action list (django-filter)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from axes.models import Axis, Objective
from federation.models import Partner, Structure

from .models import Action


class ActionFilter(django_filters.FilterSet):
    axis = django_filters.ModelChoiceFilter(
        label="Axe",
        queryset=Axis.objects.select_related("chapter").order_by("chapter__plan", "chapter__order", "order"),
    )
    objectives = django_filters.ModelChoiceFilter(
        label="Objectif",
        queryset=Objective.objects.order_by("axis__chapter__order", "axis__order", "order"),
    )
    status = django_filters.MultipleChoiceFilter(
        label="Statut",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    partner = django_filters.ModelChoiceFilter(
        label="Partenaire",
        field_name="partners",
        queryset=Partner.objects.order_by("name"),
        distinct=True,
    )
    structure = django_filters.ModelChoiceFilter(
        label="Structure",
        field_name="structures",
        queryset=Structure.objects.order_by("name"),
        distinct=True,
    )
    year = django_filters.NumberFilter(label="Année", method="filter_year", min_value=1900, max_value=2200)
    lead_person = django_filters.ModelChoiceFilter(
        label="Personne référente",
        queryset=get_user_model()
        .objects.filter(led_actions__isnull=False)
        .distinct()
        .order_by("first_name", "last_name"),
    )
    overdue = django_filters.BooleanFilter(
        label="Jalons en retard", method="filter_overdue", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label="Trier par",
        fields=(
            ("title", "title"),
            ("status", "status"),
            ("start_year", "start_year"),
            ("axis__order", "axis"),
            ("lead_person__last_name", "lead_person"),
        ),
        field_labels={
            "title": "Intitulé",
            "status": "Statut",
            "start_year": "Année de début",
            "axis__order": "Axe",
            "lead_person__last_name": "Personne référente",
        },
    )

    class Meta:
        model = Action
        fields = [
            "axis",
            "objectives",
            "status",
            "partner",
            "structure",
            "year",
            "lead_person",
            "overdue",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objectives"].field.label_from_instance = lambda obj: str(obj)
        self.filters["lead_person"].field.label_from_instance = lambda user: user.get_full_name() or user.username

    def filter_year(self, queryset, name, value):
        return queryset.active_in_year(int(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.with_overdue_milestones() if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("axis__chapter__order", "axis__order", "order", "pk")
        return queryset
