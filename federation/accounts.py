"""Login with throttling of failed attempts.

Failed logins are counted per account (the username typed) and per address. After 5
failures an account is slowed down: refused until its 15-minute window ends; after 20 in a
day it is refused for the rest of the day. An address trying many accounts is refused
after 50 failures in an hour. Successful logins are never counted.
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django_ratelimit.core import get_usage


def _username_key(group, request) -> str:
    return request.POST.get("username", "").strip().casefold()


# (group, key, rate): attempts are refused once the count of failures reaches the rate.
FAILED_LOGIN_LIMITS = [
    ("login-account-burst", _username_key, "5/15m"),
    ("login-account", _username_key, "20/d"),
    ("login-address", "ip", "50/h"),
]

THROTTLED_MESSAGE = (
    "Trop de tentatives de connexion infructueuses. Patientez quelques minutes avant de "
    "réessayer, ou demandez un nouveau mot de passe."
)


def _limited(request, *, increment: bool) -> bool:
    """Whether a limit is reached; with increment, count one more failure first."""
    reached = False
    for group, key, rate in FAILED_LOGIN_LIMITS:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=increment)
        reached |= usage is not None and usage["count"] >= usage["limit"]
    return reached


def throttled(request, exception=None):
    """Answer for a refused attempt (also RATELIMIT_VIEW for any @ratelimit view)."""
    return render(request, "registration/throttled.html", {"message": THROTTLED_MESSAGE}, status=429)


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _limited(request, increment=False):
            return throttled(request)
        response = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:
            _limited(request, increment=True)
        return response
