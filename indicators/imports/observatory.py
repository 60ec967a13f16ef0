"""Importing the yearly figures centres report to the national observatory, one row per structure and year.

A row (« structure », « année », « habitants touchés », « bénévoles », « salariés », « budget »,
« partenaires ») becomes one value per figure of `indicators.observatory.FIGURES` for that
structure and year. Nothing here writes a value: the rows are checked (structure known,
year, numbers, no row twice), turned into rows of the values import (structure, indicateur,
période, valeur) and written by `values_import`, the same path as any values file. Unknown
structures may be created in the same import, through the structures list's import.

The figures come already checked by the national observatory: they land validated, with
the source « Observatoire national », validated by the staff member who imports them.
All or nothing: one error anywhere and nothing is written, not even a new structure.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from import_export.results import RowResult

from network.models import Structure
from network.resources import STRUCTURE_LIST
from toolkit.resources import ImportValueError
from toolkit.tables import ErrorReport, table_import
from toolkit.text import fold_key

from ..observatory import FIGURES, Figure, observatory_indicators_ensure
from ..resources import FrenchDecimalWidget
from .values import values_import

SOURCE = "Observatoire national"
STRUCTURE, YEAR = "structure", "année"
# Figures counted in whole numbers (people, partners); staff (FTE) and budget may have decimals.
WHOLE_NUMBERS = {figure.code for figure in FIGURES if figure.unit in {"personnes", "partenaires"}}
_YEAR = re.compile(r"^\d{4}$")

ROW_KINDS = {
    RowResult.IMPORT_TYPE_NEW: "Création",
    RowResult.IMPORT_TYPE_UPDATE: "Modification",
    RowResult.IMPORT_TYPE_SKIP: "Inchangé",
}


def _header_names() -> dict[str, str | Figure]:
    names: dict[str, str | Figure] = {
        "structure": STRUCTURE,
        "nom": STRUCTURE,
        "nom de la structure": STRUCTURE,
        "annee": YEAR,
        "exercice": YEAR,
    }
    for figure in FIGURES:
        # The observatory's column (« bénévoles ») and the indicator's name (« Habitants touchés »).
        names[fold_key(figure.column)] = figure
        names[fold_key(figure.name)] = figure
    return names


def expected_columns() -> list[str]:
    return [STRUCTURE, YEAR, *(figure.name.lower() for figure in FIGURES)]


@dataclass
class FigureCell:
    column: str  # the header as written in the file
    text: str  # the value as shown in the preview
    kind: str = ""  # Création, Modification, Inchangé; empty for an empty cell


@dataclass
class ObservatoryRow:
    line: int
    structure: str
    year: str
    new_structure: bool = False
    duplicate: bool = False  # refused already: its values are not imported
    cells: list[FigureCell] = field(default_factory=list)


@dataclass
class ObservatoryImportReport:
    dry_run: bool
    columns: list[str] = field(default_factory=list)  # the figures' headers, in the file's order
    rows: list[ObservatoryRow] = field(default_factory=list)
    new_structures: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ErrorReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return self.created + self.updated + len(self.new_structures)


@dataclass
class _Columns:
    structure: int
    structure_header: str
    year: int
    year_header: str
    figures: list[tuple[int, str, Figure]]  # (index, header, figure)


def _columns(headers: list[str]) -> _Columns:
    names = _header_names()
    found: dict[str | Figure, tuple[int, str]] = {}
    unknown, twice = [], []
    for index, header in enumerate(headers):
        header = str(header or "").strip()
        role = names.get(fold_key(header))
        if role is None:
            unknown.append(header or "(vide)")
        elif role in found:
            twice.append(header)
        else:
            found[role] = (index, header)
    problems = []
    missing = [name for name in (STRUCTURE, YEAR) if name not in found]
    if missing:
        problems.append("colonnes manquantes : " + ", ".join(f"« {name} »" for name in missing))
    if not any(isinstance(role, Figure) for role in found):
        problems.append("aucune colonne de chiffres (habitants touchés, bénévoles, salariés, budget, partenaires)")
    if unknown:
        problems.append("colonnes inconnues : " + ", ".join(f"« {name[:40]} »" for name in unknown[:10]))
    if twice:
        problems.append("colonnes en double : " + ", ".join(f"« {name[:40]} »" for name in twice[:10]))
    if problems:
        expected = ", ".join(f"« {name} »" for name in expected_columns())
        raise ImportValueError(
            f"Le fichier n’a pas les colonnes attendues ({' ; '.join(problems)}). Colonnes possibles : {expected}."
        )
    figures = sorted(
        ((index, header, role) for role, (index, header) in found.items() if isinstance(role, Figure)),
        key=lambda item: item[0],
    )
    return _Columns(*found[STRUCTURE], *found[YEAR], figures)


def _number(text: str, figure: Figure) -> Decimal:
    """The figure's value, or ImportValueError with a French message."""
    number = FrenchDecimalWidget().clean(text)
    if number < 0:
        raise ImportValueError(f"« {text.strip()[:30]} » : {figure.name.lower()} ne peut pas être négatif.")
    if figure.code in WHOLE_NUMBERS and number != number.to_integral_value():
        raise ImportValueError(f"« {text.strip()[:30]} » : {figure.name.lower()} se compte en nombre entier.")
    return number


