from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from axes.document import DocumentError, decode_document, parse_plan_document
from axes.forms import VersionedModelForm
from axes.models import Axis, Objective
from federation.models import Partner

from .models import Action, ActionPartner, Continuation, Milestone, Update

MAX_DOCUMENT_SIZE = 2 * 1024 * 1024


class PlanImportForm(forms.Form):
    document = forms.FileField(
        label="Document du projet fédéral",
        help_text="Fichier texte (.txt), en UTF-8 ou exporté de Word (Windows-1252). 2 Mo au plus.",
    )
    plan_title = forms.CharField(
        label="Projet fédéral",
        required=False,
        max_length=200,
        help_text="Titre du projet à créer ou à mettre à jour. Par défaut : « Projet fédéral ».",
    )

    def clean_document(self) -> str:
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_SIZE:
            raise ValidationError("Le fichier dépasse 2 Mo : est-ce bien le document du projet fédéral ?")
        try:
            text = decode_document(upload.read())
            parse_plan_document(text)
        except DocumentError as error:
            raise ValidationError(str(error)) from error
        return text


def _plan_objectives(axis: Axis):
    return Objective.objects.filter(axis__chapter__plan_id=axis.chapter.plan_id).select_related("axis")


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.axis.title} — {obj}"


class ActionForm(VersionedModelForm):
    objectives = ObjectiveChoiceField(
        label="Objectifs servis",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "start_year",
            "end_year",
            "lead_person",
            "objectives",
            "structures",
            "progress",
            "weight",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "structures": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, axis: Axis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = _plan_objectives(axis)
        self.fields["lead_person"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        )
        self.fields["lead_person"].label_from_instance = lambda user: user.get_full_name() or user.username


class ActionCreateForm(ActionForm):
    status = forms.ChoiceField(
        label="Statut",
        choices=[
            (Action.Status.PLANNED, "Planifiée"),
            (Action.Status.LEAD, "Piste d'action"),
        ],
        initial=Action.Status.PLANNED,
    )


class UpdateForm(forms.ModelForm):
    """A journal entry; the status list holds only the moves the lifecycle allows."""

    class Meta:
        model = Update
        fields = ["text", "new_status", "new_progress"]
        labels = {
            "text": "Ce qui s'est passé",
            "new_status": "Nouveau statut",
            "new_progress": "Avancement (%)",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Action.Status.choices)
        self.fields["new_status"].choices = [("", "Inchangé")] + [
            (status, labels[status]) for status in Action.TRANSITIONS[action.status]
        ]
        self.fields["new_progress"].help_text = "Facultatif. Ignoré quand l'action a des jalons."


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ActionPartnerForm(forms.ModelForm):
    class Meta:
        model = ActionPartner
        fields = ["partner", "role"]
        help_texts = {"role": "Par exemple : co-portage, partenariat, financement."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")

    def validate_unique(self):
        pass  # the service updates the role of a partner already linked


class ContinuationForm(forms.ModelForm):
    objective = forms.ModelChoiceField(label="Objectif du projet actuel", queryset=Objective.objects.none())

    class Meta:
        model = Continuation
        fields = ["objective", "outcome", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda obj: f"{obj.axis.title} — {obj}"

    def validate_unique(self):
        pass  # the service updates an existing link


class TrashForm(forms.Form):
    move_actions_to = forms.ModelChoiceField(
        label="Déplacer ses actions vers l'axe",
        queryset=Axis.objects.none(),
        required=False,
        help_text="Obligatoire quand des actions y sont encore rattachées : elles ne sont jamais supprimées avec l'axe.",
    )

    def __init__(self, *args, axes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_actions_to"].queryset = axes
