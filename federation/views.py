"""Site-wide pages that belong to no app: health check, server error page, search."""

from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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


def server_error(request):
    """The 500 page, with the request id people can quote to the team."""
    return render(request, "500.html", {"request_id": getattr(request, "id", "")}, status=500)


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
