"""Importing indicator values (structure, indicateur, période, valeur) from a CSV/XLSX file,
for the values import pages and the observatory import: French errors by row, all or
nothing, at national scale.

Structures, indicators and the values already stored are read once into dictionaries;
each row is checked in memory (the widgets' parsing, the model's `full_clean` without its
per-row uniqueness queries, the permissions of `measurement_record`); the values are then
written with `bulk_create_with_history` / `bulk_update_with_history`, one history row each,
inside one transaction. A fixed number of queries per file, whatever its length.
"""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from network.models import Structure
from toolkit import aggregates
from toolkit.numbers import NumberError, check_count
from toolkit.resources import ImportValueError
from toolkit.tables import ErrorReport
from toolkit.text import fold_key

from ..models import Indicator, Measurement
from ..resources import FrenchDecimalWidget, PeriodWidget
from ..services import may_validate

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
NETWORK_NAMES = {"reseau", "federation", "ensemble du reseau"}
COLUMN_OF = {"structure": "structure", "indicator": "indicateur", "period": "periode", "value": "valeur"}
UPDATED_FIELDS = [
    "value",
    "text",
    "source",
    "comment",
    "entered_by",
    "status",
    "validated_by",
    "validated_at",
    "return_comment",
    "updated_at",
]


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
    """Rename the columns to the import's names; raise ImportValueError if one is missing."""
    headers = [COLUMNS.get(fold_key(header), header) for header in dataset.headers]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ImportValueError(
            "Colonnes manquantes : "
            + ", ".join(f"« {name} »" for name in missing)
            + ". Le fichier doit avoir les colonnes structure, indicateur, période, valeur."
        )
    dataset.headers = headers
    return dataset


def _lookup_tables(dataset):
    structures, indicators = {}, {}
    for structure in Structure.objects.order_by("pk").only("pk", "name"):
        structures.setdefault(structure.name.strip().casefold(), structure)
    for indicator in Indicator.objects.order_by("pk"):
        for key in {indicator.code.strip().casefold(), indicator.name.strip().casefold()} - {""}:
            indicators.setdefault(key, {})[indicator.pk] = indicator
    return structures, indicators


def values_import(
    *, user, dataset, dry_run: bool, validate: bool = False, source: str = "Import de fichier"
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
    structures, indicators = _lookup_tables(dataset)
    validator = may_validate(user)
    may_report = user.has_perm("indicators.report_measurement")  # as measurement_record asks
    own = set(Structure.objects.filter(directors=user).values_list("pk", flat=True)) if not validator else set()
    period_widget, value_widget = PeriodWidget(), FrenchDecimalWidget()
    status = Measurement.Status.VALIDATED if validate else Measurement.Status.DRAFT
    parsed = []  # (line, structure, indicator, period, value)
    for line, row in enumerate(dataset.dict, start=2):  # line 1 holds the headers
        errors = []
        name = str(row.get("structure") or "").strip()
        structure = None
        if name and fold_key(name) not in NETWORK_NAMES:
            structure = structures.get(name.casefold())
            if structure is None:
                errors.append(f"Aucune structure nommée « {name[:80]} ».")
        text = str(row.get("indicateur") or "").strip()
        indicator = None
        if not text:
            errors.append("L’indicateur est obligatoire (son code ou son nom).")
        else:
            matches = indicators.get(text.casefold(), {})
            if not matches:
                errors.append(f"Aucun indicateur de code ou de nom « {text[:80]} ».")
            elif len(matches) > 1:
                errors.append(f"Plusieurs indicateurs répondent à « {text[:80]} » : utilisez son code.")
            else:
                indicator = next(iter(matches.values()))
        period = value = None
        for column, widget in (("periode", period_widget), ("valeur", value_widget)):
            try:
                cleaned = widget.clean(row.get(column))
            except (ImportValueError, ValueError) as error:
                errors.append(str(error))
            else:
                period, value = (cleaned, value) if column == "periode" else (period, cleaned)
        if indicator is not None and value is not None and indicator.is_count:
            try:
                check_count(value, unit=indicator.unit)
            except NumberError as error:
                errors.append(str(error))
        report.errors.extend(ErrorReport(line, None, message) for message in errors)
        report.rows.append("error" if errors else "")
        if not errors:
            parsed.append((line, structure, indicator, period, value))

    stored = {
        (m.indicator_id, m.period, m.structure_id): m
        for m in Measurement.objects.select_for_update()
        .order_by()
        .filter(indicator_id__in={p[2].pk for p in parsed}, period__in={p[3] for p in parsed})
    }
    now = timezone.now()
    to_create, to_update, seen = [], [], {}
    for line, structure, indicator, period, value in parsed:
        key = (indicator.pk, period, structure.pk if structure else None)
        if not (may_report and (validator or (structure is not None and structure.pk in own))):
            report.errors.append(ErrorReport(line, None, "Vous ne pouvez pas saisir de valeur pour cette structure."))
            report.rows[line - 2] = "error"
            continue
        if key in seen:
            report.errors.append(
                ErrorReport(line, None, f"Même structure, indicateur et période qu’à la ligne {seen[key]}.")
            )
            report.rows[line - 2] = "error"
            continue
        seen[key] = line
        measurement = stored.get(key)
        if measurement is not None:
            if (
                measurement.value is not None
                and (measurement.value == value and not measurement.text and measurement.source == source)
                and measurement.status == status
            ):
                report.rows[line - 2] = "skip"
                report.unchanged += 1
                continue
            if measurement.status == Measurement.Status.VALIDATED and not validator:
                report.errors.append(
                    ErrorReport(
                        line,
                        None,
                        "Cette valeur est déjà validée : demandez à l’équipe fédérale de vous la renvoyer pour la corriger.",
                    )
                )
                report.rows[line - 2] = "error"
                continue
        else:
            measurement = Measurement(indicator=indicator, period=period, structure=structure, created_at=now)
        measurement.value, measurement.text, measurement.source, measurement.comment = value, "", source, ""
        measurement.entered_by, measurement.status, measurement.updated_at = user, status, now
        measurement.validated_by = user if validate else None
        measurement.validated_at = now if validate else None
        measurement.return_comment = ""
        try:
            measurement.full_clean(
                exclude=["indicator", "structure", "entered_by", "validated_by"],  # resolved above: no query a row
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            items = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, [error])]
            for field, field_errors in items:
                column = None if field == NON_FIELD_ERRORS else COLUMN_OF.get(field, field)
                for item in field_errors:
                    report.errors.extend(ErrorReport(line, column, message) for message in item.messages)
            report.rows[line - 2] = "error"
            continue
        if measurement.pk:
            to_update.append(measurement)
            report.rows[line - 2] = "update"
        else:
            to_create.append(measurement)
            report.rows[line - 2] = "new"
    report.created, report.updated = len(to_create), len(to_update)
    if report.errors:
        if not dry_run:
            report.created = report.updated = 0
        return report
    if not dry_run:
        with transaction.atomic():
            # Who, when, and from which import (validated in bulk when `validate`), one history row each.
            reason = f"{source} (valeurs validées)" if validate and validator else source
            history = {"default_user": user, "default_date": now, "default_change_reason": reason[:100]}
            bulk_create_with_history(to_create, Measurement, batch_size=1000, **history)
            bulk_update_with_history(to_update, Measurement, UPDATED_FIELDS, batch_size=1000, **history)
            aggregates.data_changed(["indicators"])  # bulk writes send no save signal
    return report
