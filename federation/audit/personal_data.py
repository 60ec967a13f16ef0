"""A person's data: everything the application holds about an account, and its anonymisation.

Both read the models generically (every foreign key or many-to-many to the accounts, in every
app), so that a model added later is exported without touching this module; the inventory
of what is held and why is docs/donnees-personnelles.md.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from centres.models import ReportingReminder

from ..models import SecurityEvent
from .selectors import KINDS, history_rows

ANONYMOUS_NAME = "Ancien compte"
ANONYMISED_REASON = "Compte anonymisé"
# Kept in the export as a sign of which columns were left out and why.
NEVER_EXPORTED = {"password": "empreinte du mot de passe : jamais exportée"}


def anonymous_username(user) -> str:
    return f"ancien-compte-{user.pk}"


def is_anonymised(user) -> bool:
    return user.get_username() == anonymous_username(user)


def _references():
    """(model, field) for every field of every model, history and security events aside,
    that points at an account."""
    user_model = get_user_model()
    for model in apps.get_models():
        if model is SecurityEvent or model is user_model or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                yield model, field


def personal_data_export(*, user) -> dict:
    """Everything held about `user`, as JSON-ready data (dates in ISO 8601)."""
    user_model = get_user_model()
    account = serializers.serialize("python", user_model._default_manager.filter(pk=user.pk))[0]
    account["fields"].update(NEVER_EXPORTED)
    account["fields"]["groups"] = list(user.groups.values_list("name", flat=True))
    account["fields"].pop("user_permissions", None)
    linked = {}
    for model, field in _references():
        rows = model._base_manager.filter(**{field.name: user}).order_by("pk")
        # The serializer reads each row's many-to-many (an action's structures, objectives)
        # from the prefetched ones, not with two queries a row.
        rows = rows.prefetch_related(*(m2m.name for m2m in model._meta.many_to_many))
        serialized = serializers.serialize("python", rows)
        if serialized:
            linked.setdefault(f"{model._meta.label_lower} ({model._meta.verbose_name_plural})", {})[field.name] = (
                serialized
            )
    rows = history_rows(user_id=user.pk)
    written = [
        {
            "date": date,
            "objet": label,
            "objet_id": object_id,
            "opération": KINDS.get(kind, kind),
            "intitulé": name,
            "raison": reason,
        }
        for _history_id, date, _user_id, kind, reason, object_id, label, name in (rows if rows is not None else [])
    ]
    account_history = [
        {
            "date": record.history_date,
            "opération": KINDS.get(record.history_type, record.history_type),
            "par": record.history_user_id,
            "identifiant": record.username,
            "prénom": record.first_name,
            "nom": record.last_name,
            "courriel": record.email,
            "actif": record.is_active,
        }
        for record in user_model.history.filter(id=user.pk).order_by("history_date")
    ]
    events = list(
        SecurityEvent.objects.filter(user=user)
        .order_by("at")
        .values("at", "event", "username", "ip", "path", "method", "detail")
    )
    return {
        "export": {
            "date": timezone.now(),
            "format": "Projet fédéral, données personnelles d’un compte (docs/donnees-personnelles.md)",
        },
        "compte": account,
        "données_liées": linked,
        "écritures_faites": written,
        "historique_du_compte": account_history,
        "événements_de_sécurité": events,
    }


@transaction.atomic
def account_anonymise(*, user, by) -> None:
    """Anonymise `user` for good: name, e-mail and username replaced, no login possible, roles
    and centres taken away; what they wrote stays, signed « Ancien compte ». The account's own
    history, its security events and the admin's log keep no readable name or address."""
    if user.pk == by.pk:
        raise ValueError("Un administrateur ne peut pas anonymiser son propre compte.")
    user_model = get_user_model()
    old_username = user.get_username()
    old_email = user.email
    new_username = anonymous_username(user)
    for structure in user.structures.all():
        structure._history_user = by
        structure._change_reason = ANONYMISED_REASON
        structure.directors.remove(user)
    user.groups.clear()
    user.username = new_username
    user.first_name = ANONYMOUS_NAME
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user._history_user = by
    user._change_reason = ANONYMISED_REASON
    user.save()
    # What the account was called before, wherever it was written down.
    user_model.history.filter(id=user.pk).update(
        username=new_username, first_name=ANONYMOUS_NAME, last_name="", email=""
    )
    SecurityEvent.objects.filter(models.Q(user=user) | models.Q(username__iexact=old_username)).update(
        user=user, username=new_username, ip=None
    )
    if old_email:
        # The reminders kept the addresses they were sent to.
        for model in (ReportingReminder, ReportingReminder.history.model):
            for row in model.objects.filter(recipients__icontains=old_email):
                kept = [a for a in row.recipients.split(", ") if a.strip().lower() != old_email.lower()]
                model.objects.filter(pk=row.pk).update(recipients=", ".join(kept))
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user_model), object_id=str(user.pk)).update(
        object_repr=new_username
    )


def export_filename(user, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"donnees-personnelles-{user.pk}-{today:%Y-%m-%d}.json"
