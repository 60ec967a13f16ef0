"""Importing indicator values from a CSV/XLSX file: structure, indicateur, période, valeur.

The file is checked row by row by django-import-export (dry run first); each valid row is
then written through `measurement_record` (and `measurement_validate` when staff ask for
it), so an import does exactly what entering the values one by one would. All or nothing.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from import_export import fields, resources, widgets
from import_export.results import RowResult

from federation.exchange import ErrorReport
from federation.models import Structure
from federation.resources import ImportValueError

from .models import PERIOD_RE, Indicator, Measurement
from .services import measurement_record, measurement_validate

# Accepted spellings of each column, folded (lower case, no accents).
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


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.strip().lower()) if unicodedata.category(c) != "Mn")


class StructureWidget(widgets.ForeignKeyWidget):
    """A structure by its name; an empty cell (or « réseau ») means the whole network."""

    def __init__(self, **kwargs):
        super().__init__(Structure, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name or _fold(name) in {"reseau", "federation", "ensemble du reseau"}:
            return None
        structure = Structure.objects.filter(name__iexact=name).first()
        if structure is None:
            raise ImportValueError(f"Aucune structure nommée « {name[:80]} ».")
        return structure


class IndicatorWidget(widgets.ForeignKeyWidget):
    """An indicator by its code or its exact name."""

    def __init__(self, **kwargs):
        super().__init__(Indicator, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            raise ImportValueError("L'indicateur est obligatoire (son code ou son nom).")
        matches = list(Indicator.objects.filter(Q(code__iexact=text) | Q(name__iexact=text))[:2])
        if not matches:
            raise ImportValueError(f"Aucun indicateur de code ou de nom « {text[:80]} ».")
        if len(matches) > 1:
            raise ImportValueError(f"Plusieurs indicateurs répondent à « {text[:80]} » : utilisez son code.")
        return matches[0]


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


class MeasurementResource(resources.ModelResource):
    structure = fields.Field(attribute="structure", column_name="structure", widget=StructureWidget())
    indicator = fields.Field(attribute="indicator", column_name="indicateur", widget=IndicatorWidget())
    period = fields.Field(attribute="period", column_name="periode", widget=PeriodWidget())
    value = fields.Field(attribute="value", column_name="valeur", widget=FrenchDecimalWidget())

    class Meta:
        model = Measurement
        fields = ("structure", "indicator", "period", "value")
        import_id_fields = ("indicator", "period", "structure")
        clean_model_instances = True
        skip_diff = True

    def __init__(self, *, user, validate: bool = False, source: str = "Import de fichier"):
        super().__init__()
        self.user = user
        self.validate = validate
        self.source = source

    def after_init_instance(self, instance, new, row, **kwargs):
        # skip_diff leaves no copy of the stored row: keep what skip_row compares against.
        instance._stored = None if new else (instance.value, instance.text, instance.source, instance.status)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that would leave its value exactly as stored (same value, source and status) is skipped:
        re-importing a file changes nothing, not even the history or who validated when."""
        if import_validation_errors or getattr(instance, "_stored", None) is None:
            return False
        status = Measurement.Status.VALIDATED if self.validate else Measurement.Status.DRAFT
        value, text, source, stored_status = instance._stored
        return (
            value is not None
            and value == instance.value
            and not text
            and source == self.source
            and stored_status == status
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return
        measurement = measurement_record(
            user=self.user,
            indicator=instance.indicator,
            period=instance.period,
            structure=instance.structure,
            value=instance.value,
            source=self.source,
        )
        if self.validate:
            measurement_validate(user=self.user, measurement=measurement)


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
    headers = [COLUMNS.get(_fold(header), header) for header in dataset.headers]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ImportValueError(
            "Colonnes manquantes : "
            + ", ".join(f"« {name} »" for name in missing)
            + ". Le fichier doit avoir les colonnes structure, indicateur, période, valeur."
        )
    dataset.headers = headers
    return dataset


def values_import(
    *, user, dataset: tablib.Dataset, dry_run: bool, validate: bool = False, source: str = "Import de fichier"
) -> ValuesImportReport:
    """Import the values in `dataset`, all or nothing; every refused row is reported in French.

    A row that would leave its value as stored (same value, source and status) is left alone.
    """
    report = ValuesImportReport(dry_run=dry_run)
    try:
        dataset = normalise_headers(dataset)
    except ImportValueError as error:
        report.errors.append(ErrorReport(None, None, str(error)))
        return report
    resource = MeasurementResource(user=user, validate=validate, source=source)
    columns = {name: f.column_name for name, f in resource.fields.items()}
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=dry_run, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True
        )
        for base_error in result.base_errors:
            report.errors.append(ErrorReport(None, None, _message(base_error.error)))
        for number, row in enumerate(result.rows, start=2):  # line 1 holds the headers
            report.rows.append(row.import_type)
            if row.import_type == RowResult.IMPORT_TYPE_NEW:
                report.created += 1
            elif row.import_type == RowResult.IMPORT_TYPE_UPDATE:
                report.updated += 1
            elif row.import_type == RowResult.IMPORT_TYPE_SKIP:
                report.unchanged += 1
            for error in row.errors:
                report.errors.append(ErrorReport(number, None, _message(error.error)))
            if row.validation_error is not None:
                error = row.validation_error
                items = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, [error])]
                for name, errors in items:
                    column = None if name == NON_FIELD_ERRORS else columns.get(name, name)
                    for item in errors:
                        for message in item.messages:
                            report.errors.append(ErrorReport(number, column, message))
        if dry_run or report.errors:
            transaction.set_rollback(True)
    if not dry_run and report.errors:
        report.created = report.updated = 0
    return report


def _message(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, (ImportValueError, ValueError)):
        return str(error)
    if isinstance(error, PermissionDenied):
        return str(error)
    return "Cette ligne n'a pas pu être enregistrée : vérifiez son contenu."
