import factory
from django.contrib.auth import get_user_model

from network.models import Partner, Structure, Territory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = "Camille"
    last_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Territoire {n}")


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Centre social {n}")
    territory = factory.SubFactory(TerritoryFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")


def director_for(structure, **kwargs):
    """A « Direction de centre » account directing `structure`."""
    from django.contrib.auth.models import Group

    from network import roles

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=roles.DIRECTOR))
    structure.directors.add(user)
    return user
