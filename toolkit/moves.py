"""Moving models between apps without touching their tables (used by the December 2026 layout).

A model that changes app keeps its table (`db_table`), so no row is copied; Django's state is
moved with `SeparateDatabaseAndState`. What remains is the content type, which permissions,
role groups and admin log entries point at: `content_types_moved` renames it in place, so that
every one of those rows follows the model.

`MOVED_MODELS` lists what moved, for whatever still names a model by its old app: backup
archives made before the move (`restore` translates them).
"""

from django.db import migrations


def content_types_moved(old_app: str, new_app: str) -> migrations.RunPython:
    """A reversible migration operation that moves the content types of the models `MOVED_MODELS`
    lists from `old_app` to `new_app`."""
    model_names = [
        old.split(".")[1]
        for old, new in MOVED_MODELS.items()
        if old.startswith(f"{old_app}.") and new.startswith(f"{new_app}.")
    ]

    def rename(apps, source: str, target: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        for name in model_names:
            # On a database created after the move, `migrate` made the new ones: nothing to move.
            if not ContentType.objects.filter(app_label=target, model=name).exists():
                ContentType.objects.filter(app_label=source, model=name).update(app_label=target)

    return migrations.RunPython(
        lambda apps, schema_editor: rename(apps, old_app, new_app),
        lambda apps, schema_editor: rename(apps, new_app, old_app),
        elidable=False,
    )


# Every model the December 2026 layout moved, old label → new label, in lower case as `dumpdata`
# writes them ("app.model"). Whatever still names a model by its old app (a backup archive made
# before the move, a permission's natural key, an admin log's content type) translates here.
MOVED_MODELS: dict[str, str] = {
    **{
        f"federation.{name}": f"network.{name}"
        for name in (
            "territory",
            "historicalterritory",
            "structure",
            "historicalstructure",
            "partner",
            "historicalpartner",
        )
    },
    "federation.reportingreminder": "centres.reportingreminder",
    "indicators.boardmeeting": "board.boardmeeting",
    "indicators.historicalboardmeeting": "board.historicalboardmeeting",
}


def current_label(label: str) -> str:
    """A model's lower-case label ("app.model") as it is named today: moved models get their new app."""
    return MOVED_MODELS.get(label, label)
