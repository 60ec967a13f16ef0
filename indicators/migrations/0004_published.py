# « Publié » switches (issue 17): the indicator, and the structures whose own figure is published.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_move_network_and_board"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicator",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text="Visible sans connexion dans l'espace public et par l'API ouverte.",
                verbose_name="publié",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="is_published",
            field=models.BooleanField(
                default=False,
                help_text="Visible sans connexion dans l'espace public et par l'API ouverte.",
                verbose_name="publié",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="published_structures",
            field=models.ManyToManyField(
                blank=True,
                help_text="Leurs valeurs validées de cet indicateur sont publiées une à une, en plus du chiffre du réseau.",
                related_name="published_indicators",
                to="network.structure",
                verbose_name="structures dont le chiffre est publié",
            ),
        ),
    ]
