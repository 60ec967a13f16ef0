from django import forms

from indicators.models import Indicator
from network.models import Structure


class PartnerTokenForm(forms.Form):
    name = forms.CharField(
        label="Partenaire",
        max_length=200,
        help_text="Le nom de l’organisation à qui le jeton est remis (par exemple « Caf de la Drôme »), jamais une personne.",
    )


class IndicatorPublicationForm(forms.ModelForm):
    """Publish an indicator, and the structures whose own validated figure it publishes (only
    structures that have a validated value of it are offered)."""

    class Meta:
        model = Indicator
        fields = ["is_published", "published_structures"]
        widgets = {"published_structures": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reporting = Structure.objects.filter(
            measurements__indicator=self.instance, measurements__status="validated"
        ).distinct()
        self.fields["published_structures"].queryset = (
            (Structure.objects.filter(pk__in=reporting.values("pk")) | self.instance.published_structures.all())
            .distinct()
            .order_by("name")
        )
