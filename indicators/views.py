"""Indicator pages, entering and validating values, importing values."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from toolkit.pagination import paginate
from toolkit.resources import ImportValueError
from toolkit.tables import TableFileError, dataset_from_json, dataset_to_json, fingerprint, table_read

from . import services
from .forms import MeasurementForm, ReturnForm, ValuesImportForm
from .models import Indicator, Measurement
from .selectors import indicator_page, tracks

VIEW = "indicators.view_indicator"
INDICATORS_PER_PAGE = 50
REVIEW_PER_PAGE = 50
VALUES_PER_PAGE = 50
IMPORT_SESSION_KEY = "values_import"


# ---------------------------------------------------------------- indicators


@require_GET
@permission_required(VIEW, raise_exception=True)
def indicator_list(request):
    page = paginate(request, Indicator.objects.for_list().order_by("name", "pk"), INDICATORS_PER_PAGE)
    indicators = list(page.object_list)
    track_by_id = tracks(indicators)
    for indicator in indicators:
        indicator.track = track_by_id[indicator.pk]
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "indicators": indicators,
            "page": page,
            "to_review": Measurement.objects.to_review().count() if services.may_validate(request.user) else 0,
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def indicator_detail(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.for_list(), pk=pk)
    page_data = indicator_page(indicator, request.user)
    # The chart and the network table stay whole; the per-structure values are paged.
    page = paginate(request, page_data["measurements"], VALUES_PER_PAGE)
    page_data["measurements"] = page.object_list
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            **page_data,
            "page": page,
            "may_validate": services.may_validate(request.user),
            "may_report": request.user.has_perm("indicators.report_measurement"),
            "own_structure_ids": set(request.user.structures.values_list("pk", flat=True)),
            "return_form": ReturnForm(),
        },
    )


# ---------------------------------------------------------------- values and their workflow


@permission_required("indicators.report_measurement", raise_exception=True)
def measurement_create(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    for_network = services.may_validate(request.user)
    form = MeasurementForm(
        request.POST or None, request.FILES or None, user=request.user, may_report_for_network=for_network
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
        else:
            messages.success(
                request,
                "Valeur soumise à l'équipe fédérale."
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
    return redirect(request.POST.get("next") or measurement.indicator.get_absolute_url())


@require_POST
@permission_required("indicators.report_measurement", raise_exception=True)
def measurement_submit(request, pk: int):
    def step(measurement):
        services.measurement_submit(user=request.user, measurement=measurement)
        messages.success(request, "Valeur soumise à l'équipe fédérale.")

    return _workflow_step(request, pk, step)


@require_POST
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_validate(request, pk: int):
    def step(measurement):
        services.measurement_validate(user=request.user, measurement=measurement)
        messages.success(request, f"Valeur validée : {measurement}.")

    return _workflow_step(request, pk, step)


@require_POST
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_return(request, pk: int):
    def step(measurement):
        services.measurement_return(user=request.user, measurement=measurement, comment=request.POST.get("comment", ""))
        messages.success(request, f"Valeur renvoyée : {measurement}.")

    return _workflow_step(request, pk, step)


@require_GET
@permission_required(services.VALIDATE_PERMISSION, raise_exception=True)
def measurement_review(request):
    measurements = Measurement.objects.to_review()
    indicator_id = request.GET.get("indicateur", "")
    period = request.GET.get("periode", "").strip()
    if indicator_id.isdigit():
        measurements = measurements.filter(indicator_id=int(indicator_id))
    if period:
        measurements = measurements.filter(period=period)
    page = paginate(request, measurements, REVIEW_PER_PAGE)
    return render(
        request,
        "indicators/measurement_review.html",
        {
            "page": page,
            "measurements": page.object_list,
            "indicator_id": int(indicator_id) if indicator_id.isdigit() else None,
            "period": period,
            "indicators": Indicator.objects.filter(measurements__status=Measurement.Status.SUBMITTED)
            .distinct()
            .order_by("name")
            .values_list("pk", "name"),
            "return_form": ReturnForm(),
        },
    )


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


# ---------------------------------------------------------------- import


@permission_required("indicators.add_measurement", raise_exception=True)
def measurement_import(request):
    """Step 1: upload a file; show what the import would do (dry run) and every error."""
    from .bulk_import import values_import

    form = ValuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            dataset = table_read(content=upload.read(), filename=upload.name)
        except (TableFileError, ImportValueError) as error:
            form.add_error("file", str(error))
        else:
            validate = form.cleaned_data["validate"]
            report = values_import(user=request.user, dataset=dataset, dry_run=True, validate=validate)
            data = dataset_to_json(dataset)
            if report.ok:
                request.session[IMPORT_SESSION_KEY] = {"data": data, "validate": validate, "filename": upload.name}
            return render(
                request,
                "indicators/measurement_import_preview.html",
                {"report": report, "fingerprint": fingerprint(data), "filename": upload.name, "validate": validate},
            )
    return render(request, "indicators/measurement_import_form.html", {"form": form})


@require_POST
@permission_required("indicators.add_measurement", raise_exception=True)
def measurement_import_confirm(request):
    """Step 2: import the previewed file, all or nothing."""
    from .bulk_import import values_import

    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or fingerprint(pending["data"]) != request.POST.get("fingerprint"):
        messages.error(request, "L'aperçu a expiré ou ne correspond plus au fichier : déposez-le à nouveau.")
        return redirect("indicators:measurement_import")
    report = values_import(
        user=request.user, dataset=dataset_from_json(pending["data"]), dry_run=False, validate=pending["validate"]
    )
    del request.session[IMPORT_SESSION_KEY]
    if not report.ok:
        messages.error(request, "Import annulé : le fichier contient des erreurs. Rien n'a été enregistré.")
        return render(
            request,
            "indicators/measurement_import_preview.html",
            {"report": report, "filename": pending["filename"], "validate": pending["validate"]},
        )
    messages.success(request, f"Import terminé : {report.created} valeurs créées, {report.updated} modifiées.")
    return redirect("indicators:indicator_list")


# ---------------------------------------------------------------- the board
