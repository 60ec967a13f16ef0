"""The single action an indicator evaluated is now one of its `actions` (copied by 0010).
The history keeps no action, as it keeps no objective: simple_history records no many-to-many here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0010_indicator_actions"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalindicator",
            name="action",
        ),
        migrations.RemoveField(
            model_name="indicator",
            name="action",
        ),
    ]
