from django import forms

from federation.models import Structure

from .models import Action, Comment
from .participation_services import JOINABLE_STATUSES


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

    def __init__(self, *args, own_structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_structures is not None and not self.is_bound:
            self.fields["structure"].queryset = own_structures


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accepter"), ("decline", "Décliner")])
    note = forms.CharField(
        label="Motif",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": "Votre commentaire"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
