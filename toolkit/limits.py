"""How long a text may be: the same limit for the forms, the imports and the database.

A title or an objective is a sentence or two; a long text (a description, an axis's
context, a journal entry) a few pages. Without limits, one 100 MB title made every page
that lists it weigh 100 MB and every search take a minute and a half.

`bounded_text` is a TextField whose limit the forms (max_length), the model's validation
(the imports, the services: full_clean) and the database (`length_constraint`, a CHECK on
the length in characters, the same on PostgreSQL and SQLite) all enforce.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

TITLE_MAX_LENGTH = 500  # titles, objectives, short texts
LONG_TEXT_MAX_LENGTH = 20_000  # descriptions, contexts, journal entries, notes


def bounded_text(verbose_name, max_length: int = LONG_TEXT_MAX_LENGTH, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


def length_constraints(model_label: str, **limits: int) -> list[models.CheckConstraint]:
    """One CHECK per field: length(field) <= limit, named `<model_label>_<field>_length`."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit),
            name=f"{model_label}_{field}_length",
            violation_error_message=f"Ce texte dépasse {limit} caractères.",
        )
        for field, limit in limits.items()
    ]


def refuse_longer_texts(app_label: str, limits: dict[str, dict[str, int]]):
    """A migration step, before the length constraints: if a row already holds a longer
    text, stop the migration and name the rows, rather than let the database refuse it with
    a bare « CHECK constraint failed » (or, worse, shorten anything). Someone shortens them
    (the admin, the pages) and migrates again."""
    from django.db import migrations

    def check(apps, schema_editor):
        too_long = []
        for model_name, fields in limits.items():
            model = apps.get_model(app_label, model_name)
            for field, limit in fields.items():
                rows = model._base_manager.annotate(_length=Length(field)).filter(_length__gt=limit)
                ids = list(rows.values_list("pk", flat=True)[:20])
                if ids:
                    too_long.append(
                        f"{model_name}.{field} (au-delà de {limit} caractères) : n° {', '.join(map(str, ids))}"
                    )
        if too_long:
            raise RuntimeError(
                "Des textes dépassent la longueur désormais permise ; raccourcissez-les puis relancez la "
                "migration : " + " ; ".join(too_long)
            )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=True)
