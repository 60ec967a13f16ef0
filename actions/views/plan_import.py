"""Importing a plan document: upload, preview, confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actions.forms import PlanImportConfirmForm, PlanImportForm
from actions.services.plan_import import KEEP_APP, TAKE_DOCUMENT, document_fingerprint, plan_import
from axes.document import DocumentError

SESSION_KEY = "plan_import"


# Importing a plan document


@permission_required("axes.import_plan", raise_exception=True)
def plan_import_upload(request):
    """Step 1: upload a document; show what the import would create or change."""
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["document"]
            title = form.cleaned_data["plan_title"] or None
            filename = request.FILES["document"].name
            report = plan_import(
                source=text,
                plan_title=title,
                document_name=filename,
                checksum=form.checksum,
                dry_run=True,
                user=request.user,
            )
            # The document's text (whatever its format), not the file: what the preview showed.
            request.session[SESSION_KEY] = {
                "text": text,
                "title": title,
                "fingerprint": document_fingerprint(text),
                "filename": filename,
                "checksum": form.checksum,
            }
            confirm_form = PlanImportConfirmForm(
                initial={
                    "fingerprint": document_fingerprint(text),
                    "start_year": report.start_year,
                    "end_year": report.end_year,
                }
            )
            return _preview(request, report, confirm_form)
    else:
        form = PlanImportForm()
    return render(request, "actions/plan_import_form.html", {"form": form})


def _preview(request, report, confirm_form):
    pending = request.session[SESSION_KEY]
    return render(
        request,
        "actions/plan_import_preview.html",
        {
            "report": report,
            "form": confirm_form,
            "fingerprint": pending["fingerprint"],
            "filename": pending["filename"],
        },
    )


@require_POST
@permission_required("axes.import_plan", raise_exception=True)
def plan_import_confirm(request):
    """Step 2: import the previewed document, provided it is still the one in the session."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["fingerprint"] != request.POST.get("fingerprint"):
        messages.error(
            request,
            "L’aperçu a expiré ou ne correspond plus au document : déposez-le à nouveau.",
        )
        return redirect("actions:plan_import")
    form = PlanImportConfirmForm(request.POST)
    # Staff's choices: the document's version for these conflicts, the trash for these absent objects.
    # Only keys this import reports are acted on (the service ignores any other).
    resolutions = {
        name.removeprefix("conflict-"): value
        for name, value in request.POST.items()
        if name.startswith("conflict-") and value in (KEEP_APP, TAKE_DOCUMENT)
    }
    common = {
        "source": pending["text"],
        "plan_title": pending["title"],
        "document_name": pending["filename"],
        "checksum": pending.get("checksum", ""),
        "resolutions": resolutions,
        "trash": request.POST.getlist("trash"),
        "user": request.user,
    }
    try:
        if not form.is_valid():  # the period: show the preview again, with the error
            report = plan_import(**common, dry_run=True)
            return _preview(request, report, form)
        report = plan_import(
            **common,
            start_year=form.cleaned_data["start_year"],
            end_year=form.cleaned_data["end_year"],
        )
    except DocumentError as error:  # the parser changed between preview and confirmation
        messages.error(request, str(error))
        return redirect("actions:plan_import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        f"Document importé : {report.created} éléments créés, {report.updated} modifiés, {report.unchanged} inchangés"
        + (f", {len(report.kept)} modifiés dans l’application et conservés" if report.kept else "")
        + (f", {len(report.conflicts)} conflits réglés" if report.conflicts else "")
        + (f", {len(report.absent)} absents du document" if report.absent else "")
        + ".",
    )
    return redirect(report.plan)
