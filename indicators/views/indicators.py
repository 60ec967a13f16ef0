"""The indicators' list and pages."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from toolkit.pagination import paginate

from .. import services
from ..coverage import coverage
from ..forms import ReturnForm
from ..models import Indicator, Measurement
from ..selectors import indicator_page, tracks

VIEW = "indicators.view_indicator"
INDICATORS_PER_PAGE = 50
VALUES_PER_PAGE = 50


@require_GET
@permission_required(VIEW, raise_exception=True)
def indicator_list(request):
    archived = request.GET.get("archives") == "1"
    listed = Indicator.objects.for_list()
    listed = listed.filter(archived_at__isnull=False) if archived else listed.active()
    page = paginate(request, listed.order_by("name", "pk"), INDICATORS_PER_PAGE)
    indicators = list(page.object_list)
    track_by_id = tracks(indicators)
    covered = coverage(indicators)
    for indicator in indicators:
        indicator.track = track_by_id[indicator.pk]
        indicator.coverage = covered.get((indicator.pk, indicator.track.period))
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "indicators": indicators,
            "page": page,
            "archived": archived,
            "to_review": Measurement.objects.to_review().count() if services.may_validate(request.user) else 0,
        },
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def indicator_detail(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.for_list(), pk=pk)
    page_data = indicator_page(indicator, request.user, missing_period=request.GET.get("periode"))
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
