"""Reporting reminders move from `federation` to `centres`, table and rows unchanged."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from toolkit.moves import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('federation', '0004_structure_search_index'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.CreateModel(
                    name='ReportingReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(max_length=10, verbose_name='période')),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
                        ('recipients', models.TextField(blank=True, verbose_name='destinataires')),
                        ('structure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reporting_reminders', to='network.structure', verbose_name='structure')),
                    ],
                    options={
                        'verbose_name': 'relance de saisie',
                        'verbose_name_plural': 'relances de saisie',
                        'db_table': 'federation_reportingreminder',
                        'ordering': ['-sent_at'],
                        'constraints': [models.UniqueConstraint(models.F('structure'), models.F('period'), name='reporting_reminder_once_per_period')],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved("federation", "centres"),
    ]
