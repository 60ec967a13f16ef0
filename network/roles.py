"""The three roles of the application, as auth groups with permissions.

Each app declares in its AppConfig.ready() what each role may do on its own models
(`grant`), so that this module knows no other app. `sync_groups()` creates the groups
and gives them exactly the declared permissions; it runs after every `migrate`.
"""

from collections import defaultdict

STAFF = "Équipe fédérale"
DIRECTOR = "Direction de centre"
BOARD = "Conseil d’administration"
ROLES = (STAFF, DIRECTOR, BOARD)
# Names a role's group had before (network 0006 renamed it with the typographic apostrophe).
FORMER_NAMES = {BOARD: ("Conseil d'administration",)}

_declared: dict[str, set[tuple[str, str]]] = defaultdict(set)


def grant(role: str, app_label: str, actions: list[str], models: list[str]) -> None:
    """Declare that `role` may perform `actions` (view, add, …) on `models` of `app_label`."""
    for model in models:
        for action in actions:
            _declared[role].add((app_label, f"{action}_{model}"))


def grant_codenames(role: str, app_label: str, codenames: list[str]) -> None:
    for codename in codenames:
        _declared[role].add((app_label, codename))


def sync_groups() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role in ROLES:
        # A database not yet migrated past network 0006 names the board's group the old way:
        # rename it rather than make a second, empty group its members would not be in.
        if not Group.objects.filter(name=role).exists():
            Group.objects.filter(name__in=FORMER_NAMES.get(role, ())).update(name=role)
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for app_label, codename in _declared[role]:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


def sync_groups_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app; only the last app's signal sees every permission,
    # but syncing each time is cheap and idempotent.
    sync_groups()


def role_of(user) -> str | None:
    """The user's role name for display; superusers are administrators."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "Administration"
    names = {group.name for group in user.groups.all()}
    for role in ROLES:
        if role in names:
            return role
    return None


def staff_accounts(*, keep_pk: int | None = None):
    """Active accounts of the federal team, by name: the people an action may be led by
    (« Personne référente »). `keep_pk` keeps an account already chosen, so that editing an
    action led by someone else does not lose its referent."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    wanted = Q(is_active=True, groups__name=STAFF)
    if keep_pk:
        wanted |= Q(pk=keep_pk)
    return get_user_model().objects.filter(wanted).distinct().order_by("first_name", "last_name", "username")
