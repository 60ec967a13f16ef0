import factory

from actions.models import Action, ActionPartner, Milestone
from axes.tests.factories import AxisFactory
from network.tests.factories import PartnerFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    axis = factory.SubFactory(AxisFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    status = Action.Status.IN_PROGRESS
    start_year = 2024
    order = factory.Sequence(int)


class ActionPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPartner

    action = factory.SubFactory(ActionFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = "partenaire"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Jalon {n}")
    done = False
