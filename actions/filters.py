"""Filters of the action list (django-filter)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from axes.models import Axis, Objective
from network.models import Partner, Structure

from .forms import BootstrapForm, PlainSelect
from .models import Action, ActionPartner


class NameInput(forms.TextInput):
    """A text input, optionally with a <datalist> of suggestions (computed when rendered)."""

    def __init__(self, *args, datalist_id=None, suggestions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.datalist_id = datalist_id
        self.suggestions = suggestions

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        if self.datalist_id:
            attrs["list"] = self.datalist_id
        return super().get_context(name, value, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.datalist_id:
            return html
        # Hundreds of suggestions: escape() in a join is several times faster than format_html_join.
        options = mark_safe("".join(f'<option value="{escape(s)}"></option>' for s in self.suggestions()))
        return format_html('{}<datalist id="{}">{}</datalist>', html, self.datalist_id, options)


def _by_id_or_name(queryset, field_name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    if value.isdecimal():
        return queryset.filter(**{field_name: int(value)}).distinct()
    return queryset.filter(**{f"{field_name}__name__icontains": value}).distinct()


class ActionFilter(django_filters.FilterSet):
    axis = django_filters.ModelChoiceFilter(
        label="Axe",
        empty_label="Tous les axes",
        widget=PlainSelect,
        queryset=Axis.objects.select_related("chapter").order_by("chapter__plan", "chapter__order", "order"),
    )
    objectives = django_filters.ModelChoiceFilter(
        label="Objectif",
        empty_label="Tous les objectifs",
        widget=PlainSelect,
        queryset=Objective.objects.order_by("axis__chapter__order", "axis__order", "order"),
    )
    status = django_filters.MultipleChoiceFilter(
        label="Statut",
        choices=Action.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    # Partners and structures are counted in hundreds and thousands at national scale: a
    # <select> listing them all made the page weigh 370 kB. A text input matched by name
    # (a number is taken as the id, which is what the search page links to) instead; the
    # partners that take part in actions are offered as suggestions through a <datalist>.
    partner = django_filters.CharFilter(
        label="Partenaire",
        method="filter_partner",
        help_text="Nom ou partie du nom.",
        widget=NameInput(
            datalist_id="partner-suggestions",
            suggestions=lambda: (
                Partner.objects.filter(Exists(ActionPartner.objects.filter(partner=OuterRef("pk"))))
                .order_by("name")
                .values_list("name", flat=True)
                .distinct()
            ),
        ),
    )
    structure = django_filters.CharFilter(
        label="Structure",
        method="filter_structure",
        help_text="Nom ou partie du nom.",
        widget=NameInput(),
    )
    year = django_filters.NumberFilter(label="Année", method="filter_year", min_value=1900, max_value=2200)
    lead_person = django_filters.ModelChoiceFilter(
        label="Personne référente",
        empty_label="Toutes les personnes",
        widget=PlainSelect,
        # EXISTS rather than a join made DISTINCT: half the time at national scale.
        queryset=get_user_model()
        .objects.filter(Exists(Action._base_manager.filter(lead_person=OuterRef("pk"))))
        .order_by("first_name", "last_name"),
    )
    overdue = django_filters.BooleanFilter(
        label="Jalons en retard", method="filter_overdue", widget=forms.CheckboxInput
    )
    a_mettre_a_jour = django_filters.BooleanFilter(
        label="À mettre à jour",
        method="filter_to_update",
        widget=forms.CheckboxInput,
        help_text="En cours, sans entrée au journal depuis 90 jours ou avec un jalon dépassé.",
    )
    sort = django_filters.OrderingFilter(
        label="Trier par",
        empty_label="Ordre du projet",
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
        form = BootstrapForm
        fields = [
            "axis",
            "objectives",
            "status",
            "partner",
            "structure",
            "year",
            "lead_person",
            "overdue",
            "a_mettre_a_jour",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objectives"].field.label_from_instance = lambda obj: str(obj)
        self.filters["lead_person"].field.label_from_instance = lambda user: user.get_full_name() or user.username
        # A link from the search page carries an id: say whose it is.
        for key, model in (("partner", Partner), ("structure", Structure)):
            value = (self.data or {}).get(key, "")
            if isinstance(value, str) and value.strip().isdecimal():
                name = model.objects.filter(pk=int(value)).values_list("name", flat=True).first()
                self.filters[key].extra["help_text"] = f"n° {value} : {name}" if name else "Aucune fiche à ce numéro."

    def filter_partner(self, queryset, name, value):
        return _by_id_or_name(queryset, "partners", value)

    def filter_structure(self, queryset, name, value):
        return _by_id_or_name(queryset, "structures", value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in_year(int(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.with_overdue_milestones() if value else queryset

    def filter_to_update(self, queryset, name, value):
        return queryset.to_update() if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("axis__chapter__order", "axis__order", "order", "pk")
        return queryset
