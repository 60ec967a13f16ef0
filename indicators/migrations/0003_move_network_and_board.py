"""Values' and targets' structures point at the `network` app; board meetings leave for `board` (same tables)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('board', '0001_initial'),
        ('indicators', '0002_seed_lists'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.DeleteModel(
                    name='BoardMeeting',
                ),
                migrations.AlterField(
                    model_name='historicalmeasurement',
                    name='structure',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="Vide : valeur pour l'ensemble du réseau.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.structure', verbose_name='structure'),
                ),
                migrations.AlterField(
                    model_name='historicaltarget',
                    name='structure',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="Vide : cible pour l'ensemble du réseau.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.structure', verbose_name='structure'),
                ),
                migrations.AlterField(
                    model_name='measurement',
                    name='structure',
                    field=models.ForeignKey(blank=True, help_text="Vide : valeur pour l'ensemble du réseau.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='measurements', to='network.structure', verbose_name='structure'),
                ),
                migrations.AlterField(
                    model_name='target',
                    name='structure',
                    field=models.ForeignKey(blank=True, help_text="Vide : cible pour l'ensemble du réseau.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='indicator_targets', to='network.structure', verbose_name='structure'),
                ),
                migrations.DeleteModel(
                    name='HistoricalBoardMeeting',
                ),
            ],
            database_operations=[],
        ),
    ]
