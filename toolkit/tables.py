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
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from .resources import ImportValueError, ListResource

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 2 * 1024 * 1024
MAX_ROWS = 5000
# What a file may hold, checked before or while it is read (never after): a 100 kB XLSX can
# unpack to gigabytes, declare a sheet as wide as column XFD, or hide its rows far below.
MAX_UNCOMPRESSED_SIZE = 10 * 1024 * 1024  # every entry of an XLSX file, as its zip declares them
MAX_ZIP_ENTRIES = 200
MAX_COLUMNS = 50  # the widest list has a dozen columns
MAX_CELL_LENGTH = 50_000  # characters; the longest text field takes 20,000 (toolkit.limits)
MAX_SHEET_ROWS = 1_048_576  # Excel's last row: past it a sheet is forged
MAX_WRITTEN_ROWS = 4 * MAX_ROWS  # rows written in a sheet, blank ones (with a height, a style) included
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

# A spreadsheet takes a cell that starts with one of these as a formula (« =HYPERLINK(…) »
# that sends the sheet's data elsewhere, « @SUM(…) », « +cmd|… »): an exported cell that
# would is written with a leading apostrophe, as spreadsheets themselves write a text that
# starts like a formula, and an import takes that apostrophe away again, so that a round
# trip gives back the same text. Numbers (« -12 », « +3,5 ») are numbers, not formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?$")


def _looks_like_formula(text: str) -> bool:
    # « '=x » is written « ''=x », so that reading it back takes one apostrophe only: what
    # counts is what follows the leading apostrophes, however many.
    text = text.lstrip("'")
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text)


def formula_escape(value):
    """`value` as an exported cell may hold it: a text that a spreadsheet would run gets a « ' »."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def formula_unescape(text: str) -> str:
    """The text that `formula_escape` wrote as `text` (any other text is left as it is)."""
    if text.startswith("'") and _looks_like_formula(text[1:]):
        return text[1:]
    return text


def table_read(*, content: bytes, filename: str = "") -> tablib.Dataset:
    """The table in an uploaded CSV or XLSX file: headers and rows, every cell a string.

    Raises TableFileError (French message naming the limit) for anything that is not a
    readable table or goes past a limit; the file is read row by row and refused as soon as
    it does, so that no file costs more than its limits.
    """
    if not content:
        raise TableFileError("Le fichier est vide.")
    if len(content) > MAX_FILE_SIZE:
        raise TableFileError("Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.")
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xls", ".ods")):
        raise TableFileError(
            "Ce fichier n’est pas un classeur Excel (.xlsx) lisible. Enregistrez-le au format .xlsx ou .csv."
        )
    else:
        rows = _csv_rows(content)
    return _dataset(rows)


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    if b"\x00" in content:
        raise TableFileError("Ce fichier n’est pas un fichier CSV (il contient des données binaires).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError("Ce fichier n’est pas un texte lisible : enregistrez-le en CSV UTF-8.")
    first_line = text.split("\n", 1)[0]
    # French spreadsheets write « ; » between cells, others « , »; a header line tells which.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    # The csv module's limit is the process's: set for this file only.
    default_limit = csv.field_size_limit(MAX_CELL_LENGTH + 1)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise TableFileError(_cell_too_long()) from error
        raise TableFileError(f"Ce fichier CSV est mal formé ({error}) : vérifiez les guillemets.") from error
    finally:
        csv.field_size_limit(default_limit)


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    """The first sheet's rows that hold something, each as wide as its last cell.

    The zip's declared sizes are checked before anything is unpacked (zipfile never unpacks
    more than an entry declares). The sheet is then read cell by cell as its XML gives them,
    with openpyxl's own sheet parser: its rows as `iter_rows` gives them are padded to the
    sheet's declared dimensions (a 2 kB sheet may claim A1:XFD1048576) and every blank row
    between two rows is materialised, which made a few kB cost gigabytes. Only the cells
    really there are read here, and a cell past MAX_COLUMNS is refused, never cut off.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    unreadable = "Ce classeur Excel est illisible : enregistrez-le à nouveau au format .xlsx."
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TableFileError(unreadable) from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise TableFileError(f"Ce classeur contient plus de {MAX_ZIP_ENTRIES} parties : est-ce bien un tableau ?")
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_SIZE:
        raise TableFileError(
            f"Ce classeur dépasse {MAX_UNCOMPRESSED_SIZE // (1024 * 1024)} Mo une fois décompressé : "
            "découpez-le en plusieurs fichiers ou enregistrez-le en CSV."
        )
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
        # What load_workbook does, but for the sheets: it would parse each one whole to
        # learn its size when the sheet does not declare it.
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # which numbers are dates
        paths = [rel.target for _, rel in reader.parser.find_sheets() if rel.target in reader.valid_files]
    except Exception as error:
        raise TableFileError(unreadable) from error
    try:
        if not paths:
            raise TableFileError("Ce classeur Excel ne contient aucune feuille.")
        with reader.archive.open(paths[0]) as source:
            parser = WorkSheetParser(
                source,
                reader.shared_strings,
                data_only=True,
                epoch=reader.wb.epoch,
                date_formats=reader.wb._date_formats,
                timedelta_formats=reader.wb._timedelta_formats,
            )
            written = 0
            for number, cells in parser.parse():
                parser.row_dimensions.clear()  # row heights: kept for nothing, one per row
                written += 1
                if written > MAX_WRITTEN_ROWS or number > MAX_SHEET_ROWS:
                    raise TableFileError(
                        f"Ce classeur a plus de {MAX_WRITTEN_ROWS:_} lignes, vides comprises : ".replace("_", "\u202f")
                        + "copiez seulement le tableau dans un nouveau classeur."
                    )
                filled = [cell for cell in cells if cell["value"] is not None]
                if not filled:
                    continue
                width = max(cell["column"] for cell in filled)
                if width > MAX_COLUMNS:
                    raise TableFileError(_too_wide())
                row = [""] * width
                for cell in filled:
                    row[cell["column"] - 1] = _cell_text(cell["value"])
                yield row
    except TableFileError:
        raise
    except Exception as error:
        raise TableFileError(unreadable) from error
    finally:
        reader.archive.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _too_wide() -> str:
    return f"Le fichier a des cellules au-delà de la colonne {MAX_COLUMNS} : gardez seulement les colonnes de la liste."


