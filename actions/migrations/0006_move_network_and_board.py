"""Actions' links to structures and partners now point at the `network` app (same tables, same columns)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0005_participation_decided_index'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='partners',
                    field=models.ManyToManyField(blank=True, related_name='actions', through='actions.ActionPartner', to='network.partner', verbose_name='partenaires'),
                ),
                migrations.AlterField(
                    model_name='action',
                    name='structures',
                    field=models.ManyToManyField(blank=True, related_name='actions', to='network.structure', verbose_name='structures impliquées'),
                ),
                migrations.AlterField(
                    model_name='actionpartner',
                    name='partner',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='action_links', to='network.partner', verbose_name='partenaire'),
                ),
                migrations.AlterField(
                    model_name='historicalactionpartner',
                    name='partner',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.partner', verbose_name='partenaire'),
                ),
                migrations.AlterField(
                    model_name='historicalparticipation',
                    name='structure',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.structure', verbose_name='structure'),
                ),
                migrations.AlterField(
                    model_name='participation',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='network.structure', verbose_name='structure'),
                ),
            ],
            database_operations=[],
        ),
    ]
