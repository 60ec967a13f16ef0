"""Login with throttling of failed attempts.

Failed logins are counted per account (the username typed) and per address. Past the
first threshold an account must wait a minute between bursts of attempts; past the
second it is refused for the rest of the hour. Successful logins are never counted.
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def _username_key(group, request) -> str:
    return request.POST.get("username", "").strip().casefold()


# (group, key, rate): a limit is reached when the count of failed attempts exceeds rate.
FAILED_LOGIN_LIMITS = [
    ("login-account-burst", _username_key, "5/m"),
    ("login-account", _username_key, "10/h"),
    ("login-address", "ip", "30/h"),
]

THROTTLED_MESSAGE = (
    "Trop de tentatives de connexion infructueuses. Patientez quelques minutes avant de "
    "réessayer, ou demandez un nouveau mot de passe."
)


def _limited(request, *, increment: bool) -> bool:
    hits = [
        is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=increment)
        for group, key, rate in FAILED_LOGIN_LIMITS
    ]
    return any(hits)


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
