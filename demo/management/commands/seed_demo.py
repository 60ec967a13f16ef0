"""Load the federation's plan and the demo accounts. Idempotent; refuses to run in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.services.plan_import import plan_import
from demo import network as demo_network
from demo import plan as demo_plan
from demo import publication as demo_publication
from network import roles
from network.models import Structure, Territory

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = [
    # username, first name, last name, role (None = superuser). What these accounts write says it
    # is demo data (« Démonstration : » in the journal, the values' source), not their names: a
    # « (démo) » suffix pushed the navbar past 1280 px.
    ("equipe", "Élise", "Martin", roles.STAFF),
    ("direction", "Karim", "Benali", roles.DIRECTOR),
    ("direction2", "Sophie", "Roux", roles.DIRECTOR),  # another structure: try the separation
    ("conseil", "Monique", "Durand", roles.BOARD),
    ("admin", "Admin", "Démo", None),
]


class Command(BaseCommand):
    help = "Charge le projet fédéral et les comptes de démonstration (mot de passe « demo »)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Les comptes de démonstration ne se créent pas en production.")
        roles.sync_groups()
        document = settings.SEED_PLAN_DOCUMENT
        report = plan_import(source=document.read_bytes(), document_name=document.name, user=None)
        for line in report.summary_lines():
            self.stdout.write(line)
        with transaction.atomic():
            structure = self._demo_structure()
            second = Structure.objects.get_or_create(
                name="Espace de vie sociale de démonstration (Romans)",
                defaults={"kind": Structure.Kind.EVS, "territory": structure.territory},
            )[0]
            for username, first_name, last_name, role in DEMO_ACCOUNTS:
                self._account(username, first_name, last_name, role, second if username == "direction2" else structure)
        # The plan's journal and progress first: the indicators' demo reads the actions.
        demo_plan.seed_demo(stdout=self.stdout)
        demo_network.seed_demo(stdout=self.stdout)
        demo_publication.seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (mot de passe « demo ») :"))
        for username, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {role or 'Administration (superutilisateur)'}")

    def _demo_structure(self) -> Structure:
        territory, _ = Territory.objects.get_or_create(name="Drôme", defaults={"kind": Territory.Kind.DEPARTEMENT})
        structure, _ = Structure.objects.get_or_create(
            name="Centre social de démonstration (Valence)",
            defaults={"kind": Structure.Kind.CENTRE_SOCIAL, "territory": territory},
        )
        return structure

    def _account(self, username, first_name, last_name, role, structure):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name)
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role is None
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        if role == roles.DIRECTOR:
            structure.directors.add(user)
