import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from axes.document import DocumentError, parse_plan_document
from axes.forms import VersionedModelForm
from axes.models import Axis, Objective
from axes.office import MAX_DOCUMENT_BYTES, document_text
from network.models import Partner
from network.roles import staff_accounts
from toolkit.autocomplete import AutocompleteSelect, AutocompleteSelectMultiple

from .models import Action, ActionPartner, Comment, Continuation, Milestone, Update
from .services.journal import future_date_message

MAX_DOCUMENT_SIZE = MAX_DOCUMENT_BYTES

_CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class BootstrapBoundField(BoundField):
    """Gives the widget Bootstrap 5's class (and `is-invalid` on error) when it renders.

    The forms rendered with `includes/_form_fields.html` use it instead of |crispy: crispy's
    template per field cost as much as the rest of the action pages together. Django itself
    ties the help text and the errors to the input (aria-describedby, aria-invalid).
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, _CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs['class']} {css}" if attrs.get("class") else css
        return attrs


class PlainSelect(forms.Select):
    """A <select> whose options are written here rather than one template each.

    Django renders every <option> through two templates: the 300 partners of the action page
    took 15 ms, a third of the page; the 1,700 open actions of the participation form, 100 ms.
    Same markup, one choice; a choice whose label is a list is an <optgroup> of those choices.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = next(iter(self.format_value(value)), None)

        def options(choices) -> str:
            return "".join(
                f'<optgroup label="{conditional_escape(option)}">{options(label)}</optgroup>'
                if isinstance(label, list | tuple)
                else f'<option value="{conditional_escape(option)}"{" selected" if str(option) == chosen else ""}>'
                f"{conditional_escape(label)}</option>"
                for option, label in choices
            )

        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options(self.choices)))


class BootstrapForm(forms.Form):
    bound_field_class = BootstrapBoundField


class BootstrapModelForm(forms.ModelForm):
    bound_field_class = BootstrapBoundField


class PlanImportForm(forms.Form):
    document = forms.FileField(
        label="Document du projet fédéral",
        help_text=(
            "Document Word (.docx), OpenDocument (.odt), PDF avec son texte (pas un document numérisé) ou texte "
            "(.txt). 20 Mo au plus."
        ),
    )
    plan_title = forms.CharField(
        label="Projet fédéral",
        required=False,
        max_length=200,
        help_text="Titre du projet à créer ou à mettre à jour. Par défaut : « Projet fédéral ».",
    )

    def clean_document(self) -> str:
        """The document's text (axes.office reads Word, OpenDocument and PDF files); its
        file's SHA-256 in `self.checksum`."""
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_SIZE:
            raise ValidationError(
                "Le fichier dépasse 20 Mo : enregistrez le document sans ses images (ou au format texte) "
                "puis importez-le à nouveau."
            )
        data = upload.read()
        try:
            text = document_text(data)
            parse_plan_document(text)
        except DocumentError as error:
            raise ValidationError(str(error)) from error
        self.checksum = hashlib.sha256(data).hexdigest()
        return text


class PlanImportConfirmForm(BootstrapForm):
    """The preview's confirmation: the document it shows, and the plan's period."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    start_year = forms.IntegerField(label="Année de début", required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(
        label="Année de fin",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=(
            "La période du projet fédéral, par exemple de 2022 à 2026 : reprise du document quand il l’indique, "
            "sinon du projet existant. Vide : le projet garde ses années (modifiables ensuite sur sa page)."
        ),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if (start is None) != (end is None) and not self.errors:
            raise ValidationError("Indiquez l’année de début et l’année de fin, ou aucune des deux.")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", f"L’année de fin ({end}) précède l’année de début ({start}).")
        return data


class ActionForm(VersionedModelForm):
    # An action serves only the objectives of its own axis (actions.signals refuses the others).
    objectives = forms.ModelMultipleChoiceField(
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
            "is_published",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            # Thousands of structures and hundreds of accounts at national scale: searched as
            # typed, only the chosen ones written in the page (toolkit.autocomplete).
            "structures": AutocompleteSelectMultiple("autocomplete_structures"),
            "lead_person": AutocompleteSelect("autocomplete_people"),
        }

    def __init__(self, *args, axis: Axis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = Objective.objects.filter(axis=axis).order_by("order", "pk")
        # Staff only (issue 14): a board member or a director never leads an action of the plan.
        self.fields["lead_person"].queryset = staff_accounts(keep_pk=self.instance.lead_person_id)
        self.fields["lead_person"].label_from_instance = lambda user: user.get_full_name() or user.username
        if self.instance.pk and self.instance.milestones_drive_progress():
            # A figure typed here would be overridden by the milestones: shown, not offered.
            self.fields["progress"].disabled = True
            self.fields["progress"].help_text = (
                "L’avancement suit les jalons (la part des jalons atteints). Pour le saisir à la main, "
                "choisissez « Saisir l’avancement à la main » sur la page de l’action."
            )


class ActionCreateForm(ActionForm):
    status = forms.ChoiceField(
        label="Statut",
        choices=[
            (Action.Status.PLANNED, "Planifiée"),
            (Action.Status.LEAD, "Piste d’action"),
        ],
        initial=Action.Status.PLANNED,
    )


class UntilTodayDateInput(forms.DateInput):
    """A date picker that offers no day after today."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("max", timezone.localdate().isoformat())
        return context


