"""Security events: recorded in the database (the audit page filters them) and logged as JSON lines.

What counts as one: a login, a logout, a failed login, a refused login attempt (429, the
throttling), any 403 answer (a permission denied, a CSRF failure), and what an administrator
does with a person's data (export, anonymisation). Each is one `SecurityEvent` row and one
line of the `federation.security` logger, which the settings format as JSON
(`federation.logs.JsonFormatter`): ts, event, user, ip, path, method, status, detail.

The refused attempts of one address on one page are recorded once a minute at most, so that
someone hammering the login page fills neither the table nor the disk; the log still gets
every line.
"""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.urls import reverse

from .models import SecurityEvent

logger = logging.getLogger("federation.security")
Kind = SecurityEvent.Kind

# Per address and page, one throttled attempt a minute is stored.
THROTTLED_RECORD_EVERY = 60


def client_ip(request) -> str | None:
    """The client's address as the login throttling reads it (django-ratelimit's
    RATELIMIT_IP_META_KEY when the settings name the proxy's header, REMOTE_ADDR otherwise)."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    raw = ""
    if callable(meta_key):
        raw = meta_key(request)
    elif isinstance(meta_key, str) and "." in meta_key:
        from django.utils.module_loading import import_string

        raw = import_string(meta_key)(request)
    elif isinstance(meta_key, str):
        raw = request.META.get(meta_key, "")
    raw = (raw or request.META.get("REMOTE_ADDR", "") or "").split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def record(kind: str, *, request=None, user=None, username: str = "", status: int | None = None, detail: str = ""):
    """Store one security event and log it as a JSON line; a database failure loses only the row."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    username = (username or (user.get_username() if user is not None else ""))[:150]
    fields = {
        "event": str(kind),
        "user": username,
        "ip": client_ip(request) if request is not None else None,
        "path": request.get_full_path()[:500] if request is not None else "",
        "method": (request.method or "") if request is not None else "",
        "status": status,
        "detail": detail[:300],
    }
    level = logging.INFO if kind in (Kind.LOGIN, Kind.LOGOUT) else logging.WARNING
    logger.log(level, Kind(kind).label, extra=fields)
    try:
        with transaction.atomic():
            return SecurityEvent.objects.create(
                event=kind,
                user=user,
                username=username,
                ip=fields["ip"],
                path=fields["path"],
                method=fields["method"],
                detail=fields["detail"],
            )
    except DatabaseError:
        logger.exception("Événement de sécurité non enregistré en base", extra=fields)
        return None


class SecurityEventMiddleware:
    """Records every 403 and 429 answer, whichever view or middleware gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(Kind.FORBIDDEN, request=request, status=403)
        elif response.status_code == 429:
            self._throttled(request)
        return response

    def _throttled(self, request):
        ip = client_ip(request)
        username = request.POST.get("username", "") if request.method == "POST" else ""
        kind = Kind.LOGIN_THROTTLED if request.path == reverse("login") else Kind.THROTTLED
        if cache.add(f"security-throttled:{ip}:{request.path}", 1, THROTTLED_RECORD_EVERY):
            record(kind, request=request, username=username, status=429)
        else:
            extra = {"event": str(kind), "user": username[:150], "ip": ip, "path": request.path, "status": 429}
            logger.warning(kind.label, extra=extra)


def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    record(Kind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    model = get_user_model()
    username = str(credentials.get(model.USERNAME_FIELD, "") or "")[:150]
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    record(Kind.LOGIN_FAILED, request=request, user=user, username=username)


def _update_last_login(sender, user, **kwargs):
    """Django's own receiver, without a history row: a login is a security event, not an edit."""
    from django.utils import timezone

    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])


def connect_signals() -> None:
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(_update_last_login, dispatch_uid="update_last_login")
    user_logged_in.connect(_logged_in, dispatch_uid="federation-security-login")
    user_logged_out.connect(_logged_out, dispatch_uid="federation-security-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="federation-security-login-failed")
