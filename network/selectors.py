"""Reads spanning the network's models and the accounts."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from . import roles
from .models import Structure


def people_managed_by_staff(query: str = ""):
    """Directors' and board members' accounts (never staff's nor administrators'), by name, with
    their role, structures and invitation read in three queries whatever their number."""
    from django.contrib.auth.models import Group

    people = (
        get_user_model()
        .objects.filter(groups__name__in=[roles.DIRECTOR, roles.BOARD], is_superuser=False, is_staff=False)
        .exclude(groups__name=roles.STAFF)
        .distinct()
        .select_related("invitation")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.only("name")),
            Prefetch("structures", queryset=Structure.objects.only("name").order_by("name")),
        )
        .order_by("last_name", "first_name", "username")
    )
    query = query.strip()
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(structures__name__icontains=query)
        )
    return people


def role_name(person) -> str:
    """The person's role among the prefetched groups."""
    names = {group.name for group in person.groups.all()}
    return next((role for role in roles.ROLES if role in names), "")