class UpdateForm(BootstrapModelForm):
    """A journal entry; the status list holds only the moves the lifecycle allows."""

    # Not required: a form sent without it (an older page, a script) reports today.
    date = forms.DateField(
        label="Date",
        required=False,
        initial=timezone.localdate,
        widget=UntilTodayDateInput,
        help_text="Le jour de ce que l’entrée rapporte (aujourd’hui par défaut), jamais dans le futur ; "
        "le jour de la saisie est gardé à part.",
    )

    class Meta:
        model = Update
        fields = ["date", "text", "new_status", "new_progress"]
        labels = {
            "text": "Ce qui s’est passé",
            "new_status": "Nouveau statut",
            "new_progress": "Avancement (%)",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_date(self):
        today = timezone.localdate()
        day = self.cleaned_data["date"] or today
        if day > today:
            raise ValidationError(future_date_message(day, today))
        return day

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Action.Status.choices)
        self.fields["new_status"].choices = [("", "Inchangé")] + [
            (status, labels[status]) for status in Action.TRANSITIONS[action.status]
        ]
        # When the milestones drive the progress, a percentage typed here would be overridden: not offered.
        self.progress_follows_milestones = action.milestones_drive_progress()
        if self.progress_follows_milestones:
            del self.fields["new_progress"]
        else:
            self.fields["new_progress"].help_text = "Facultatif : le pourcentage d’avancement de l’action à ce jour."


class AxisLinksForm(forms.Form):
    """The links grid of an axis: for each action (field `a<pk>`) the ids of the axis's objectives
    it serves, and the grid as it was opened (`opened`, JSON), so that a change someone else made
    meanwhile is never overwritten silently. An objective of another axis is not a valid choice."""

    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        choices = [(objective.pk, str(objective)) for objective in grid.objectives]
        for action in grid.actions:
            self.fields[f"a{action.pk}"] = forms.TypedMultipleChoiceField(
                label=str(action), choices=choices, coerce=int, required=False, initial=sorted(action.linked)
            )
        self.fields["opened"].initial = self.encode(grid.links())

    @staticmethod
    def encode(links: dict[int, set[int]]) -> str:
        return json.dumps({str(pk): sorted(ids) for pk, ids in links.items()}, separators=(",", ":"))

    def clean_opened(self) -> dict[int, set[int]]:
        try:
            opened = json.loads(self.cleaned_data["opened"] or "{}")
            return {int(pk): {int(o) for o in ids} for pk, ids in opened.items()}
        except (ValueError, TypeError, AttributeError) as error:
            raise ValidationError("La grille envoyée est illisible : rechargez la page.") from error

    def links(self) -> dict[int, set[int]]:
        return {action.pk: set(self.cleaned_data[f"a{action.pk}"]) for action in self.grid.actions}

    def reopen(self) -> None:
        """After a conflict: the grid (read at this request) becomes the starting point; a row
        changed here keeps its choices, a row left alone shows the links as they are now."""
        opened, chosen = self.cleaned_data["opened"], self.links()
        self.data = self.data.copy()
        self.data["opened"] = self.encode(self.grid.links())
        for action in self.grid.actions:
            if chosen[action.pk] == opened.get(action.pk, set()):
                self.data.setlist(f"a{action.pk}", [str(pk) for pk in sorted(action.linked)])

    def rows(self, *, stale=()) -> list[dict]:
        """The grid's rows for the template: the action, its field's name and errors, its cells
        [(objective, checked)], and for a row someone else changed (`stale`) its links as they
        are now (the grid is read at each request)."""
        rows = []
        for action in self.grid.actions:
            field = self[f"a{action.pk}"]
            checked = {str(value) for value in (field.value() or ())}
            rows.append(
                {
                    "action": action,
                    "name": field.html_name,
                    "errors": field.errors,
                    "cells": [(objective, str(objective.pk) in checked) for objective in self.grid.objectives],
                    "now": [o for o in self.grid.objectives if o.pk in action.linked] if action.pk in stale else None,
                }
            )
        return rows


class MilestoneForm(BootstrapModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ActionPartnerForm(BootstrapModelForm):
    class Meta:
        model = ActionPartner
        fields = ["partner", "role"]
        widgets = {"partner": AutocompleteSelect("autocomplete_partners")}
        help_texts = {"role": "Par exemple : co-portage, partenariat, financement."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.order_by("name")
        self.fields["partner"].queryset = partners

    def validate_unique(self):
        pass  # the service updates the role of a partner already linked


class ContinuationForm(BootstrapModelForm):
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
        label="Déplacer ses actions vers l’axe",
        queryset=Axis.objects.none(),
        required=False,
        help_text="Obligatoire quand des actions y sont encore rattachées : elles ne sont jamais supprimées avec l’axe.",
    )

    def __init__(self, *args, axes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_actions_to"].queryset = axes


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": "Votre commentaire"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class PartnerMergeForm(forms.Form):
    """The partner that stays when `source` is merged into it."""

    dans = forms.ModelChoiceField(
        label="Partenaire qui reste",
        queryset=Partner.objects.order_by("name"),
        widget=AutocompleteSelect("autocomplete_partners"),
        help_text="Les actions du partenaire fusionné lui sont rattachées, puis celui-ci est supprimé.",
    )

    def __init__(self, *args, source: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dans"].queryset = Partner.objects.exclude(pk=source.pk).order_by("name")
