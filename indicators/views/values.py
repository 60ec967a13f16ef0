"""A value's life: entered (by a director for a structure, by staff for the network), submitted,
validated or returned by the federal team from the review queue; its proof file."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from toolkit.pagination import paginate
from toolkit.redirects import safe_next
from toolkit.storage import StorageFull

from .. import services
from ..forms import MeasurementForm, ReturnForm
from ..models import Indicator, Measurement
from ..selectors import jumps

REVIEW_PER_PAGE = 50


@permission_required("indicators.report_measurement", raise_exception=True)
def measurement_create(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    for_network = services.may_validate(request.user)
    form = MeasurementForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        may_report_for_network=for_network,
        indicator=indicator,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement = services.measurement_record(
                user=request.user,
                indicator=indicator,
                period=data["period"],
                structure=data["structure"],
                value=data["value"],
                text=data["text"],
                source=data["source"],
                comment=data["comment"],
                evidence=data["evidence"] or None,
            )
            if "submit" in request.POST:
                services.measurement_submit(user=request.user, measurement=measurement)
        except ValidationError as error:
            _add_errors(form, error)
        except StorageFull as error:
            # The disk is full: nothing was kept (the transaction rolled back, the partial
            # file removed); the form comes back with what was typed.
            form.add_error("evidence", str(error))
        else:
            messages.success(
                request,
                "Valeur transmise à l’équipe fédérale."
                if "submit" in request.POST
                else "Valeur enregistrée en brouillon.",
            )
            return redirect(indicator)
    return render(request, "indicators/measurement_form.html", {"indicator": indicator, "form": form})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            field = name if name in form.fields else None
            for item in errors:
                form.add_error(field, item.messages)
    else:
        form.add_error(None, error.messages)


def _workflow_step(request, pk: int, step):
    measurement = get_object_or_404(Measurement.objects.select_related("indicator", "structure"), pk=pk)
    try:
        step(measurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(safe_next(request, measurement.indicator.get_absolute_url()))


@require_POST
@permission_required("indicators.report_measurement", raise_exception=True)
def measurement_submit(request, pk: int):
    def step(measurement):
        services.measurement_submit(user=request.user, measurement=measurement)
        messages.success(request, "Valeur transmise à l’équipe fédérale.")

    return _workflow_step(request, pk, step)


@require_POST
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_validate(request, pk: int):
    def step(measurement):
        services.measurement_validate(user=request.user, measurement=measurement)
        messages.success(request, f"Valeur validée : {measurement}.")

    return _workflow_step(request, pk, step)


@require_POST
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_return(request, pk: int):
    def step(measurement):
        services.measurement_return(user=request.user, measurement=measurement, comment=request.POST.get("comment", ""))
        messages.success(request, f"Valeur renvoyée : {measurement}.")

    return _workflow_step(request, pk, step)


@require_GET
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_review(request):
    measurements = Measurement.objects.to_review()
    indicator_id = request.GET.get("indicateur", "")
    period = request.GET.get("periode", "").strip()
    if indicator_id.isdecimal():
        measurements = measurements.filter(indicator_id=int(indicator_id))
    if period:
        measurements = measurements.filter(period=period)
    page = paginate(request, measurements, REVIEW_PER_PAGE)
    for_jumps = jumps(page.object_list)
    for measurement in page.object_list:
        measurement.jump = for_jumps.get(measurement.pk)
    return render(
        request,
        "indicators/measurement_review.html",
        {
            "page": page,
            "measurements": page.object_list,
            "indicator_id": int(indicator_id) if indicator_id.isdecimal() else None,
            "period": period,
            "indicators": Indicator.objects.filter(measurements__status=Measurement.Status.SUBMITTED)
            .distinct()
            .order_by("name")
            .values_list("pk", "name"),
            "return_form": ReturnForm(),
        },
    )


MAX_BULK = 500


@require_POST
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurements_validate(request):
    """Validate the values ticked on the review page, together. Each box carries the value's
    version as the page showed it; values that differ by more than half from the period before
    are listed for confirmation first (nothing is validated until staff confirm)."""
    back = safe_next(request, reverse("indicators:measurement_review"))
    versions = {}
    for item in request.POST.getlist("valeurs")[:MAX_BULK]:
        pk, _, version = item.partition(":")
        if pk.isdecimal() and version.isdecimal() and int(pk) < 2**31:
            versions[int(pk)] = version
    if not versions:
        messages.error(request, "Cochez au moins une valeur à valider.")
        return redirect(back)
    if "confirmer" not in request.POST:
        shown = list(Measurement.objects.to_review().filter(pk__in=list(versions)))
        flagged = jumps(shown)
        if flagged:
            for measurement in shown:
                measurement.jump = flagged.get(measurement.pk)
            return render(
                request,
                "indicators/measurements_validate_confirm.html",
                {
                    "flagged": [m for m in shown if m.jump],
                    "items": request.POST.getlist("valeurs")[:MAX_BULK],
                    "count": len(versions),
                    "next_url": back,
                },
            )
    result = services.measurements_validate(user=request.user, versions=versions)
    if result.validated:
        count = len(result.validated)
        messages.success(request, f"{count} valeur{pluralize(count)} validée{pluralize(count)}.")
    if result.changed:
        names = ", ".join(str(m) for m in result.changed[:10])
        messages.warning(
            request,
            f"Non validée{pluralize(len(result.changed))}, car modifiée{pluralize(len(result.changed))} "
            f"entre-temps (renvoyée, corrigée ou déjà validée) : {names}. Relisez la liste avant de recommencer.",
        )
    return redirect(back)


@require_GET
@permission_required("indicators.view_measurement", raise_exception=True)
def measurement_evidence(request, pk: int):
    """The proof file, to those who may see the value: media files are never served publicly."""
    measurement = get_object_or_404(Measurement, pk=pk)
    if not Measurement.objects.visible_to(request.user).filter(pk=pk).exists():
        raise PermissionDenied("Ce justificatif appartient à une autre structure.")
    if not measurement.evidence:
        raise Http404("Pas de justificatif.")
    try:
        handle = measurement.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("Justificatif introuvable.") from None
    name = measurement.evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
