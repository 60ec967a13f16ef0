"""« Mes notifications »: the list, marking read, the preferences per kind. Each person sees and
changes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from toolkit.pagination import paginate
from toolkit.redirects import safe_next

from . import services
from .forms import PreferencesForm
from .models import Notification

PER_PAGE = 50


@require_GET
@login_required
def notification_list(request):
    page = paginate(request, Notification.objects.for_list(request.user), PER_PAGE)
    return render(request, "notifications/notification_list.html", {"page": page, "notifications": page.object_list})


@require_POST
@login_required
def notification_read(request, pk: int):
    """Mark one read, then go where it points (or back to the list)."""
    notification = get_object_or_404(Notification, pk=pk)
    if notification.recipient_id != request.user.pk:
        raise PermissionDenied("Cette notification ne vous est pas adressée.")
    services.notification_read(user=request.user, notification=notification)
    if request.POST.get("ouvrir") and notification.url:
        return redirect(_safe(request, notification.url))
    return redirect(safe_next(request, "notifications:notification_list"))


def _safe(request, url: str) -> str:
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return "notifications:notification_list"


@require_POST
@login_required
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, "Toutes vos notifications sont lues." if count else "Aucune notification non lue.")
    return redirect("notifications:notification_list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
