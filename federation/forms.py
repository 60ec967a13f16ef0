"""Forms of the site shell's pages."""

from django import forms

from toolkit.tables import MAX_FILE_SIZE


class ListImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier à importer",
        help_text=f"Tableau CSV (virgules ou points-virgules, UTF-8 ou Windows) ou classeur Excel (.xlsx), "
        f"{MAX_FILE_SIZE // (1024 * 1024)} Mo au plus. La première ligne donne les noms des colonnes.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
