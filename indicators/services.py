"""Writes: measurements through their workflow, targets, board meetings.

Every function takes the acting user, checks what that user may do (raising
PermissionDenied, which views turn into 403) and records them in the history.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from network.models import Structure
from notifications.models import Kind
from notifications.services import Event, notify_each
from toolkit import aggregates
from toolkit.numbers import NumberError, check_count

from .models import Indicator, Measurement, Target

VALIDATE_PERMISSION = "indicators.validate_measurement"


def _directors_by_structure(structure_ids) -> dict[int, list]:
    """{structure pk: its directors}, in one query."""
    links = Structure.directors.through.objects.filter(structure_id__in=set(structure_ids)).select_related("user")
    result: dict[int, list] = {}
    for link in links:
        result.setdefault(link.structure_id, []).append(link.user)
    return result


def _tell_directors(measurements: list[Measurement], *, actor) -> None:
    """Tell each value's directors that it was validated or returned (with the reason)."""
    directors = _directors_by_structure(m.structure_id for m in measurements if m.structure_id)
    items = []
    for m in measurements:
        if not m.structure_id:
            continue
        where = f"{m.indicator} · {m.period_label} · {m.structure.name}"
        if m.status == Measurement.Status.VALIDATED:
            event = Event(
                kind=Kind.VALUE_VALIDATED,
                key=f"measurement:{m.pk}:validated:{m.version}",
                title=f"Valeur validée : {where}",
                body=f"Valeur : {m.display_value} {m.indicator.unit}".strip(),
                url=m.indicator.get_absolute_url(),
            )
        else:
            event = Event(
                kind=Kind.VALUE_RETURNED,
                key=f"measurement:{m.pk}:returned:{m.version}",
                title=f"Valeur renvoyée : {where}",
                body=f"Motif du renvoi : {m.return_comment}",
                url=m.indicator.get_absolute_url(),
            )
        items.append((event, directors.get(m.structure_id, [])))
    notify_each(items, actor=actor)


def may_validate(user) -> bool:
    return user.has_perm(VALIDATE_PERMISSION)


def may_report_for(user, structure: Structure | None) -> bool:
    """Staff report for anyone and for the network; a director only for their own structures."""
    if not user.has_perm("indicators.report_measurement"):
        return False
    if may_validate(user):
        return True
    return structure is not None and structure.directors.filter(pk=user.pk).exists()


def _save(instance, *, user, update_fields: list[str] | None = None) -> None:
    instance.full_clean()
    instance._history_user = user  # who, in the history, even outside a request
    instance.save(update_fields=update_fields)


@transaction.atomic
def measurement_record(
    *,
    user,
    indicator: Indicator,
    period: str,
    structure: Structure | None = None,
    value: Decimal | None = None,
    text: str = "",
    source: str = "",
    comment: str = "",
    evidence: UploadedFile | None = None,
) -> Measurement:
    """Enter (or correct) the value of `indicator` for `period` and `structure` (None = network).

    The value becomes a draft: it counts only once validated. Correcting a validated
    value is for staff only, and takes it out of the totals until validated again.
    """
    if not may_report_for(user, structure):
        raise PermissionDenied("Vous ne pouvez pas saisir de valeur pour cette structure.")
    measurement = (
        Measurement.objects.order_by()
        .select_for_update()
        .filter(indicator=indicator, period=period, structure=structure)
        .first()
    ) or Measurement(indicator=indicator, period=period, structure=structure)
    if measurement.status == Measurement.Status.VALIDATED and not may_validate(user):
        raise ValidationError(
            "Cette valeur est déjà validée : demandez à l’équipe fédérale de vous la renvoyer pour la corriger."
        )
    if indicator.is_count:
        try:
            check_count(value, unit=indicator.unit)
        except NumberError as error:
            raise ValidationError({"value": str(error)}) from None
    measurement.value = value
    measurement.text = text or ""
    measurement.source = source or ""
    measurement.comment = comment or ""
    if evidence is not None:
        measurement.evidence = evidence
    measurement.entered_by = user
    measurement.status = Measurement.Status.DRAFT
    measurement.validated_by = None
    measurement.validated_at = None
    _save(measurement, user=user)
    return measurement


def _lock_and_refresh_status(measurement: Measurement) -> None:
    """Lock the value's row and read its status as it is now, so that a step decided on a
    page opened earlier (a director submitting while staff validate) cannot undo another."""
    measurement.status = (
        Measurement.objects.select_for_update().filter(pk=measurement.pk).values_list("status", flat=True).get()
    )


