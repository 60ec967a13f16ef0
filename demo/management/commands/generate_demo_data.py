"""Fill a (throwaway) database with generated data at a département's or the nation's scale."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.generate import SCALES, GenerationRefused, generate


class Command(BaseCommand):
    help = (
        "Génère des données de démonstration cohérentes (réseau, projet, actions, indicateurs, "
        "valeurs et historique), marquées « [Démo générée] », pour mesurer les performances."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="departmental", help="Taille des données.")
        parser.add_argument("--seed", type=int, default=2024, help="Graine du hasard (mêmes données à chaque fois).")
        parser.add_argument(
            "--force", action="store_true", help="Générer même là où DEMO_DATA_ALLOWED est faux (base jetable)."
        )
        parser.add_argument(
            "--allow-mixed", action="store_true", help="Générer à côté d'un projet fédéral réel déjà présent."
        )

    def handle(self, *args, scale, seed, force, allow_mixed, **options):
        database = connection.settings_dict
        self.stdout.write(f"Base : {connection.vendor} ({database.get('NAME')}) — échelle « {scale} »…")
        try:
            result = generate(scale=SCALES[scale], seed=seed, force=force, allow_mixed=allow_mixed)
        except GenerationRefused as error:
            raise CommandError(str(error)) from None
        for line in result.summary_lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Projet généré : {result.plan}"))
