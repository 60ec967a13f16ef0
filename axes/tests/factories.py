import factory
from django.utils.text import slugify

from axes.models import Axis, Chapter, Objective, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Projet fédéral {n}")
    start_year = 2022
    end_year = 2026
    status = Plan.Status.ACTIVE


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Chapitre {n}")
    order = factory.Sequence(int)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    chapter = factory.SubFactory(ChapterFactory)
    title = factory.Sequence(lambda n: f"Axe {n}")
    slug = factory.LazyAttribute(lambda axis: slugify(axis.title))
    order = factory.Sequence(int)
    context = "Un contexte.\n→ un point"
    stakes = "Des enjeux."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    axis = factory.SubFactory(AxisFactory)
    text = factory.Sequence(lambda n: f"Objectif opérationnel {n}")
    order = factory.Sequence(int)
