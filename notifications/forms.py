from django import forms

from .models import DAILY_KINDS, Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind: at once, daily digest, or never."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = Delivery.choices
            if kind in DAILY_KINDS:  # made once a day: « tout de suite » would mean the same
                choices = [(Delivery.DIGEST.value, Delivery.DIGEST.label), (Delivery.NEVER.value, Delivery.NEVER.label)]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=choices, initial=current.get(kind.value), widget=forms.RadioSelect
            )
