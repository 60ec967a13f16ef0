"""An indicator evidences several actions: the many-to-many `actions` beside the old foreign key
`action`, which each indicator's link is copied into. 0011 then removes the foreign key."""

import django.db.models.deletion
from django.db import migrations, models


def copy_action_into_actions(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    links = Indicator.actions.through
    links.objects.bulk_create(
        links(indicator_id=indicator_id, action_id=action_id)
        for indicator_id, action_id in Indicator.objects.filter(action__isnull=False).values_list("pk", "action_id")
    )


def copy_first_action_back(apps, schema_editor):
    """Back to one action: each indicator keeps the first one linked (the others are lost)."""
    Indicator = apps.get_model("indicators", "Indicator")
    first: dict[int, int] = {}
    for indicator_id, action_id in Indicator.actions.through.objects.order_by("pk").values_list(
        "indicator_id", "action_id"
    ):
        first.setdefault(indicator_id, action_id)
    for indicator_id, action_id in first.items():
        Indicator.objects.filter(pk=indicator_id).update(action_id=action_id)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0012_typographic_apostrophes"),
        ("indicators", "0009_typographic_apostrophes"),
    ]

    operations = [
        # The reverse name `action.indicators` passes to the new field (no change in the database).
        migrations.AlterField(
            model_name="indicator",
            name="action",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="actions.action",
                verbose_name="action évaluée",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="actions",
            field=models.ManyToManyField(
                blank=True, related_name="indicators", to="actions.action", verbose_name="actions évaluées"
            ),
        ),
        migrations.RunPython(copy_action_into_actions, copy_first_action_back, elidable=False),
    ]
