from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and the national data generator: installed by the local and test settings only."""

    name = "demo"
    verbose_name = "Démonstration"
