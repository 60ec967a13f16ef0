import factory

from indicators.models import BoardMeeting, Indicator, Measurement, Target


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


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    date = factory.Sequence(
        lambda n: __import__("datetime").date(2024, 1, 1) + __import__("datetime").timedelta(days=n)
    )
