"""Writes on the network: people (invitations, directors' attachments, deactivation),
structures and territories.

Every function takes the acting user and checks what they may do (raising PermissionDenied,
which views turn into 403): staff manage directors and board members only. Nobody can create a
superuser, give the staff role, `is_staff` or `is_superuser` from here, nor change their own
account: those are the administrators' (the Django admin).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import roles
from .models import Invitation, Structure, Territory

MANAGE_PEOPLE = "network.manage_people"
MANAGE_NETWORK = "network.manage_network"
ROLE_GROUPS = {Invitation.Role.DIRECTOR: roles.DIRECTOR, Invitation.Role.BOARD: roles.BOARD}
_SALT = "network.invitation"


def may_manage_people(user) -> bool:
    return user.has_perm(MANAGE_PEOPLE)


def is_manageable(actor, person) -> bool:
    """Whether `actor` may change `person`'s account: never their own, never an administrator's
    or a staff member's (their rights are the administrators')."""
    if not may_manage_people(actor) or person.pk == actor.pk:
        return False
    if person.is_superuser or person.is_staff:
        return False
    return not person.groups.filter(name=roles.STAFF).exists()


def _check_manageable(actor, person) -> None:
    if not is_manageable(actor, person):
        raise PermissionDenied("Ce compte ne peut être modifié que par un administrateur.")


# Invitations


def invitation_token(invitation: Invitation) -> str:
    """The signed, timestamped token of the invitation's current link."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT, compress=True)


@dataclass(frozen=True)
class TokenCheck:
    invitation: Invitation | None
    problem: str = ""  # a French sentence when the link cannot be used


def invitation_from_token(token: str) -> TokenCheck:
    """The pending invitation a link names, or why the link no longer works."""
    max_age = settings.INVITATION_VALIDITY_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return TokenCheck(
            None,
            f"Ce lien a expiré (il est valable {settings.INVITATION_VALIDITY_DAYS} jours). "
            "Demandez à l’équipe fédérale de vous l’envoyer à nouveau.",
        )
    except signing.BadSignature:
        return TokenCheck(None, "Ce lien n’est pas valide. Vérifiez qu’il est complet, ou demandez-en un nouveau.")
    invitation = Invitation.objects.select_related("user").filter(pk=data.get("i")).first()
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(data.get("n", ""))):
        return TokenCheck(None, "Ce lien a été remplacé par un plus récent : utilisez le dernier reçu.")
    if invitation.revoked_at:
        return TokenCheck(None, "Cette invitation a été révoquée par l’équipe fédérale.")
    if invitation.accepted_at:
        return TokenCheck(None, "Ce lien a déjà servi : connectez-vous avec le mot de passe choisi.")
    return TokenCheck(invitation)


