from decimal import Decimal

import factory

from actions.services.journal import update_create
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ChapterFactory, ObjectiveFactory, PlanFactory
from indicators.models import Indicator, Measurement, Target
from indicators.services import measurement_record, measurement_validate, target_set
from network.tests.factories import StructureFactory
from toolkit.tables import table_read


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"indicateur-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "personnes"
    aggregation = Indicator.Aggregation.SUM

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.objectives.set(extracted)

    @factory.post_generation
    def actions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.actions.set(extracted)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024"
    value = 100


class MeasurementFactory(factory.django.DjangoModelFactory):
    """A measurement written directly (no workflow): use the services to test the workflow."""

    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2024"
    value = 10
    status = Measurement.Status.DRAFT


AXIS_TITLES = ["Mesure de l’impact social", "Gouvernance et vie associative", "Écologie & transition"]


def build_plan(size: int, staff_user):
    """A plan with three axes, `size` objectives, actions and indicators per axis, values validated."""
    plan = PlanFactory(title="Projet fédéral 2022-2026")
    chapter = ChapterFactory(plan=plan, title="Des organisations sur les territoires")
    structures = StructureFactory.create_batch(2)
    for title in AXIS_TITLES:
        axis = AxisFactory(chapter=chapter, title=title)
        first_action = None
        for n in range(size):
            objective = ObjectiveFactory(axis=axis, text=f"{title} : objectif {n}")
            action = ActionFactory(axis=axis, title=f"{title} : action {n}", start_year=2019 + n % 5)
            action.objectives.add(objective)
            update_create(action=action, author=staff_user, text=f"Point d'étape {n}")
            first_action = first_action or action
            # Most indicators evaluate two actions: a page's queries must not grow with them.
            indicator = IndicatorFactory(objectives=[objective], actions={action, first_action})
            target_set(user=staff_user, indicator=indicator, period="2024", value=Decimal(100))
            for structure in structures:
                measurement = measurement_record(
                    user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(45)
                )
                measurement_validate(user=staff_user, measurement=measurement)
    return plan


def csv(text: str):
    return table_read(content=text.encode("utf-8"), filename="valeurs.csv")
