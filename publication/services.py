"""Writes of the publication app: partners' tokens, what an indicator publishes."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator
from network.models import Structure
from toolkit.history import links_in_last_row

from .models import PartnerToken, digest


@transaction.atomic
def partner_token_create(*, name: str, user) -> tuple[PartnerToken, str]:
    """A new token for the partner `name`, and its key: shown once, never stored."""
    key = PartnerToken.new_key()
    token = PartnerToken(name=name.strip(), key_digest=digest(key), key_prefix=key[:8], created_by=user)
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def partner_token_revoke(*, token: PartnerToken, user) -> PartnerToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def partner_token_used(*, token: PartnerToken) -> None:
    """Note the token's last use, at most once a minute (no write per request)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def indicator_publication_update(
    *, indicator: Indicator, is_published: bool, structures: Iterable[Structure], user
) -> Indicator:
    """Publish an indicator (or not), and the structures whose own figure it publishes."""
    indicator._history_user = user
    indicator.is_published = is_published
    # Saved even when only the structures changed: its history dates the change (Last-Modified),
    # and that row holds the structures as they now are.
    indicator.save(update_fields=["is_published"])
    with links_in_last_row(indicator):
        indicator.published_structures.set(structures)
    return indicator
