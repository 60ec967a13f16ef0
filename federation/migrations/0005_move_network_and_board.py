"""The network's models have left for `network` and `centres`: `federation` forgets them (tables kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_move_network_and_board'),
        ('centres', '0001_initial'),
        ('actions', '0006_move_network_and_board'),
        ('federation', '0004_structure_search_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalpartner',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalstructure',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalstructure',
                    name='territory',
                ),
                migrations.RemoveField(
                    model_name='historicalterritory',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalterritory',
                    name='parent',
                ),
                migrations.DeleteModel(
                    name='Partner',
                ),
                migrations.RemoveField(
                    model_name='reportingreminder',
                    name='structure',
                ),
                migrations.RemoveField(
                    model_name='structure',
                    name='directors',
                ),
                migrations.RemoveField(
                    model_name='structure',
                    name='territory',
                ),
                migrations.RemoveField(
                    model_name='territory',
                    name='parent',
                ),
                migrations.DeleteModel(
                    name='HistoricalPartner',
                ),
                migrations.DeleteModel(
                    name='HistoricalStructure',
                ),
                migrations.DeleteModel(
                    name='HistoricalTerritory',
                ),
                migrations.DeleteModel(
                    name='ReportingReminder',
                ),
                migrations.DeleteModel(
                    name='Structure',
                ),
                migrations.DeleteModel(
                    name='Territory',
                ),
            ],
            database_operations=[],
        ),
    ]
