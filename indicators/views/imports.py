"""Importing values from a file, in two steps: upload and preview (a dry run showing every
error), then confirm. Two kinds of file: any indicators' values (structure, indicateur,
période, valeur) and the national observatory's yearly figures. Between the steps the file
waits in the session, with a fingerprint so that the file confirmed is the one previewed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network.resources import STRUCTURE_LIST
from toolkit.french import NBSP, count
from toolkit.resources import ImportValueError
from toolkit.tables import TableFileError, dataset_from_json, dataset_to_json, fingerprint, table_read

from ..forms import ObservatoryImportForm, ValuesImportForm
from ..imports.observatory import expected_columns, observatory_import
from ..imports.values import values_import
from ..observatory import FIGURES

VALUES_SESSION_KEY = "values_import"
# Staff: the figures land validated, so importing them needs the right to validate values.
OBSERVATORY_PERMISSIONS = ("indicators.add_measurement", "indicators.validate_measurement")
OBSERVATORY_SESSION_KEY = "observatory_import"


# ---------------------------------------------------------------- values


@permission_required("indicators.add_measurement", raise_exception=True)
def measurement_import(request):
    """Step 1: upload a file; show what the import would do (dry run) and every error."""
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
                request.session[VALUES_SESSION_KEY] = {"data": data, "validate": validate, "filename": upload.name}
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
    pending = request.session.get(VALUES_SESSION_KEY)
    if not pending or fingerprint(pending["data"]) != request.POST.get("fingerprint"):
        messages.error(request, "L’aperçu a expiré ou ne correspond plus au fichier : déposez-le à nouveau.")
        return redirect("indicators:measurement_import")
    report = values_import(
        user=request.user, dataset=dataset_from_json(pending["data"]), dry_run=False, validate=pending["validate"]
    )
    del request.session[VALUES_SESSION_KEY]
    if not report.ok:
        messages.error(request, "Import annulé : le fichier contient des erreurs. Rien n’a été enregistré.")
        return render(
            request,
            "indicators/measurement_import_preview.html",
            {"report": report, "filename": pending["filename"], "validate": pending["validate"]},
        )
    messages.success(request, f"Import terminé : {report.created} valeurs créées, {report.updated} modifiées.")
    return redirect("indicators:indicator_list")


# ---------------------------------------------------------------- the observatory's yearly figures


def _may_create_structures(user) -> bool:
    return STRUCTURE_LIST.may_import(user)


def _fingerprint(data: str, create_structures: bool) -> str:
    return fingerprint(f"{int(create_structures)}{data}")


@permission_required(OBSERVATORY_PERMISSIONS, raise_exception=True)
def observatory_import_upload(request):
    """Step 1: upload a file; see every value to create, update or leave, and every error."""
    may_create = _may_create_structures(request.user)
    form = ObservatoryImportForm(request.POST or None, request.FILES or None, may_create_structures=may_create)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        create_structures = bool(form.cleaned_data["create_structures"]) and may_create
        try:
            dataset = table_read(content=upload.read(), filename=upload.name)
        except TableFileError as error:
            form.add_error("file", str(error))
        else:
            report = observatory_import(
                user=request.user, dataset=dataset, dry_run=True, create_structures=create_structures
            )
            data = dataset_to_json(dataset)
            token = _fingerprint(data, create_structures)
            if report.ok:
                request.session[OBSERVATORY_SESSION_KEY] = {
                    "data": data,
                    "create_structures": create_structures,
                    "filename": upload.name,
                    "fingerprint": token,
                }
            return render(
                request,
                "indicators/observatory/import_preview.html",
                {"report": report, "filename": upload.name, "fingerprint": token},
            )
    return render(
        request,
        "indicators/observatory/import_form.html",
        {"form": form, "figures": FIGURES, "columns": expected_columns()},
    )


@require_POST
@permission_required(OBSERVATORY_PERMISSIONS, raise_exception=True)
def observatory_import_confirm(request):
    """Step 2: import the previewed file, all or nothing."""
    pending = request.session.get(OBSERVATORY_SESSION_KEY)
    if not pending or pending["fingerprint"] != request.POST.get("fingerprint"):
        messages.error(request, "L’aperçu a expiré ou ne correspond plus au fichier : déposez-le à nouveau.")
        return redirect("indicators:observatory_import")
    report = observatory_import(
        user=request.user,
        dataset=dataset_from_json(pending["data"]),
        dry_run=False,
        create_structures=pending["create_structures"] and _may_create_structures(request.user),
    )
    del request.session[OBSERVATORY_SESSION_KEY]
    if not report.ok:  # the data changed since the preview: nothing was written
        messages.error(request, "L’import a été refusé et rien n’a été enregistré : voici pourquoi.")
        return render(
            request,
            "indicators/observatory/import_preview.html",
            {"report": report, "filename": pending["filename"]},
        )
    messages.success(
        request,
        f"Chiffres de l’observatoire importés depuis «{NBSP}{pending['filename']}{NBSP}»{NBSP}: "
        f"{count(report.created, 'valeur créée', 'valeurs créées')}, {count(report.updated, 'modifiée', 'modifiées')}, "
        f"{count(report.unchanged, 'inchangée', 'inchangées')}, "
        f"{count(len(report.new_structures), 'structure créée', 'structures créées')}.",
    )
    return redirect("indicators:indicator_list")
