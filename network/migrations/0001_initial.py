"""Territories, structures and partners move from `federation` to `network`, tables and rows unchanged."""

import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from toolkit.moves import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('federation', '0004_structure_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's idea of which app owns them changes.
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPartner',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('caf', 'Caf'), ('collectivite', 'Collectivité'), ('etat', 'État'), ('federation', 'Fédération, réseau'), ('association', 'Association'), ('autre', 'Autre')], default='autre', max_length=20, verbose_name='type')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical partenaire',
                        'verbose_name_plural': 'historical partenaires',
                        'db_table': 'federation_historicalpartner',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Partner',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('caf', 'Caf'), ('collectivite', 'Collectivité'), ('etat', 'État'), ('federation', 'Fédération, réseau'), ('association', 'Association'), ('autre', 'Autre')], default='autre', max_length=20, verbose_name='type')),
                    ],
                    options={
                        'verbose_name': 'partenaire',
                        'verbose_name_plural': 'partenaires',
                        'db_table': 'federation_partner',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='partner_name_unique_ci')],
                    },
                ),
                migrations.CreateModel(
                    name='Territory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('departement', 'Département'), ('bassin', 'Bassin de vie'), ('commune', 'Commune')], default='commune', max_length=20, verbose_name='type')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='network.territory', verbose_name='territoire parent')),
                    ],
                    options={
                        'verbose_name': 'territoire',
                        'verbose_name_plural': 'territoires',
                        'db_table': 'federation_territory',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalTerritory',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('departement', 'Département'), ('bassin', 'Bassin de vie'), ('commune', 'Commune')], default='commune', max_length=20, verbose_name='type')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.territory', verbose_name='territoire parent')),
                    ],
                    options={
                        'verbose_name': 'historical territoire',
                        'verbose_name_plural': 'historical territoires',
                        'db_table': 'federation_historicalterritory',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalStructure',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('centre_social', 'Centre social'), ('evs', 'Espace de vie sociale'), ('federation', 'Fédération')], default='centre_social', max_length=20, verbose_name='type')),
                        ('address', models.TextField(blank=True, verbose_name='adresse')),
                        ('governance', models.CharField(blank=True, choices=[('associative', 'Associative'), ('municipale', 'Municipale'), ('co_gestion', 'Co-gestion')], default='', max_length=20, verbose_name='mode de gestion')),
                        ('caf_approval_ends_on', models.DateField(blank=True, help_text="Date à laquelle l'agrément de la Caf (centre social ou EVS) prend fin.", null=True, verbose_name="fin de l'agrément Caf")),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('territory', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.territory', verbose_name='territoire')),
                    ],
                    options={
                        'verbose_name': 'historical structure',
                        'verbose_name_plural': 'historical structures',
                        'db_table': 'federation_historicalstructure',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Structure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('kind', models.CharField(choices=[('centre_social', 'Centre social'), ('evs', 'Espace de vie sociale'), ('federation', 'Fédération')], default='centre_social', max_length=20, verbose_name='type')),
                        ('address', models.TextField(blank=True, verbose_name='adresse')),
                        ('governance', models.CharField(blank=True, choices=[('associative', 'Associative'), ('municipale', 'Municipale'), ('co_gestion', 'Co-gestion')], default='', max_length=20, verbose_name='mode de gestion')),
                        ('caf_approval_ends_on', models.DateField(blank=True, help_text="Date à laquelle l'agrément de la Caf (centre social ou EVS) prend fin.", null=True, verbose_name="fin de l'agrément Caf")),
                        ('directors', models.ManyToManyField(blank=True, help_text='Comptes « Direction de centre » de cette structure.', related_name='structures', to=settings.AUTH_USER_MODEL, verbose_name='direction')),
                        ('territory', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='structures', to='network.territory', verbose_name='territoire')),
                    ],
                    options={
                        'verbose_name': 'structure',
                        'verbose_name_plural': 'structures',
                        'db_table': 'federation_structure',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='structure_name_unique_ci')],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved("federation", "network"),
    ]
