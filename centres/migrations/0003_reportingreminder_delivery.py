from django.db import migrations, models

DELIVERY = models.CharField(
    choices=[("sending", "envoi en cours ou interrompu"), ("sent", "envoyée")],
    default="sent",
    max_length=10,
    verbose_name="envoi",
)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_reporting_reminder_history"),
    ]

    operations = [
        migrations.AddField(model_name="reportingreminder", name="delivery", field=DELIVERY),
        migrations.AddField(model_name="historicalreportingreminder", name="delivery", field=DELIVERY.clone()),
    ]
