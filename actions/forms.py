from django import forms
from django.core.exceptions import ValidationError

from axes.document import DocumentError, decode_document, parse_plan_document

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
