"""The pieces every list's resource shares (django-import-export widgets and base resource).

The resources are used by the admin and by the staff's « Listes » page alike. They speak
French to the people who fill the spreadsheets: French column names, choices by their
French label (the internal code is accepted too), related objects by a number or a name,
and an error message in French for every value they refuse. Nothing is written unless the
whole file is valid: `IMPORT_EXPORT_USE_TRANSACTIONS` and `clean_model_instances`.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from .text import fold_key

MAX_ID = 2_147_483_647  # the largest id every database accepts

_INTEGER = re.compile(r"^[+-]?\d+(?:[.,]0*)?$")


class ImportValueError(ValueError):
    """A value the import refuses; the message is for the user, in French."""


class ImportFileError(ImportValueError):
    """The file as a whole cannot be imported (its columns)."""


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class IntegerWidget(widgets.IntegerWidget):
    """A whole number between `minimum` and `maximum`, or empty; refusals in French."""

    def __init__(self, *, minimum: int = 0, maximum: int = MAX_ID, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _as_text(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not text:
            return None
        if not _INTEGER.match(text):
            raise ImportValueError(f"« {_as_text(value)[:50]} » n’est pas un nombre entier.")
        try:
            number = int(Decimal(text.replace(",", ".")))
        except (InvalidOperation, ValueError) as error:
            raise ImportValueError(f"« {text[:50]} » n’est pas un nombre entier.") from error
        if not self.minimum <= number <= self.maximum:
            raise ImportValueError(f"{text[:50]} n’est pas entre {self.minimum} et {self.maximum}.")
        return number

    def render(self, value, obj=None, **kwargs):
        # Spreadsheets (force_native_type) get numbers, text formats get digits.
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class TextWidget(widgets.CharWidget):
    """Text as given (a round trip keeps it exactly); refuses the NUL character."""

    def clean(self, value, row=None, **kwargs):
        text = _as_text(value)
        if "\x00" in text:
            raise ImportValueError("Le texte contient un caractère nul (fichier binaire ?).")
        return text


class ChoiceWidget(widgets.Widget):
    """A choice by its French label (« Centre social ») or its code (« centre_social »).

    Exports the label. Case, accents, spaces and underscores do not matter on import.
    An empty cell gives None, which the field does not save: the model's default on
    creation, the current value on update.
    """

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self._lookup = {}
        for code, label in choices.choices:
            self._lookup[fold_key(code)] = code
            self._lookup[fold_key(str(label))] = code
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _as_text(value)
        if not text.strip():
            return None
        try:
            return self._lookup[fold_key(text)]
        except KeyError:
            allowed = ", ".join(f"« {label} »" for label in self.choices.labels)
            raise ImportValueError(f"« {text[:50]} » n’est pas une valeur possible ({allowed}).") from None

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return str(value)


class OptionalChoiceWidget(ChoiceWidget):
    """A choice that may be left blank: an empty cell clears it (« » stays « » on a round trip)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or ""


_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


class FrenchDateWidget(widgets.Widget):
    """A date as 31/12/2026 (French) or 2026-12-31 (ISO, and what a spreadsheet's date cell gives).

    Exports dd/mm/yyyy to text files and a date to spreadsheets; an empty cell gives None.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _as_text(value).strip()
        if not text:
            return None
        if match := _FRENCH_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
        elif match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise ImportValueError(f"« {text[:30]} » n’est pas une date : écrivez-la jj/mm/aaaa (31/12/2026).")
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ImportValueError(f"« {text[:30]} » n’est pas une date qui existe.") from None
        if not 1900 <= date.year <= 2200:
            raise ImportValueError(f"« {text[:30]} » : l’année doit être entre 1900 et 2200.")
        return date

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.strftime("%d/%m/%Y")


class IdForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related object by its number (id); « Aucun axe n° 12. » when there is none."""

    def __init__(self, model, *, noun: str, **kwargs):
        self.noun = noun
        self.number = IntegerWidget(minimum=1)
        super().__init__(model, field="pk", **kwargs)

    def clean(self, value, row=None, **kwargs):
        pk = self.number.clean(value)
        if pk is None:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(pk=pk)
        except self.model.DoesNotExist:
            raise ImportValueError(f"Aucun {self.noun} n° {pk}.") from None


class NameForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related object by its name, whatever the case; refuses unknown and ambiguous names."""

    def __init__(self, model, *, noun: str, **kwargs):
        self.noun = noun
        super().__init__(model, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = _as_text(value).strip()
        if not name:
            return None
        if "\x00" in name:
            raise ImportValueError("Le texte contient un caractère nul (fichier binaire ?).")
        matches = list(self.get_queryset(value, row, **kwargs).filter(name__iexact=name)[:2])
        if not matches:
            raise ImportValueError(f"Aucun {self.noun} nommé « {name[:80]} ».")
        if len(matches) > 1:
            raise ImportValueError(f"Plusieurs {self.noun}s s’appellent « {name[:80]} » : renommez-les d’abord.")
        return matches[0]


# « 12 — Développer l’écoute »: a related object as the export writes it, its number first.
_LABELLED = re.compile(r"^\s*(?P<number>\d+)\s*[—–]")


class IdsManyToManyWidget(widgets.ManyToManyWidget):
    """Related objects by their numbers separated by « | » (« 3|7|12 »). Given `label`, the
    export writes one a line, « numéro — intitulé », for a person to read; the import reads
    the number at the start of each such line, and still reads « 3|7|12 »."""

    def __init__(self, model, *, noun_plural: str, label=None, **kwargs):
        self.noun_plural = noun_plural
        self.label = label
        self.number = IntegerWidget(minimum=1)
        super().__init__(model, separator="|", field="pk", **kwargs)

    def _numbers(self, text: str) -> list[str]:
        numbers = []
        for line in text.splitlines():
            labelled = _LABELLED.match(line)
            numbers.extend([labelled["number"]] if labelled else line.split(self.separator))
        return numbers

    def clean(self, value, row=None, **kwargs):
        text = _as_text(value).strip()
        if not text:
            return []
        ids = []
        for part in self._numbers(text):
            if part.strip():
                try:
                    ids.append(self.number.clean(part))
                except ValueError:
                    raise ImportValueError(
                        f"«\u00a0{text[:80]}\u00a0»\u00a0: les {self.noun_plural} s’écrivent par leurs numéros, "
                        "séparés par «\u00a0|\u00a0» ou un par ligne («\u00a012 — intitulé\u00a0»)."
                    ) from None
        found = {obj.pk: obj for obj in self.model.objects.filter(pk__in=ids)}
        missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise ImportValueError(f"{self.noun_plural.capitalize()} introuvables\u00a0: n° {', '.join(missing)}.")
        return [found[pk] for pk in dict.fromkeys(ids)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if self.label is not None:
            return "\n".join(f"{related.pk} — {self.label(related)}" for related in value.all())
        return self.separator.join(str(related.pk) for related in value.all())


def id_field() -> fields.Field:
    return fields.Field(attribute="id", column_name="id", widget=IntegerWidget(minimum=1))


def text_field(attribute: str, column_name: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=TextWidget())


def choice_field(attribute: str, column_name: str, choices) -> fields.Field:
    # An empty cell keeps the current value (or the model's default for a new row).
    return fields.Field(
        attribute=attribute,
        column_name=column_name,
        widget=ChoiceWidget(choices),
        saves_null_values=False,
    )


def list_import_reason(model) -> str:
    """The history reason of a row written by importing a list (CSV or XLSX) of `model`."""
    return f"Import de la liste « {model._meta.verbose_name_plural} »"[:100]


class ListResource(resources.ModelResource):
    """What every list's resource shares: French columns checked up front, rows by id.

    Subclasses declare their fields with French `column_name`s and list in
    `required_columns` the columns a file must have.
    """

    required_columns: tuple[str, ...] = ()
    noun = "élément"  # for messages: « Aucun partenaire n° 12. »
    unique_name = False  # names are unique whatever their case (Partner, Structure)

    class Meta:
        import_id_fields = ["id"]  # a list: the file may then leave out the id column
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def with_relations(self, queryset):
        """`queryset` with what the export reads loaded up front (no query per row)."""
        return queryset

    def iter_queryset(self, queryset):
        # django-import-export pages a prefetched queryset by 100 rows, with its prefetch
        # queries again on each page; the lists hold hundreds of rows: evaluate them once.
        yield from queryset

    def filter_export(self, queryset, **kwargs):
        # Both the staff page and the admin (which passes its change list) export through here.
        return self.with_relations(super().filter_export(queryset, **kwargs))

    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_export_fields()]

    def before_import(self, dataset, **kwargs):
        # A column is recognised folded, any apostrophe straight: the export writes
        # « fin de l’agrément Caf », a spreadsheet typed by hand « fin de l'agrément Caf ».
        by_key = {fold_key(column): column for column in self.column_names()}
        headers = [str(header).strip() if header is not None else "" for header in (dataset.headers or [])]
        headers = [by_key.get(fold_key(header), header) for header in headers]
        known = set(self.column_names())
        unknown = [header or "(vide)" for header in headers if header not in known]
        missing = [column for column in self.required_columns if column not in headers]
        problems = []
        if missing:
            problems.append(f"colonnes manquantes : {', '.join(f'« {c} »' for c in missing)}")
        if unknown:
            problems.append(f"colonnes inconnues : {', '.join(f'« {c[:40]} »' for c in unknown[:10])}")
        if len(set(headers)) != len(headers):
            problems.append("une colonne apparaît deux fois")
        if problems:
            expected = ", ".join(f"« {c} »" for c in self.column_names())
            raise ImportFileError(
                f"Le fichier n’a pas les colonnes attendues ({' ; '.join(problems)}). Colonnes possibles : {expected}."
            )
        dataset.headers = headers

    def get_instance(self, instance_loader, row):
        # A row without an id is a new object. An id that names nothing is refused rather
        # than created under that id: ids are the database's, and a made-up one would
        # desynchronise PostgreSQL's sequence.
        if "id" not in row:
            return None
        pk = self.fields["id"].clean(row)
        if pk is None:
            return None
        try:
            return self.get_queryset().get(pk=pk)
        except self._meta.model.DoesNotExist:
            raise ImportValueError(
                f"Aucun {self.noun} n° {pk} : laissez la colonne « id » vide pour créer un nouvel élément."
            ) from None

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many values are only saved after the row is valid; check them now so
        # that an unknown id is reported as a row error with its column, like any other.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    self.check_related(instance, field, field.clean(row))
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if self.unique_name and "name" not in errors and instance.name:
            # The database compares names in lower case, but SQLite's LOWER() ignores
            # accents' case (« DRÔME » ≠ « drôme »): compare in Python, the same everywhere.
            others = self._meta.model.objects.exclude(pk=instance.pk).values_list("name", flat=True)
            twin = next((name for name in others if name.lower() == instance.name.lower()), None)
            if twin is not None:
                errors["name"] = ValidationError(f"« {twin} » porte déjà ce nom.", code="unique")
        super().validate_instance(instance, errors, validate_unique)

    def check_related(self, instance, field, related: list) -> None:
        """Refuse (ValueError) related objects that cannot go with `instance`."""

    def before_save_instance(self, instance, row, **kwargs):
        # Plan objects carry a version for optimistic locking: an import is an edit too,
        # so that a form opened before the import refuses to overwrite it.
        if instance.pk is not None and isinstance(getattr(instance, "version", None), int):
            instance.version += 1
        # Who imported it and that it came from a list, in the history, even outside a request.
        if kwargs.get("user") is not None:
            instance._history_user = kwargs["user"]
        instance._change_reason = list_import_reason(self._meta.model)
