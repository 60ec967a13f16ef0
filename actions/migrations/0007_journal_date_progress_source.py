"""Journal entries get the date of what they report; actions say whether their milestones drive their progress."""

import django.utils.timezone
from django.utils import timezone
from django.db import migrations, models


def date_from_typing(apps, schema_editor):
    """Existing entries report what happened on the day they were typed."""
    Update = apps.get_model("actions", "Update")
    HistoricalUpdate = apps.get_model("actions", "HistoricalUpdate")
    for model in (Update, HistoricalUpdate):
        for pk, created_at in model.objects.values_list("pk", "created_at").iterator():
            model.objects.filter(pk=pk).update(date=timezone.localdate(created_at))


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0006_move_network_and_board'),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='progress_follows_milestones',
            field=models.BooleanField(default=True, help_text="Quand l'action a des jalons, son avancement est la part des jalons atteints ; décochez pour saisir l'avancement à la main.", verbose_name="avancement d'après les jalons"),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='progress_follows_milestones',
            field=models.BooleanField(default=True, help_text="Quand l'action a des jalons, son avancement est la part des jalons atteints ; décochez pour saisir l'avancement à la main.", verbose_name="avancement d'après les jalons"),
        ),
        migrations.AddField(
            model_name='historicalupdate',
            name='date',
            field=models.DateField(db_index=True, default=django.utils.timezone.localdate, verbose_name='date'),
        ),
        migrations.AddField(
            model_name='update',
            name='date',
            field=models.DateField(db_index=True, default=django.utils.timezone.localdate, verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='historicalupdate',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='saisie le'),
        ),
        migrations.AlterField(
            model_name='update',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='saisie le'),
        ),
        migrations.RunPython(date_from_typing, migrations.RunPython.noop, elidable=True),
    ]