def _send_invitation(invitation: Invitation, *, site_url: str) -> None:
    """Send the invitation's e-mail once the transaction has committed (never for a rolled-back one)."""
    link = site_url.rstrip("/") + reverse("network:invitation_accept", args=[invitation_token(invitation)])
    context = {
        "invitation": invitation,
        "person": invitation.user,
        "link": link,
        "days": settings.INVITATION_VALIDITY_DAYS,
        "structures": list(invitation.user.structures.order_by("name")),
    }
    message = EmailMultiAlternatives(
        subject="Projet fédéral : votre compte vous attend",
        body=render_to_string("network/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.user.email],
    )
    message.attach_alternative(render_to_string("network/email/invitation.html", context), "text/html")
    transaction.on_commit(message.send)


def _save_invitation(invitation: Invitation, *, user) -> None:
    invitation.full_clean()
    invitation._history_user = user
    invitation.save()


@transaction.atomic
def person_invite(
    *,
    user,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    structures: list[Structure] | None = None,
    site_url: str,
) -> Invitation:
    """Create an inactive account for a director or a board member and e-mail them the link."""
    if not may_manage_people(user):
        raise PermissionDenied("Seule l’équipe fédérale invite des personnes.")
    if role not in ROLE_GROUPS:
        raise PermissionDenied("On n’invite ici que des directions de centre et des membres du conseil.")
    email = email.strip().lower()
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse."})
    person = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    person.set_unusable_password()
    person._history_user = user
    person.save()
    person.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    if role == Invitation.Role.DIRECTOR:
        for structure in structures or []:
            director_attach(user=user, person=person, structure=structure)
    invitation = Invitation(
        user=person, role=role, nonce=secrets.token_urlsafe(16), sent_at=timezone.now(), sent_by=user
    )
    _save_invitation(invitation, user=user)
    _send_invitation(invitation, site_url=site_url)
    return invitation


@transaction.atomic
def invitation_resend(*, user, invitation: Invitation, site_url: str) -> Invitation:
    """A new link, valid for the full period again; the previous one stops working."""
    _check_manageable(user, invitation.user)
    if invitation.accepted_at:
        raise ValidationError("Cette invitation a déjà été acceptée.")
    invitation.nonce = secrets.token_urlsafe(16)
    invitation.sent_at = timezone.now()
    invitation.sent_by = user
    invitation.revoked_at = None
    _save_invitation(invitation, user=user)
    _send_invitation(invitation, site_url=site_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> Invitation:
    """Every link of the invitation stops working; the account stays inactive."""
    _check_manageable(user, invitation.user)
    if invitation.accepted_at:
        raise ValidationError("Cette invitation a déjà été acceptée : désactivez le compte.")
    invitation.revoked_at = timezone.now()
    _save_invitation(invitation, user=user)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Set the password chosen from the link and activate the account; the link is spent."""
    check = invitation_from_token(token)
    if check.invitation is None:
        raise ValidationError(check.problem)
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=check.invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("Ce lien a déjà servi ou a été révoqué.")
    person = invitation.user
    person.set_password(password)
    person.is_active = True
    person._history_user = person
    person.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    _save_invitation(invitation, user=person)
    return person


# Directors and accounts


@transaction.atomic
def director_attach(*, user, person, structure: Structure) -> None:
    """Make `person` (a director) one of `structure`'s directors."""
    _check_manageable(user, person)
    if not person.groups.filter(name=roles.DIRECTOR).exists():
        raise ValidationError("Seul un compte « Direction de centre » peut être rattaché à une structure.")
    structure._history_user = user
    structure.directors.add(person)


@transaction.atomic
def director_detach(*, user, person, structure: Structure) -> None:
    _check_manageable(user, person)
    structure._history_user = user
    structure.directors.remove(person)


@transaction.atomic
def person_set_active(*, user, person, active: bool) -> None:
    """Deactivate (or reactivate) a director's or board member's account. A deactivated account
    cannot log in; its pending invitation is revoked. Its history and writings stay."""
    _check_manageable(user, person)
    if active and not person.has_usable_password():
        raise ValidationError("Ce compte n’a pas encore choisi de mot de passe : envoyez à nouveau l’invitation.")
    person.is_active = active
    person._history_user = user
    person.save(update_fields=["is_active"])
    if not active:
        Invitation.objects.filter(user=person, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


# Structures and territories


def _check_manage_network(user) -> None:
    if not user.has_perm(MANAGE_NETWORK):
        raise PermissionDenied("Seule l’équipe fédérale modifie les structures et les territoires.")


def _save(instance, *, user, update_fields: list[str] | None = None) -> None:
    instance.full_clean()
    instance._history_user = user
    instance.save(update_fields=update_fields)


@transaction.atomic
def structure_save(*, user, structure: Structure, data: dict) -> Structure:
    """Create or update a structure from `data` (field name → value)."""
    _check_manage_network(user)
    for name, value in data.items():
        setattr(structure, name, value)
    _save(structure, user=user)
    return structure


@transaction.atomic
def territory_save(*, user, territory: Territory, data: dict) -> Territory:
    """Create, edit or move a territory; a territory is never placed under itself or its own
    descendants (the tree has no cycle)."""
    _check_manage_network(user)
    parent = data.get("parent", territory.parent)
    if territory.pk and parent is not None and parent.pk in Territory.objects.subtree_ids(territory):
        raise ValidationError(
            {"parent": "Un territoire ne peut pas être placé sous lui-même ni sous un territoire qu’il contient."}
        )
    for name, value in data.items():
        setattr(territory, name, value)
    _save(territory, user=user)
    return territory
