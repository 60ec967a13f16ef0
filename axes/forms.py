"""Forms for the plan's structure. Every edit form carries the version it started from."""

from django import forms

from .models import Axis, Chapter, Objective, Plan


class VersionedModelForm(forms.ModelForm):
    """A model form that remembers the object's version (optimistic locking) and asks why.

    The view passes `version` and `reason` to the service; on a conflict it calls
    `accept_current_version` so that saving again, deliberately, goes through.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Motif de la modification",
        required=False,
        max_length=100,
        help_text="Facultatif ; il apparaîtra dans l’historique.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def accept_current_version(self, version: int) -> None:
        self.data = self.data.copy()
        self.data["version"] = str(version)

    def model_data(self) -> dict:
        """The cleaned values of the model's own (non many-to-many) fields."""
        m2m = {f.name for f in self._meta.model._meta.many_to_many}
        return {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields and name not in m2m
        }


class PlanForm(VersionedModelForm):
    class Meta:
        model = Plan
        fields = ["title", "start_year", "end_year", "status", "previous"]


class ChapterForm(VersionedModelForm):
    class Meta:
        model = Chapter
        fields = ["title"]


class AxisForm(VersionedModelForm):
    class Meta:
        model = Axis
        fields = [
            "title",
            "context",
            "stakes",
            "objectives_intro",
            "previous_actions_note",
            "projects_note",
            "leads_note",
            "is_published",
        ]
        help_texts = {
            "context": "Mise en forme Markdown : **gras**, *italique*, listes avec « → » ou « - » en début de ligne.",
            "stakes": "Mise en forme Markdown, comme le contexte.",
        }
        widgets = {
            "context": forms.Textarea(attrs={"rows": 8}),
            "stakes": forms.Textarea(attrs={"rows": 8}),
            "objectives_intro": forms.Textarea(attrs={"rows": 2}),
            "previous_actions_note": forms.Textarea(attrs={"rows": 2}),
            "projects_note": forms.Textarea(attrs={"rows": 2}),
            "leads_note": forms.Textarea(attrs={"rows": 2}),
        }


class ObjectiveForm(VersionedModelForm):
    class Meta:
        model = Objective
        fields = ["text", "is_published"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
