"""Partners, for staff: the list with their actions, and merging two that are the same (issue 14)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from network.models import Partner
from toolkit.pagination import paginate

from ..forms import PartnerMergeForm
from ..services.partners import MERGE_PERMISSION, partner_merge, partner_merge_preview


@require_GET
@permission_required(MERGE_PERMISSION, raise_exception=True)
def partner_list(request):
    query = request.GET.get("q", "").strip()[:100]
    partners = Partner.objects.annotate(
        link_count=Count("action_links", filter=Q(action_links__action__deleted_at__isnull=True))
    ).order_by("name")
    if query:
        partners = partners.filter(name__icontains=query)
    page = paginate(request, partners, 50)
    return render(request, "actions/partner_list.html", {"page": page, "query": query})


@permission_required(MERGE_PERMISSION, raise_exception=True)
def partner_merge_view(request, pk):
    """Choose the partner that stays (GET), see what will move (GET ?dans=), then confirm (POST)."""
    source = get_object_or_404(Partner, pk=pk)
    data = request.POST if request.method == "POST" else (request.GET if "dans" in request.GET else None)
    form = PartnerMergeForm(data, source=source)
    preview = None
    if form.is_valid():
        target = form.cleaned_data["dans"]
        try:
            if request.method == "POST":
                plan = partner_merge(user=request.user, source=source, target=target)
                messages.success(
                    request,
                    f"« {plan.source.name} » est fusionné dans « {plan.target.name} » : "
                    f"{plan.link_count} lien{'s' if plan.link_count > 1 else ''} d’action repris.",
                )
                return redirect("actions:partner_list")
            preview = partner_merge_preview(source=source, target=target)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("dans", message)
    return render(request, "actions/partner_merge.html", {"source": source, "form": form, "preview": preview})
