"""Where a form sends people back: the one check of a `next` address (issue 16, point 2)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """The `next` address the request names (POST first, then the query string) when it stays
    on this site, else `default`. An address on another site (« https://evil.example/ »,
    « //evil.example »), another scheme (« javascript: ») or plain HTTP from an HTTPS page is
    never followed: a forged link would otherwise send someone away with the site's authority."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
