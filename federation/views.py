"""Site-wide pages that belong to no app: health, server error, search, import/export of lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from toolkit import tables
from toolkit.french import NBSP, count

from .forms import ListImportForm
from .lists import LISTS
from .search import site_search


@login_not_required
@never_cache
def health(request):
    """For the load balancer: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "erreur", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@require_GET
@login_required
def help_page(request):
    """The roles and the pages, for anyone logged in (even without a role, to know what to ask for).

    No query beyond the session and the user: the benchmarks use it as the floor.
    """
    return render(request, "help.html")


def server_error(request):
    """The 500 page, with the request id people can quote to the team.

    Rendered without the request's context processors: they read the user and their groups
    from the database, which may be what failed (PostgreSQL restarting), and a 500 page that
    fails falls back to gunicorn's English one.
    """
    html = loader.get_template("500.html").render({"request_id": getattr(request, "id", "")})
    return HttpResponse(html, status=500)


@require_GET
@permission_required("axes.view_axis", raise_exception=True)
def search(request):
    """The search box's results: everything the user may read, grouped by kind."""
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "search/results.html",
        {"query": query, "results": site_search(query=query, user=request.user)},
    )


# ---------------------------------------------------------------------------- lists (CSV, XLSX)

EXCHANGE_SESSION_KEY = "list_import"


def _list_kind(slug: str) -> tables.ListKind:
    try:
        return LISTS[slug]
    except KeyError:
        raise Http404("Liste inconnue.") from None


def _importable_kind(request, slug: str) -> tables.ListKind:
    kind = _list_kind(slug)
    if not kind.may_import(request.user):
        raise PermissionDenied
    return kind


@require_GET
@permission_required("axes.view_axis", raise_exception=True)
def exchange_index(request):
    """The lists every reader may export; those the user may import, with their columns."""
    lists = [
        {"kind": kind, "may_export": kind.may_export(request.user), "may_import": kind.may_import(request.user)}
        for kind in LISTS.values()
    ]
    return render(request, "exchange/exchange_index.html", {"lists": lists, "formats": tables.FORMATS})


@require_GET
@permission_required("axes.view_axis", raise_exception=True)
def exchange_export(request, kind: str, fmt: str):
    list_kind = _list_kind(kind)
    if fmt not in tables.FORMATS:
        raise Http404("Format inconnu.")
    if not list_kind.may_export(request.user):
        raise PermissionDenied
    content_type, _label = tables.FORMATS[fmt]
    response = HttpResponse(tables.table_export(kind=list_kind, file_format=fmt), content_type=content_type)
    filename = f"{list_kind.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def exchange_import(request, kind: str):
    """Step 1: upload a file; see every row to create, update or leave, and every error."""
    list_kind = _importable_kind(request, kind)
    if request.method == "POST":
        form = ListImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                dataset = tables.table_read(content=upload.read(), filename=upload.name)
            except tables.TableFileError as error:
                form.add_error("file", str(error))
            else:
                report = tables.table_import(kind=list_kind, dataset=dataset, dry_run=True, user=request.user)
                data = tables.dataset_to_json(dataset)
                fingerprint = tables.fingerprint(data)
                if report.ok:
                    request.session[EXCHANGE_SESSION_KEY] = {
                        "kind": list_kind.slug,
                        "data": data,
                        "fingerprint": fingerprint,
                        "filename": upload.name,
                    }
                return render(
                    request,
                    "exchange/import_preview.html",
                    {"kind": list_kind, "report": report, "filename": upload.name, "fingerprint": fingerprint},
                )
    else:
        form = ListImportForm()
    return render(request, "exchange/import_form.html", {"kind": list_kind, "form": form})


@require_POST
def exchange_import_confirm(request, kind: str):
    """Step 2: import the previewed file, all or nothing."""
    list_kind = _importable_kind(request, kind)
    pending = request.session.get(EXCHANGE_SESSION_KEY)
    if not pending or pending["kind"] != list_kind.slug or pending["fingerprint"] != request.POST.get("fingerprint"):
        messages.error(request, "L’aperçu a expiré ou ne correspond plus au fichier : déposez-le à nouveau.")
        return redirect("exchange_import", kind=list_kind.slug)
    dataset = tables.dataset_from_json(pending["data"])
    report = tables.table_import(kind=list_kind, dataset=dataset, dry_run=False, user=request.user)
    del request.session[EXCHANGE_SESSION_KEY]
    if not report.ok:  # the data changed since the preview: nothing was written
        messages.error(request, "L’import a été refusé et rien n’a été enregistré : voici pourquoi.")
        return render(
            request,
            "exchange/import_preview.html",
            {"kind": list_kind, "report": report, "filename": pending["filename"]},
        )
    messages.success(
        request,
        f"{list_kind.label}, import de «{NBSP}{pending['filename']}{NBSP}»{NBSP}: "
        f"{count(report.created, 'ligne créée', 'lignes créées')}, {count(report.updated, 'modifiée', 'modifiées')}, "
        f"{count(report.unchanged, 'inchangée', 'inchangées')}.",
    )
    return redirect("exchange_index")
