"""Partners' tokens (`Authorization: Bearer <key>` or `Token <key>`), read-only throttles."""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from ..models import PartnerToken
from ..selectors import PARTNER, PUBLIC, Scope
from ..services import partner_token_used


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """A partner's token: the request stays anonymous (no person behind it); `request.auth` is the
    token, which widens what the API reads to the whole plan (publication.selectors)."""

    keywords = ("Bearer", "Token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Bearer <jeton> » attendu.")
        token = PartnerToken.objects.for_key(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("Jeton inconnu ou révoqué.")
        partner_token_used(token=token)
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerTokenAuthentication
    name = "jetonPartenaire"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton remis à un partenaire par l’équipe fédérale : lecture de tout le projet, "
            "jamais une valeur non validée ni une donnée personnelle. Sans jeton : ce qui est publié.",
        }


def scope_of(request) -> Scope:
    return PARTNER if isinstance(request.auth, PartnerToken) else PUBLIC


class ReadOnly(permissions.BasePermission):
    """The API only reads: any other method is refused (405) before anything else happens."""

    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        return True


class PartnerRateThrottle(throttling.SimpleRateThrottle):
    """Each partner's token has its own allowance; anonymous requests are counted by address."""

    scope = "partner"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    def get_cache_key(self, request, view):
        if isinstance(request.auth, PartnerToken):
            return None
        return super().get_cache_key(request, view)
