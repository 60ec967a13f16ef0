"""The JSON endpoints behind the forms' searchable choices (toolkit/autocomplete.py).

Each checks its permission as the pages that offer the choice do, answers GET only, and
returns at most toolkit.autocomplete.MAX_RESULTS objects: structures, partners and actions to
anyone who may read the plan (their names are on the plan's pages already), people (active
staff accounts) only to those who edit actions (« Personne référente »), and every
account (the audit's « Personne ») only to administrators, who alone read the audit.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.views.decorators.http import require_GET

from actions.models import Action
from centres.services import JOINABLE_STATUSES
from network.models import Partner, Structure
from network.roles import staff_accounts
from toolkit.autocomplete import search_response

from .audit.forms import account_label
from .audit.views import require_administrator

READ_PLAN = "axes.view_axis"
EDIT_ACTIONS = "actions.change_action"


@require_GET
@permission_required(READ_PLAN, raise_exception=True)
def structures(request):
    return search_response(request, Structure.objects.order_by("name", "pk"), fields=["name", "territory__name"])


@require_GET
@permission_required(READ_PLAN, raise_exception=True)
def partners(request):
    return search_response(request, Partner.objects.order_by("name", "pk"), fields=["name"])


@require_GET
@permission_required(READ_PLAN, raise_exception=True)
def actions(request):
    """Actions of any plan; `?ouvertes=1`: only those a structure may still join."""
    queryset = Action.objects.select_related("axis").order_by("axis__order", "order", "pk")
    if request.GET.get("ouvertes"):
        queryset = queryset.filter(status__in=JOINABLE_STATUSES)
    return search_response(request, queryset, fields=["title"], label=lambda a: f"{a.title} ({a.axis.title})")


@require_GET
@permission_required(EDIT_ACTIONS, raise_exception=True)
def people(request):
    # The one form that names a person is « Personne référente »: staff only (issue 14).
    queryset = staff_accounts()
    return search_response(
        request,
        queryset,
        fields=["first_name", "last_name", "username"],
        label=lambda user: user.get_full_name() or user.username,
    )


@require_GET
def accounts(request):
    """Every account, inactive and anonymised ones included: the audit reads what they wrote."""
    require_administrator(request)
    return search_response(
        request,
        get_user_model()._default_manager.order_by("last_name", "first_name", "username"),
        fields=["first_name", "last_name", "username", "email"],
        label=account_label,
    )
