from django import forms
from django.utils import timezone

from network.models import Structure
from toolkit.autocomplete import AutocompleteSelect, AutocompleteSelectMultiple
from toolkit.numbers import FrenchDecimalField

from .definitions import DEFINITION_FIELDS
from .models import Indicator, Measurement, period_validator


class MeasurementForm(forms.ModelForm):
    """A value for one indicator. Directors choose among their structures; staff may leave it
    empty (the whole network)."""

    class Meta:
        model = Measurement
        fields = ["period", "structure", "value", "text", "source", "comment", "evidence"]
        help_texts = {"period": "2024, 2024-S1 (semestre), 2024-T2 (trimestre) ou 2024-M03 (mois)."}

    value = FrenchDecimalField(
        label="Valeur", required=False, help_text="Un nombre, écrit comme d’habitude : 1 200 ou 12,5."
    )

    def __init__(self, *args, user, may_report_for_network: bool, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator is not None and indicator.is_count:
            value = self.fields["value"]
            value.count, value.unit = True, indicator.unit
            value.help_text = f"Un nombre entier de {indicator.unit}, sans décimales : 1 200, par exemple."
        structures = Structure.objects.order_by("name")
        if not may_report_for_network:
            structures = structures.filter(directors=user)
        field = self.fields["structure"]
        if may_report_for_network:
            # Any of the network's thousands of structures: searched as typed (toolkit.autocomplete).
            field.widget = AutocompleteSelect("autocomplete_structures", placeholder="Ensemble du réseau")
        field.queryset = structures
        field.required = not may_report_for_network
        field.empty_label = "Ensemble du réseau" if may_report_for_network else None
        self.fields["period"].validators = [period_validator]
        self.fields["period"].initial = str(timezone.localdate().year - 1)

    def clean(self):
        data = super().clean()
        if data.get("value") is None and not (data.get("text") or "").strip():
            raise forms.ValidationError("Indiquez une valeur chiffrée ou une valeur qualitative.")
        return data

    def _post_clean(self):
        # The service validates the model (uniqueness is an update, not an error).
        pass


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Motif du renvoi", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=True
    )


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)", help_text="Colonnes : structure, indicateur, période, valeur."
    )
    validate = forms.BooleanField(label="Valider directement les valeurs importées", required=False, initial=False)


class ObservatoryImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)",
        help_text="Une ligne par structure et par année : structure, année, habitants touchés, bénévoles, "
        "salariés, budget, partenaires.",
    )
    create_structures = forms.BooleanField(
        label="Créer les structures inconnues",
        required=False,
        help_text="Une structure dont le nom ne correspond à aucune structure existante est créée "
        "(type « Centre social », à compléter ensuite).",
    )

    def __init__(self, *args, may_create_structures: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_create_structures:
            # A disabled field ignores whatever is posted: a forged form cannot create structures.
            field = self.fields["create_structures"]
            field.disabled = True
            field.help_text = "Réservé aux comptes qui importent la liste des structures (administrateurs)."


class IndicatorForm(forms.ModelForm):
    """Every field of an indicator's definition (issue 14); `version` is the one the page was
    read at, checked when saving (axes.services.versioned_update)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    baseline = FrenchDecimalField(label="Valeur de référence", required=False)

    class Meta:
        model = Indicator
        fields = [*DEFINITION_FIELDS, "objectives", "actions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.SelectMultiple(attrs={"size": 8}),
            # Among the network's thousands of actions: searched as typed (toolkit.autocomplete).
            "actions": AutocompleteSelectMultiple("autocomplete_actions"),
        }
        help_texts = {
            "baseline_period": "2024, 2024-S1 (semestre), 2024-T2 (trimestre) ou 2024-M03 (mois).",
            "objectives": "Ctrl (ou Cmd sur Mac) + clic pour en choisir plusieurs.",
            "actions": "Tapez quelques lettres de l’intitulé ; plusieurs actions peuvent être choisies.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from actions.models import Action
        from axes.models import Objective

        self.fields["objectives"].queryset = Objective.objects.select_related("axis").order_by("axis__order", "order")
        self.fields["objectives"].label_from_instance = lambda objective: f"{objective.axis.title} · {objective}"
        self.fields["actions"].queryset = Action.objects.order_by("title")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class ClassificationEntryForm(forms.ModelForm):
    """One entry of the value chain stages or impact dimensions (the model is chosen by the formset)."""

    class Meta:
        fields = ["order", "code", "name", "description"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
            "code": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "description": forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        }


class TargetPasteForm(forms.Form):
    paste = forms.CharField(
        label="Coller depuis un tableur",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=100_000,
        help_text="Copiez le tableau dans le tableur, titres compris : une première ligne « Période », « Réseau » "
        "puis les noms des structures ; une ligne par période. Les nombres s’écrivent comme d’habitude (1 200,5).",
    )
