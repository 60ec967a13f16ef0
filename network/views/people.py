"""People, for staff: invite a director or a board member, send the link again or revoke it,
attach and detach directors to structures, deactivate accounts. The invited person's page to
choose their password is public (the signed link is the credential)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from toolkit.french import long_datetime
from toolkit.pagination import paginate

from .. import roles
from ..forms import AttachForm, InvitationForm, SetPasswordForm
from ..models import Invitation, Structure
from ..selectors import people_managed_by_staff, role_name
from ..services import (
    MANAGE_PEOPLE,
    director_attach,
    director_detach,
    invitation_accept,
    invitation_from_token,
    invitation_resend,
    invitation_revoke,
    is_manageable,
    person_invite,
    person_set_active,
)


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _manageable_person(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    if not is_manageable(request.user, person):
        raise PermissionDenied("Ce compte ne peut être modifié que par un administrateur.")
    return person


@require_GET
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_list(request):
    query = request.GET.get("q", "")[:100]
    page = paginate(request, people_managed_by_staff(query), 50)
    rows = [{"person": person, "role": role_name(person)} for person in page]
    return render(request, "network/person_list.html", {"page": page, "rows": rows, "query": query})


@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_invite_view(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = person_invite(
                user=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                structures=list(data["structures"]),
                site_url=_site_url(request),
            )
        except ValidationError as error:
            for field, errors in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                f"Invitation envoyée à {invitation.user.email} : le lien pour choisir un mot de passe "
                f"est valable jusqu’au {long_datetime(invitation.expires_at)}.",
            )
            return redirect("network:person_detail", pk=invitation.user.pk)
    return render(request, "network/person_invite.html", {"form": form, "days": settings.INVITATION_VALIDITY_DAYS})


@require_GET
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_detail(request, pk):
    """A director's or board member's page, to manage their account; a staff member's (one's own
    included) to read only: the actions they are the referent of (issue 14), nothing to change."""
    person = get_object_or_404(get_user_model(), pk=pk)
    manageable = is_manageable(request.user, person)
    if not manageable and not (person.is_active and role_name(person) == roles.STAFF):
        raise PermissionDenied("Ce compte ne peut être modifié que par un administrateur.")
    invitation = Invitation.objects.filter(user=person).select_related("sent_by").first()
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "manageable": manageable,
            "role": role_name(person),
            "invitation": invitation,
            "structures": person.structures.order_by("name"),
            "attach_form": AttachForm(),
        },
    )


def _apply(request, action, success: str):
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_attach(request, pk):
    person = _manageable_person(request, pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une structure dans la liste.")
    else:
        structure = form.cleaned_data["structure"]
        _apply(
            request,
            lambda: director_attach(user=request.user, person=person, structure=structure),
            f"{person.get_full_name() or person.username} est rattaché·e à « {structure} ».",
        )
    return redirect("network:person_detail", pk=person.pk)


@require_POST
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_detach(request, pk, structure_pk):
    person = _manageable_person(request, pk)
    structure = get_object_or_404(Structure, pk=structure_pk)
    _apply(
        request,
        lambda: director_detach(user=request.user, person=person, structure=structure),
        f"{person.get_full_name() or person.username} n’est plus rattaché·e à « {structure} ».",
    )
    return redirect("network:person_detail", pk=person.pk)


@require_POST
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def person_set_active_view(request, pk):
    person = _manageable_person(request, pk)
    active = request.POST.get("active") == "1"
    _apply(
        request,
        lambda: person_set_active(user=request.user, person=person, active=active),
        "Compte réactivé." if active else "Compte désactivé : il ne peut plus se connecter.",
    )
    return redirect("network:person_detail", pk=person.pk)


@require_POST
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def invitation_resend_view(request, pk):
    person = _manageable_person(request, pk)
    invitation = get_object_or_404(Invitation, user=person)
    _apply(
        request,
        lambda: invitation_resend(user=request.user, invitation=invitation, site_url=_site_url(request)),
        f"Invitation envoyée à nouveau à {person.email} : l’ancien lien ne fonctionne plus.",
    )
    return redirect("network:person_detail", pk=person.pk)


@require_POST
@permission_required(MANAGE_PEOPLE, raise_exception=True)
def invitation_revoke_view(request, pk):
    person = _manageable_person(request, pk)
    invitation = get_object_or_404(Invitation, user=person)
    _apply(
        request,
        lambda: invitation_revoke(user=request.user, invitation=invitation),
        "Invitation révoquée : son lien ne fonctionne plus.",
    )
    return redirect("network:person_detail", pk=person.pk)


@login_not_required
def invitation_accept_view(request, token):
    """The invited person chooses a password; the link is the credential (no login)."""
    check = invitation_from_token(token)
    if check.invitation is None:
        return render(request, "network/invitation_accept.html", {"problem": check.problem}, status=410)
    form = SetPasswordForm(request.POST or None, user=check.invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            return render(request, "network/invitation_accept.html", {"problem": " ".join(error.messages)}, status=410)
        messages.success(
            request, "Votre mot de passe est enregistré : connectez-vous avec votre adresse et ce mot de passe."
        )
        return redirect("login")
    return render(request, "network/invitation_accept.html", {"form": form, "invitation": check.invitation})
