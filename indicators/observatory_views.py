"""Staff import the yearly figures centres report to the national observatory: upload, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from network.resources import STRUCTURE_LIST
from toolkit.tables import TableFileError, dataset_from_json, dataset_to_json, fingerprint, table_read

from .forms import ObservatoryImportForm
from .observatory import FIGURES
from .observatory_import import expected_columns, observatory_import

# Staff: the figures land validated, so importing them needs the right to validate values.
PERMISSIONS = ("indicators.add_measurement", "indicators.validate_measurement")
SESSION_KEY = "observatory_import"


def _may_create_structures(user) -> bool:
    return STRUCTURE_LIST.may_import(user)


def _fingerprint(data: str, create_structures: bool) -> str:
    return fingerprint(f"{int(create_structures)}{data}")


@permission_required(PERMISSIONS, raise_exception=True)
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
                request.session[SESSION_KEY] = {
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
@permission_required(PERMISSIONS, raise_exception=True)
def observatory_import_confirm(request):
    """Step 2: import the previewed file, all or nothing."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["fingerprint"] != request.POST.get("fingerprint"):
        messages.error(request, "L'aperçu a expiré ou ne correspond plus au fichier : déposez-le à nouveau.")
        return redirect("indicators:observatory_import")
    report = observatory_import(
        user=request.user,
        dataset=dataset_from_json(pending["data"]),
        dry_run=False,
        create_structures=pending["create_structures"] and _may_create_structures(request.user),
    )
    del request.session[SESSION_KEY]
    if not report.ok:  # the data changed since the preview: nothing was written
        messages.error(request, "L'import a été refusé et rien n'a été enregistré : voici pourquoi.")
        return render(
            request,
            "indicators/observatory/import_preview.html",
            {"report": report, "filename": pending["filename"]},
        )
    messages.success(
        request,
        f"Chiffres de l'observatoire importés depuis « {pending['filename']} » : {report.created} valeur(s) créée(s), "
        f"{report.updated} modifiée(s), {report.unchanged} inchangée(s), "
        f"{len(report.new_structures)} structure(s) créée(s).",
    )
    return redirect("indicators:indicator_list")
