"""Plan objects for tests, created through the plan's services (`axes.services`), as staff would.

A factory call whose fields a service does not take (a forced slug, a trashed object…) falls back
on a plain save, so that tests can still build the odd states they check.
"""

import inspect

import factory

from axes import services
from axes.models import Axis, Chapter, Objective, Plan

SERVICES = {
    Plan: services.plan_create,
    Chapter: services.chapter_create,
    Axis: services.axis_create,
    Objective: services.objective_create,
}


class ServiceFactory(factory.django.DjangoModelFactory):
    """Creates through the model's service (keyword-only, `user=None`) when it takes every field given."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        service = SERVICES[model_class]
        if args or not set(kwargs) <= set(inspect.signature(service).parameters):
            return super()._create(model_class, *args, **kwargs)
        return service(user=None, **kwargs)


class PlanFactory(ServiceFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Projet fédéral {n}")
    start_year = 2022
    end_year = 2026
    status = Plan.Status.ACTIVE


class ChapterFactory(ServiceFactory):
    class Meta:
        model = Chapter

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Chapitre {n}")
    order = factory.Sequence(int)


class AxisFactory(ServiceFactory):
    class Meta:
        model = Axis

    chapter = factory.SubFactory(ChapterFactory)
    title = factory.Sequence(lambda n: f"Axe {n}")
    order = factory.Sequence(int)
    context = "Un contexte.\n→ un point"
    stakes = "Des enjeux."


class ObjectiveFactory(ServiceFactory):
    class Meta:
        model = Objective

    axis = factory.SubFactory(AxisFactory)
    text = factory.Sequence(lambda n: f"Objectif opérationnel {n}")
    order = factory.Sequence(int)
