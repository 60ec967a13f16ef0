"""Tables in and out: reading an uploaded CSV or XLSX file, exporting and importing a list.

Every app's import (the lists of the « Listes » page, the indicators' values, the
observatory's figures) reads its file here and reports in the same words. A list is a
`ListKind`: a resource (`<app>/resources.py`, the same one the admin uses) and its model. An import always runs twice: a dry
run whose report the user reads, then, on confirmation, the real one, in one transaction
that is rolled back if any row fails (nothing is written unless the whole file is valid).
"""

import csv
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export.results import Result, RowResult

from .resources import ImportValueError, ListResource

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 5000
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    ),
}


@dataclass(frozen=True)
class ListKind:
    """One list that can be exported and imported."""

    slug: str
    label: str
    resource_class: type[ListResource]
    model: type

    def perm(self, action: str) -> str:
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"

    def may_export(self, user) -> bool:
        return user.has_perm(self.perm("view"))

    def may_import(self, user) -> bool:
        """Importing creates and changes rows: both permissions are needed."""
        return user.has_perm(self.perm("add")) and user.has_perm(self.perm("change"))

    @property
    def columns(self) -> list[str]:
        return self.resource_class.column_names()

    @property
    def required_columns(self) -> tuple[str, ...]:
        return self.resource_class.required_columns


class TableFileError(ValueError):
    """The uploaded file cannot be read as a table; the message is for the user, in French."""


# ---------------------------------------------------------------------------- reading


def table_read(*, content: bytes, filename: str = "") -> tablib.Dataset:
    """The table in an uploaded CSV or XLSX file: headers and rows, every cell a string.

    Raises TableFileError (French message) for anything that is not a readable table.
    """
    if not content:
        raise TableFileError("Le fichier est vide.")
    if len(content) > MAX_FILE_SIZE:
        raise TableFileError("Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.")
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xls", ".ods")):
        raise TableFileError(
            "Ce fichier n'est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format .xlsx ou .csv."
        )
    else:
        rows = _csv_rows(content)
    return _dataset(rows)


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        raise TableFileError("Ce fichier n'est pas un fichier CSV (il contient des données binaires).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError("Ce fichier n'est pas un texte lisible : enregistrez-le en CSV UTF-8.")
    first_line = text.split("\n", 1)[0]
    # French spreadsheets write « ; » between cells, others « , »; a header line tells which.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as error:
        raise TableFileError(f"Ce fichier CSV est mal formé ({error}) : vérifiez les guillemets.") from error


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append([_cell_text(value) for value in values])
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
    except Exception as error:
        raise TableFileError("Ce classeur Excel est illisible : enregistrez-le à nouveau au format .xlsx.") from error
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _dataset(rows: list[list[str]]) -> tablib.Dataset:
    # Spreadsheets leave empty rows and columns around the table: ignore them.
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise TableFileError("Le fichier ne contient aucune ligne.")
    width = max(len(row) for row in rows)
    while width and not any(len(row) >= width and row[width - 1].strip() for row in rows):
        width -= 1
    headers = [cell.strip() for cell in rows[0][:width]] + [""] * (width - len(rows[0]))
    body = rows[1:]
    if not body:
        raise TableFileError("Le fichier ne contient que la ligne des titres de colonnes, aucune donnée.")
    if len(body) > MAX_ROWS:
        raise TableFileError(f"Le fichier a plus de {MAX_ROWS} lignes : découpez-le en plusieurs fichiers.")
    return tablib.Dataset(*[(row + [""] * width)[:width] for row in body], headers=headers)


def dataset_to_json(dataset: tablib.Dataset) -> str:
    return json.dumps(
        {"headers": list(dataset.headers), "rows": [list(row) for row in dataset]},
        ensure_ascii=False,
    )


def dataset_from_json(data: str) -> tablib.Dataset:
    loaded = json.loads(data)
    return tablib.Dataset(*[tuple(row) for row in loaded["rows"]], headers=loaded["headers"])


def fingerprint(data: str) -> str:
    return hashlib.sha256(data.encode()).hexdigest()[:32]


# ---------------------------------------------------------------------------- exporting


def table_export(*, kind: ListKind, file_format: str) -> bytes:
    """The whole list as a CSV (UTF-8 with BOM, which Excel needs for accents) or XLSX file."""
    dataset = kind.resource_class().export(force_native_type=file_format == "xlsx")
    if file_format == "csv":
        return dataset.export("csv").encode("utf-8-sig")
    if file_format == "xlsx":
        return dataset.export("xlsx")
    raise ValueError(f"Unknown format {file_format!r}")


# ---------------------------------------------------------------------------- importing

ROW_KINDS = {
    RowResult.IMPORT_TYPE_NEW: "Création",
    RowResult.IMPORT_TYPE_UPDATE: "Modification",
    RowResult.IMPORT_TYPE_SKIP: "Inchangé",
    RowResult.IMPORT_TYPE_DELETE: "Suppression",
    RowResult.IMPORT_TYPE_INVALID: "Erreur",
    RowResult.IMPORT_TYPE_ERROR: "Erreur",
}


@dataclass
class RowReport:
    line: int  # the line in the file, the header being line 1
    kind: str
    label: str


@dataclass
class ErrorReport:
    line: int | None  # None: the file as a whole
    column: str | None
    message: str


@dataclass
class ImportReport:
    kind: ListKind
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[RowReport] = field(default_factory=list)
    errors: list[ErrorReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return self.created + self.updated


def table_import(
    *,
    kind: ListKind,
    dataset: tablib.Dataset,
    dry_run: bool,
    user: AbstractBaseUser | None = None,
) -> ImportReport:
    """Import `dataset` into `kind`'s list, all or nothing; report every row and error in French.

    With dry_run, nothing is ever written. Otherwise the import is written only when no row
    has an error; if one has, everything is rolled back and the report says why.
    """
    resource = kind.resource_class()
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
        )
        report = _report(kind, resource, result, dry_run)
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    return report


def _report(kind: ListKind, resource: ListResource, result: Result, dry_run: bool) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=dry_run)
    columns = {name: field.column_name for name, field in resource.fields.items()}
    columns.update({field.attribute: field.column_name for field in resource.fields.values() if field.attribute})
    for base_error in result.base_errors:
        report.errors.append(ErrorReport(None, None, _message(base_error.error)))
    for number, row_result in enumerate(result.rows, start=1):
        line = number + 1
        label = row_result.object_repr or ""
        report.rows.append(
            RowReport(
                line,
                ROW_KINDS.get(row_result.import_type, row_result.import_type),
                label,
            )
        )
        if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
            report.created += 1
        elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            report.updated += 1
        elif row_result.import_type == RowResult.IMPORT_TYPE_SKIP:
            report.unchanged += 1
        for error in row_result.errors:
            report.errors.append(ErrorReport(line, None, _message(error.error)))
        if row_result.validation_error is not None:
            for name, messages in _error_dict(row_result.validation_error).items():
                column = None if name == NON_FIELD_ERRORS else columns.get(name, name)
                for message in messages:
                    report.errors.append(ErrorReport(line, column, message))
    return report


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: [str(message) for message in error.messages]}


def _message(error: BaseException) -> str:
    """The user's message for an exception raised by a row: ours are French, others are logged."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ImportValueError):
        return str(error)
    logger.warning("Unexpected import error", exc_info=error)
    return "Cette ligne n'a pas pu être enregistrée (valeur inattendue) : vérifiez son contenu."
