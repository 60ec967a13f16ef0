"""The plan as a document to download: .docx, .odt or .txt (the import's own format)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from actions.services.plan_export import FORMATS, plan_export
from axes.models import Plan


@require_GET
@permission_required("axes.view_plan", raise_exception=True)
def plan_export_download(request, pk: int, fmt: str):
    """?statut=1 adds each action's status and progress and the date of the export."""
    if fmt not in FORMATS:
        raise Http404
    plan = get_object_or_404(Plan, pk=pk)
    with_status = request.GET.get("statut") == "1"
    data = plan_export(plan, fmt, with_status=with_status, today=timezone.localdate())
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = slugify(plan.title) or "projet-federal"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
