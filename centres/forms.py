from django import forms
from django.core.exceptions import ValidationError

from indicators.models import Measurement


class MeasurementEntryForm(forms.Form):
    """A structure's value for one indicator and period, entered by its director."""

    value = forms.DecimalField(
        label="Valeur",
        required=False,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text="Un nombre (virgule pour les décimales).",
    )
    text = forms.CharField(
        label="Valeur qualitative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Pour un indicateur qui ne se chiffre pas.",
    )
    comment = forms.CharField(
        label="Commentaire pour l'équipe fédérale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("value") is None and not (data.get("text") or "").strip() and not self.errors:
            raise ValidationError("Indiquez une valeur chiffrée ou une valeur qualitative.")
        return data

    @classmethod
    def for_measurement(cls, measurement: Measurement | None, data=None):
        initial = {}
        if measurement is not None:
            initial = {
                "value": measurement.value,
                "text": measurement.text,
                "comment": measurement.comment,
            }
        return cls(data=data, initial=initial)


class ReportingFilterForm(forms.Form):
    periode = forms.CharField(
        label="Période",
        required=False,
        max_length=10,
        help_text="Vide : la dernière période échue de chaque indicateur. Sinon 2024, 2024-S1, 2024-T2…",
    )

    def clean_periode(self):
        from indicators.models import period_validator

        value = (self.cleaned_data.get("periode") or "").strip().upper()
        if value:
            period_validator(value)
        return value
