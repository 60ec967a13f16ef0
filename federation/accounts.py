"""Login with throttling of failed attempts, that nobody can turn against someone else.

The client's address is read as the trusted reverse proxy gives it (`client_address`):
behind the proxy every request comes from the proxy's address, and counting on it let fifty
failures by anyone lock everybody out. Failed logins are then counted:

- per account and address (or per account and known browser): after 5 failures, each new
  one makes that pair wait, 1 minute, then 2, 4, 8, at most 15; a successful login clears it.
  Someone who types the wrong password slows down only themselves;
- per address: 50 failures in an hour, whatever the accounts, and that address is refused
  until the hour ends (someone trying many accounts);
- per account, from browsers the account never logged in from: 20 failures in 15 minutes
  and such browsers wait for the 15 minutes to end. A browser where the account has logged
  in before carries a signed cookie saying so and is never held by this limit: someone
  guessing from elsewhere cannot lock the account's owner out, even for 15 minutes.

Successful logins are never counted. The counters live in the login-throttling cache
(RATELIMIT_USE_CACHE: Redis in production, shared by every worker).
"""

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.shortcuts import render
from django_ratelimit.core import get_usage

PAIR_FREE_FAILURES = 5
PAIR_FIRST_DELAY = 60  # seconds, doubled at each further failure
PAIR_MAX_DELAY = 15 * 60
ADDRESS_RATE = "50/h"
ACCOUNT_RATE = "20/15m"  # from browsers the account never logged in from
KNOWN_BROWSER_COOKIE = "connexion_connue"
KNOWN_BROWSER_AGE = 60 * 60 * 24 * 180

THROTTLED_MESSAGE = (
    "Trop de tentatives de connexion infructueuses. Patientez quelques minutes avant de "
    "réessayer, ou demandez un nouveau mot de passe."
)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    address the outermost of them saw (the N-th from the right in X-Forwarded-For: each proxy
    appends the address it received the request from; what is left of it, the client wrote).

    Also django-ratelimit's RATELIMIT_IP_META_KEY, so that every limit reads the same address.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote or "0.0.0.0"


def _username(request) -> str:
    return request.POST.get("username", "").strip().casefold()


def _account_key(group, request) -> str:
    return _username(request)


def _cache():
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]


def _known_browser(request, username: str) -> bool:
    value = request.get_signed_cookie(
        KNOWN_BROWSER_COOKIE, default=None, salt="federation.accounts", max_age=KNOWN_BROWSER_AGE
    )
    return bool(username) and value == hashlib.sha256(username.encode()).hexdigest()


def _pair_key(request, username: str) -> str:
    # A known browser is its own « address »: its owner is never held by what others do.
    where = "navigateur" if _known_browser(request, username) else client_address(request)
    digest = hashlib.sha256(f"{username}\x00{where}".encode()).hexdigest()
    return f"login-pair:{digest}"


def _pair_wait(request, username: str) -> int:
    """Seconds this account and address (or browser) must still wait, 0 if none."""
    state = _cache().get(_pair_key(request, username))
    if not state:
        return 0
    return max(0, math.ceil(state["until"] - time.time()))


def _pair_failed(request, username: str) -> None:
    key = _pair_key(request, username)
    state = _cache().get(key) or {"failures": 0, "until": 0}
    state["failures"] += 1
    extra = state["failures"] - PAIR_FREE_FAILURES
    if extra >= 0:
        state["until"] = time.time() + min(PAIR_FIRST_DELAY * 2**extra, PAIR_MAX_DELAY)
    _cache().set(key, state, timeout=PAIR_MAX_DELAY + 60 * 60)


def _shared_limits(request, username: str, *, increment: bool) -> bool:
    """Whether the address's limit, or the account's (for an unknown browser), is reached;
    with increment, count one more failure first."""
    limits = [("login-address", "ip", ADDRESS_RATE)]
    if not _known_browser(request, username):
        limits.append(("login-account", _account_key, ACCOUNT_RATE))
    reached = False
    for group, key, rate in limits:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=increment)
        reached |= usage is not None and usage["count"] >= usage["limit"]
    return reached


def throttled(request, exception=None, wait: int | None = None):
    """Answer for a refused attempt (also RATELIMIT_VIEW for any @ratelimit view)."""
    message = THROTTLED_MESSAGE
    if wait:
        minutes = max(1, math.ceil(wait / 60))
        message = (
            "Trop de tentatives de connexion infructueuses. Réessayez dans "
            f"{minutes} minute{'s' if minutes > 1 else ''}, ou demandez un nouveau mot de passe."
        )
    response = render(request, "registration/throttled.html", {"message": message}, status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return response


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = _username(request)
        wait = _pair_wait(request, username)
        if wait:
            return throttled(request, wait=wait)
        if _shared_limits(request, username, increment=False):
            return throttled(request)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            _cache().delete(_pair_key(request, username))
            response.set_signed_cookie(
                KNOWN_BROWSER_COOKIE,
                hashlib.sha256(username.encode()).hexdigest(),
                salt="federation.accounts",
                max_age=KNOWN_BROWSER_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        else:
            _pair_failed(request, username)
            _shared_limits(request, username, increment=True)
        return response
