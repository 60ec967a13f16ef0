"""The forms of « Mon centre » (a value to report), of the reporting status, and of the
participations (a structure offers to take part in an action; staff decide)."""

from django import forms
from django.core.exceptions import ValidationError

from actions.models import Action
from indicators.models import Indicator, Measurement, period_validator
from network.models import Structure
from toolkit.autocomplete import AutocompleteSelect
from toolkit.numbers import FrenchDecimalField

from .services import JOINABLE_STATUSES


class MeasurementEntryForm(forms.Form):
    """A structure's value for one indicator and period, entered by its director."""

    value = FrenchDecimalField(
        label="Valeur",
        required=False,
        help_text="Un nombre, écrit comme d’habitude : 1 200 ou 12,5.",
    )
    text = forms.CharField(
        label="Valeur qualitative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Pour un indicateur qui ne se chiffre pas.",
    )
    comment = forms.CharField(
        label="Commentaire pour l’équipe fédérale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator is not None and indicator.is_count:
            field = self.fields["value"]
            field.count, field.unit = True, indicator.unit
            field.widget.attrs["inputmode"] = "numeric"
            field.help_text = f"Un nombre entier de {indicator.unit}, sans décimales : 1 200, par exemple."

    def clean(self):
        data = super().clean()
        if data.get("value") is None and not (data.get("text") or "").strip() and not self.errors:
            raise ValidationError("Indiquez une valeur chiffrée ou une valeur qualitative.")
        return data

    @classmethod
    def for_measurement(cls, measurement: Measurement | None, data=None, *, indicator: Indicator | None = None):
        initial = {}
        if measurement is not None:
            initial = {
                "value": measurement.value,
                "text": measurement.text,
                "comment": measurement.comment,
            }
        return cls(data=data, initial=initial, indicator=indicator)


class ReportingFilterForm(forms.Form):
    periode = forms.CharField(
        label="Période",
        required=False,
        max_length=10,
        help_text="Vide : la dernière période échue de chaque indicateur. Sinon 2024, 2024-S1, 2024-T2…",
    )

    def clean_periode(self):
        value = (self.cleaned_data.get("periode") or "").strip().upper()
        if value:
            period_validator(value)
        return value


# ---------------------------------------------------------------- participations


class StructureNameField(forms.ModelChoiceField):
    """A structure typed by name (case ignored) or by number: staff speak for any of the
    network's thousands of structures, too many for a <select>."""

    def to_python(self, value):
        value = str(value or "").strip()
        if not value or value.isdigit():
            return super().to_python(value)
        found = self.queryset.filter(name__iexact=value).first()  # names are unique, case ignored
        if found is None:
            raise ValidationError("Aucune structure ne porte ce nom.", code="invalid_choice")
        return found


class ParticipationForm(forms.Form):
    """A structure offers to take part in an action.

    The structure field accepts any structure, so that a forged id reaches the view's
    access check (403) rather than passing as a mere form error; the page lists only
    the user's own structures.
    """

    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.all(), empty_label=None)
    action = forms.ModelChoiceField(
        label="Action",
        queryset=Action.objects.filter(status__in=JOINABLE_STATUSES)
        .select_related("axis")
        .order_by("axis__order", "order", "pk"),
        empty_label="— Choisissez une action —",
    )
    contribution = forms.CharField(
        label="Ce que votre centre fait pour cette action",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, own_structures=None, typed_structure=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Thousands of open actions at national scale: searched as typed, only the chosen one
        # written in the page (toolkit.autocomplete).
        self.fields["action"].widget = AutocompleteSelect("autocomplete_actions", query="ouvertes=1")
        self.fields["action"].widget.choices = self.fields["action"].choices
        if typed_structure:
            # Staff speak for any of the network's thousands of structures: searched as typed
            # (a name typed without the script, or a number, is accepted too).
            self.fields["structure"] = StructureNameField(
                label="Structure",
                queryset=Structure.objects.all(),
                widget=AutocompleteSelect("autocomplete_structures"),
                help_text="Tapez une partie de son nom.",
            )
        elif own_structures is not None and not self.is_bound:
            self.fields["structure"].queryset = own_structures


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accepter"), ("decline", "Décliner")])
    note = forms.CharField(
        label="Motif",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# ---------------------------------------------------------------- reminders


class ReminderForm(forms.Form):
    """Which reminders « Qui a transmis » prepares: one structure's, or every late one's; one
    period, or every period that is over."""

    periode = forms.CharField(label="Période", required=False, max_length=10)
    structure = forms.ModelChoiceField(label="Structure", queryset=Structure.objects.all(), required=False)

    def clean_periode(self):
        value = (self.cleaned_data.get("periode") or "").strip().upper()
        if value:
            period_validator(value)
        return value
