from django import forms
from django.contrib.auth import password_validation

from toolkit.autocomplete import AutocompleteSelect, AutocompleteSelectMultiple

from .models import Invitation, Structure, Territory


class InvitationForm(forms.Form):
    """Whom to invite. The role offers only « Direction de centre » and « Conseil
    d'administration »: any other value posted is refused like an unknown choice."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    role = forms.ChoiceField(label="Rôle", choices=Invitation.Role.choices, widget=forms.RadioSelect)
    structures = forms.ModelMultipleChoiceField(
        label="Structures dirigées",
        queryset=Structure.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple("autocomplete_structures"),
        help_text="Pour une direction de centre : la ou les structures qu’elle dirige.",
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == Invitation.Role.BOARD and data.get("structures"):
            self.add_error("structures", "Un membre du conseil n’est rattaché à aucune structure.")
        return data


class AttachForm(forms.Form):
    structure = forms.ModelChoiceField(
        label="Rattacher à une autre structure",
        queryset=Structure.objects.order_by("name"),
        widget=AutocompleteSelect("autocomplete_structures"),
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Le même, une seconde fois",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class StructureForm(forms.ModelForm):
    class Meta:
        model = Structure
        fields = ["name", "kind", "territory", "address", "governance", "caf_approval_ends_on"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "caf_approval_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.order_by("name")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Structure.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "Une structure porte déjà ce nom (majuscules comprises) : choisissez-en un autre."
            )
        return name


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["name", "kind", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Territory.objects.order_by("name")
