from network.roles import role_of


def roles(request):
    """The current user's role name and whether they may edit the plan, for the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_role": role_of(user),
        "can_edit_plan": user.has_perm("axes.change_axis"),
        "can_import_plan": user.has_perm("axes.import_plan"),
    }
