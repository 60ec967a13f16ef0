"""Board meetings move from `indicators` to `board`, tables and rows unchanged."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from toolkit.moves import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('indicators', '0002_seed_lists'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.CreateModel(
                    name='BoardMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='intitulé')),
                    ],
                    options={
                        'verbose_name': "réunion du conseil d'administration",
                        'verbose_name_plural': "réunions du conseil d'administration",
                        'db_table': 'indicators_boardmeeting',
                        'ordering': ['-date'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalBoardMeeting',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('date', models.DateField(db_index=True, verbose_name='date')),
                        ('title', models.CharField(blank=True, max_length=200, verbose_name='intitulé')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': "historical réunion du conseil d'administration",
                        'verbose_name_plural': "historical réunions du conseil d'administration",
                        'db_table': 'indicators_historicalboardmeeting',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        content_types_moved("indicators", "board"),
    ]