def _structures_by_key() -> dict[str, list[Structure]]:
    by_key: dict[str, list[Structure]] = {}
    for structure in Structure.objects.only("pk", "name"):
        by_key.setdefault(fold_key(structure.name), []).append(structure)
    return by_key


def observatory_import(
    *,
    user: AbstractBaseUser,
    dataset: tablib.Dataset,
    dry_run: bool,
    create_structures: bool = False,
) -> ObservatoryImportReport:
    """Import the observatory's yearly figures in `dataset`, all or nothing; report in French.

    With `create_structures`, structures that no name matches are created (through the
    structures list's import) before their figures are written; the caller checks that
    `user` may import structures. With dry_run, nothing is ever written.
    """
    if create_structures and not STRUCTURE_LIST.may_import(user):
        raise PermissionDenied("Seuls les comptes qui importent les structures peuvent en créer.")
    report = ObservatoryImportReport(dry_run=dry_run)
    try:
        columns = _columns(list(dataset.headers or []))
    except ImportValueError as error:
        report.errors.append(ErrorReport(None, None, str(error)))
        return report
    report.columns = [header for _index, header, _figure in columns.figures]

    # 1. Each row on its own: structure named, year, numbers; no structure twice for one year.
    rows: list[tuple[ObservatoryRow, list[tuple[Figure, Decimal | None]]]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in enumerate(dataset, start=2):  # line 1 holds the headers
        cell = [str(value if value is not None else "") for value in values]
        row = ObservatoryRow(line=line, structure=cell[columns.structure].strip(), year=cell[columns.year].strip())
        errors_before = len(report.errors)
        if not row.structure:
            report.errors.append(ErrorReport(line, columns.structure_header, "Le nom de la structure est obligatoire."))
        elif "\x00" in row.structure or len(row.structure) > 200:
            report.errors.append(
                ErrorReport(line, columns.structure_header, "Ce nom de structure n’est pas utilisable.")
            )
        if not row.year:
            report.errors.append(ErrorReport(line, columns.year_header, "L’année est obligatoire."))
        elif not _YEAR.match(row.year):
            report.errors.append(
                ErrorReport(line, columns.year_header, f"« {row.year[:20]} » n’est pas une année : écrivez-la 2024.")
            )
        if len(report.errors) == errors_before:
            key = (fold_key(row.structure), row.year)
            if key in seen:
                row.duplicate = True
                report.errors.append(
                    ErrorReport(
                        line,
                        columns.structure_header,
                        f"« {row.structure[:80]} » a déjà une ligne pour {row.year} (ligne {seen[key]}) : "
                        "gardez-en une seule.",
                    )
                )
            else:
                seen[key] = line
        numbers = []
        for index, header, figure in columns.figures:
            text = cell[index].strip()
            row.cells.append(FigureCell(column=header, text=text))
            if not text:
                numbers.append((figure, None))  # not reported this year: nothing imported
                continue
            try:
                numbers.append((figure, _number(text, figure)))
            except ImportValueError as error:
                report.errors.append(ErrorReport(line, header, str(error)))
                numbers.append((figure, None))
        rows.append((row, numbers))

    with transaction.atomic():
        observatory_indicators_ensure()

        # 2. Structures by name, whatever the case and accents; the unknown ones created if asked.
        by_key = _structures_by_key()
        unknown: dict[str, tuple[str, int]] = {}  # key → (name as first written, line)
        for row, _numbers in rows:
            key = fold_key(row.structure)
            if not key:
                continue
            matches = by_key.get(key, [])
            if len(matches) > 1:
                report.errors.append(
                    ErrorReport(
                        row.line,
                        columns.structure_header,
                        f"Plusieurs structures s’appellent « {row.structure[:80]} » "
                        "(aux accents ou majuscules près) : renommez-les d’abord.",
                    )
                )
            elif not matches:
                row.new_structure = True
                if not create_structures:
                    report.errors.append(
                        ErrorReport(
                            row.line,
                            columns.structure_header,
                            f"Aucune structure nommée « {row.structure[:80]} ». Vérifiez son nom, ou cochez "
                            "« créer les structures inconnues ».",
                        )
                    )
                unknown.setdefault(key, (row.structure, row.line))
        if create_structures and unknown:
            report.new_structures = [name for name, _line in unknown.values()]
            created = table_import(
                kind=STRUCTURE_LIST,
                dataset=tablib.Dataset(*[(name,) for name in report.new_structures], headers=["nom"]),
                dry_run=False,  # inside this transaction, rolled back below unless all is well
                user=user,
            )
            lines = [line for _name, line in unknown.values()]
            for error in created.errors:
                line = lines[error.line - 2] if error.line else None
                report.errors.append(ErrorReport(line, columns.structure_header, error.message))
            by_key = _structures_by_key()

        # 3. The values, through the values import: one row per structure, year and reported figure.
        values = tablib.Dataset(headers=["structure", "indicateur", "periode", "valeur"])
        origins: list[tuple[int, FigureCell]] = []  # for each value row: its line and cell in the file
        for row, numbers in rows:
            matches = by_key.get(fold_key(row.structure), [])
            if len(matches) != 1 or not _YEAR.match(row.year) or row.duplicate:
                continue
            for figure_cell, (figure, number) in zip(row.cells, numbers, strict=True):
                if number is not None:
                    values.append((matches[0].name, figure.code, row.year, str(number)))
                    origins.append((row.line, figure_cell))
        if len(values):
            result = values_import(
                user=user,
                dataset=values,
                dry_run=dry_run or bool(report.errors),
                validate=True,
                source=SOURCE,
            )
            columns_by_name = {"structure": columns.structure_header, "periode": columns.year_header}
            for error in result.errors:
                if error.line is None:
                    report.errors.append(error)
                    continue
                line, figure_cell = origins[error.line - 2]
                column = columns_by_name.get(error.column, figure_cell.column)
                report.errors.append(ErrorReport(line, column, error.message))
            for (_line, figure_cell), kind in zip(origins, result.rows, strict=False):
                figure_cell.kind = ROW_KINDS.get(kind, "Erreur")
                if kind == RowResult.IMPORT_TYPE_NEW:
                    report.created += 1
                elif kind == RowResult.IMPORT_TYPE_UPDATE:
                    report.updated += 1
                elif kind == RowResult.IMPORT_TYPE_SKIP:
                    report.unchanged += 1
        report.rows = [row for row, _numbers in rows]
        report.errors.sort(key=lambda error: error.line or 0)
        if dry_run or report.errors:
            transaction.set_rollback(True)
    if not dry_run and report.errors:
        report.created = report.updated = report.unchanged = 0
    return report
