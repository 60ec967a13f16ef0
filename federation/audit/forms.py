"""The audit page's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from toolkit.autocomplete import AutocompleteSelect

from ..models import SecurityEvent
from .selectors import tracked_models

# Without a start date, the audit reads the last DEFAULT_DAYS days (the history tables are large).
DEFAULT_DAYS = 30


def account_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return account_label(user)


class AuditFilterForm(forms.Form):
    personne = PersonChoiceField(
        queryset=get_user_model()._default_manager.order_by("last_name", "first_name", "username"),
        required=False,
        label="Personne",
        empty_label="Tout le monde",
        # Thousands of accounts at national scale: only the chosen one is written in the page,
        # the others are searched as the administrator types (toolkit.autocomplete).
        widget=AutocompleteSelect("autocomplete_accounts", attrs={"class": "form-select"}),
    )
    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label="Au (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    objet = forms.ChoiceField(label="Type d’objet", required=False, widget=forms.Select(attrs={"class": "form-select"}))
    evenement = forms.ChoiceField(
        label="Événement",
        required=False,
        choices=[("", "Tous"), *SecurityEvent.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objet"].choices = [("", "Tous")] + [
            (label, str(model._meta.verbose_name).capitalize()) for label, model in tracked_models().items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["au"] < data["du"]:
            raise forms.ValidationError("La date de fin précède la date de début.")
        return data

    def period(self) -> tuple[datetime.datetime, datetime.datetime | None]:
        """[since, until) as aware datetimes; since defaults to DEFAULT_DAYS days ago."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        start = data.get("du") or today - datetime.timedelta(days=DEFAULT_DAYS)
        since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        until = None
        if data.get("au"):
            until = timezone.make_aware(
                datetime.datetime.combine(data["au"] + datetime.timedelta(days=1), datetime.time.min)
            )
        return since, until

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None