@transaction.atomic
def measurement_submit(*, user, measurement: Measurement) -> Measurement:
    """Hand a draft (or a returned value, once corrected) to the federal team for validation."""
    if not may_report_for(user, measurement.structure):
        raise PermissionDenied("Vous ne pouvez pas transmettre de valeur pour cette structure.")
    _lock_and_refresh_status(measurement)
    if measurement.status not in (
        Measurement.Status.DRAFT,
        Measurement.Status.RETURNED,
    ):
        raise ValidationError("Seule une valeur en brouillon ou renvoyée peut être transmise.")
    measurement.status = Measurement.Status.SUBMITTED
    _save(measurement, user=user, update_fields=["status", "updated_at"])
    return measurement


@transaction.atomic
def measurement_validate(*, user, measurement: Measurement) -> Measurement:
    """Staff accept a value: from now on it counts in totals and charts."""
    if not may_validate(user):
        raise PermissionDenied("Seule l’équipe fédérale valide les valeurs.")
    _lock_and_refresh_status(measurement)
    if measurement.status not in (
        Measurement.Status.DRAFT,
        Measurement.Status.SUBMITTED,
    ):
        raise ValidationError("Seule une valeur en brouillon ou transmise peut être validée.")
    measurement.status = Measurement.Status.VALIDATED
    measurement.validated_by = user
    measurement.validated_at = timezone.now()
    measurement.return_comment = ""
    _save(
        measurement,
        user=user,
        update_fields=[
            "status",
            "validated_by",
            "validated_at",
            "return_comment",
            "updated_at",
        ],
    )
    _tell_directors([measurement], actor=user)
    return measurement


@dataclass
class BulkValidation:
    validated: list[Measurement] = field(default_factory=list)
    # Changed since the page was shown (returned, corrected, already validated): left as it is.
    changed: list[Measurement] = field(default_factory=list)


@transaction.atomic
def measurements_validate(*, user, versions: dict[int, str]) -> BulkValidation:
    """Staff validate several values at once, in one transaction: {pk: version shown on the
    page}. A value whose status or version changed since (returned meanwhile, corrected by its
    director) is not validated and is reported in `changed`. A fixed number of queries."""
    if not may_validate(user):
        raise PermissionDenied("Seule l’équipe fédérale valide les valeurs.")
    result = BulkValidation()
    rows = list(
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator", "structure")
        .filter(pk__in=list(versions))
        .order_by("pk")
    )
    now = timezone.now()
    for measurement in rows:
        if measurement.status != Measurement.Status.SUBMITTED or measurement.version != versions[measurement.pk]:
            result.changed.append(measurement)
            continue
        measurement.status = Measurement.Status.VALIDATED
        measurement.validated_by = user
        measurement.validated_at = now
        measurement.return_comment = ""
        measurement.updated_at = now
        result.validated.append(measurement)
    if result.validated:
        bulk_update_with_history(
            result.validated,
            Measurement,
            ["status", "validated_by", "validated_at", "return_comment", "updated_at"],
            default_user=user,
            default_date=now,
            default_change_reason="Validation groupée",
        )
        aggregates.data_changed(["indicators"])  # a bulk write sends no save signal
        _tell_directors(result.validated, actor=user)
    return result


@transaction.atomic
def measurement_return(*, user, measurement: Measurement, comment: str) -> Measurement:
    """Staff send a value back to whoever entered it, saying what to fix."""
    if not may_validate(user):
        raise PermissionDenied("Seule l’équipe fédérale renvoie les valeurs.")
    if not (comment or "").strip():
        raise ValidationError({"return_comment": "Expliquez ce qu’il faut corriger."})
    _lock_and_refresh_status(measurement)
    if measurement.status not in (
        Measurement.Status.SUBMITTED,
        Measurement.Status.VALIDATED,
    ):
        raise ValidationError("Seule une valeur transmise ou validée peut être renvoyée.")
    measurement.status = Measurement.Status.RETURNED
    measurement.return_comment = comment.strip()
    measurement.validated_by = None
    measurement.validated_at = None
    _save(
        measurement,
        user=user,
        update_fields=[
            "status",
            "return_comment",
            "validated_by",
            "validated_at",
            "updated_at",
        ],
    )
    _tell_directors([measurement], actor=user)
    return measurement


@transaction.atomic
def target_set(
    *,
    user,
    indicator: Indicator,
    period: str,
    value: Decimal,
    structure: Structure | None = None,
) -> Target:
    """Set (create or change) the target of `indicator` for `period` (structure None = network)."""
    if not user.has_perm("indicators.change_target"):
        raise PermissionDenied("Seule l’équipe fédérale fixe les cibles.")
    target = Target.objects.filter(indicator=indicator, period=period, structure=structure).first() or Target(
        indicator=indicator, period=period, structure=structure
    )
    target.value = value
    _save(target, user=user)
    return target
