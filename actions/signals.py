"""An action serves only the objectives of its own axis, whatever writes the link.

The action form offers only them, the list import refuses the others with their numbers,
and this receiver refuses any other write (a service, the admin, a script), in either
direction of the many-to-many (`action.objectives.add(…)`, `objective.actions.add(…)`).
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from axes.models import Objective

from .models import Action


@receiver(m2m_changed, sender=Action.objectives.through, dispatch_uid="actions.objectives_of_the_axis")
def refuse_objectives_of_another_axis(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # objective.actions.add(actions)
        strangers = Action._base_manager.filter(pk__in=pk_set).exclude(axis_id=instance.axis_id)
        numbers = sorted(strangers.values_list("pk", flat=True))
        if numbers:
            raise ValidationError(
                f"Les actions n° {', '.join(map(str, numbers))} sont d’un autre axe que l’objectif n° {instance.pk} : "
                "une action ne sert que les objectifs de son axe.",
                code="objective_of_another_axis",
            )
        return
    strangers = Objective._base_manager.filter(pk__in=pk_set).exclude(axis_id=instance.axis_id)
    numbers = sorted(strangers.values_list("pk", flat=True))
    if numbers:
        raise ValidationError(
            f"Les objectifs n° {', '.join(map(str, numbers))} appartiennent à un autre axe que celui de l’action "
            f"(axe n° {instance.axis_id}) : une action ne sert que les objectifs de son axe.",
            code="objective_of_another_axis",
        )
