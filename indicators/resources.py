"""What importing indicator values from a CSV/XLSX file (structure, indicateur, période,
valeur) shares: its French cell widgets, its headers, its report. The import itself is
`indicators.bulk_import.values_import`, used by the values and the observatory imports."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from import_export import widgets

from toolkit.resources import ImportValueError
from toolkit.tables import ErrorReport
from toolkit.text import fold_key

from .models import PERIOD_RE

# Accepted spellings of each column, as `fold_key` gives them (lower case, no accents).
COLUMNS = {
    "structure": "structure",
    "indicateur": "indicateur",
    "indicator": "indicateur",
    "periode": "periode",
    "period": "periode",
    "valeur": "valeur",
    "value": "valeur",
}
REQUIRED = ["structure", "indicateur", "periode", "valeur"]


class PeriodWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().upper()
        if not PERIOD_RE.match(text):
            raise ImportValueError(f"Période « {text[:20]} » invalide : écrivez 2024, 2024-S1, 2024-T2 ou 2024-M03.")
        return text


class FrenchDecimalWidget(widgets.DecimalWidget):
    """« 1 234,5 » or « 1234.5 »; refusals in French."""

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value if value is not None else ""))
        if not text:
            raise ImportValueError("La valeur est obligatoire.")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ImportValueError(f"« {text[:30]} » n'est pas un nombre.") from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ImportValueError(f"« {text[:30]} » n'est pas un nombre utilisable.")
        return number.quantize(Decimal("0.01"))


@dataclass
class ValuesImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[str] = field(default_factory=list)  # per row of the file: new, update, skip, error…
    errors: list[ErrorReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_headers(dataset: tablib.Dataset) -> tablib.Dataset:
    """Rename the columns to the resource's names; raise ImportValueError if one is missing."""
    headers = [COLUMNS.get(fold_key(header), header) for header in dataset.headers]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ImportValueError(
            "Colonnes manquantes : "
            + ", ".join(f"« {name} »" for name in missing)
            + ". Le fichier doit avoir les colonnes structure, indicateur, période, valeur."
        )
    dataset.headers = headers
    return dataset