def _cell_too_long() -> str:
    return (
        f"Une cellule dépasse {MAX_CELL_LENGTH:_} caractères".replace("_", "\u202f")
        + " : est-ce bien le tableau attendu ?"
    )


def _dataset(rows: Iterable[list[str]]) -> tablib.Dataset:
    """The table of `rows`: blank rows and columns around it left out, limits checked row by row.

    Blank rows are skipped, never taken for the end of the table: a row after them is read.
    """
    kept: list[list[str]] = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
            raise TableFileError(_too_wide())
        if any(len(cell) > MAX_CELL_LENGTH for cell in row):
            raise TableFileError(_cell_too_long())
        if len(kept) > MAX_ROWS:
            raise TableFileError(f"Le fichier a plus de {MAX_ROWS} lignes : découpez-le en plusieurs fichiers.")
        kept.append([formula_unescape(cell) for cell in row[:MAX_COLUMNS]])
    if not kept:
        raise TableFileError("Le fichier ne contient aucune ligne.")
    width = max(len(row) for row in kept)
    while width and not any(len(row) >= width and row[width - 1].strip() for row in kept):
        width -= 1
    headers = [cell.strip() for cell in kept[0][:width]] + [""] * (width - len(kept[0]))
    body = kept[1:]
    if not body:
        raise TableFileError("Le fichier ne contient que la ligne des titres de colonnes, aucune donnée.")
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
    return dataset_export(dataset, file_format, title=kind.label)


def dataset_export(dataset: tablib.Dataset, file_format: str, *, title: str = "") -> bytes:
    """`dataset` as a CSV or XLSX file, no cell of which a spreadsheet would run as a formula.

    Every export goes through here (the « Listes » page, the action list) or through the
    same rule (the admin's formats below). An XLSX sheet is named `title`, the list's name (a
    sheet name holds at most 31 characters, none of « []:*?/\\ »), never « Tablib Dataset ».
    """
    safe = formula_safe(dataset)
    safe.title = re.sub(r"[\[\]:*?/\\]", " ", title or dataset.title or "Liste")[:31].strip()
    if file_format == "csv":
        return safe.export("csv").encode("utf-8-sig")
    if file_format == "xlsx":
        return safe.export("xlsx")
    raise ValueError(f"Unknown format {file_format!r}")


def formula_safe(dataset: tablib.Dataset) -> tablib.Dataset:
    return tablib.Dataset(
        *[tuple(formula_escape(cell) for cell in row) for row in dataset],
        headers=[formula_escape(header) for header in dataset.headers or []] or None,
    )


class SafeCSV(base_formats.CSV):
    """The admin's CSV: exported through `formula_safe`, read through `table_read` (its limits)."""

    def export_data(self, dataset, **kwargs):
        return formula_safe(dataset).export("csv", **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        content = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        return _admin_dataset(content, "import.csv")


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX, as SafeCSV."""

    def export_data(self, dataset, **kwargs):
        return formula_safe(dataset).export("xlsx", **kwargs)

    def create_dataset(self, in_stream):
        return _admin_dataset(in_stream, "import.xlsx")


def _admin_dataset(content: bytes, filename: str) -> tablib.Dataset:
    try:
        return table_read(content=content, filename=filename)
    except TableFileError as error:
        # The admin shows a ValueError's message on its import form.
        raise ValueError(str(error)) from error


ADMIN_FORMATS = [SafeCSV, SafeXLSX]


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
    return "Cette ligne n’a pas pu être enregistrée (valeur inattendue) : vérifiez son contenu."
