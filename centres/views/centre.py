"""« Mon centre »: a director's home, and the entry of their own structure's values; the
staff's reporting-rate page.

Every view that touches a structure's values checks that the user directs that
structure (staff may act for any): another structure's id, in the URL or a form, gets
403 and changes nothing. The services check it again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from actions.selectors import set_progress_sources
from centres.models import ReportingReminder
from centres.selectors import beside_the_network, structure_actions, structure_objectives
from indicators.models import PERIOD_RE, Indicator, Measurement
from indicators.services import VALIDATE_PERMISSION, measurement_record, measurement_submit
from network.models import Structure
from toolkit.pagination import paginate

from ..forms import MeasurementEntryForm, ReportingFilterForm
from ..reporting import reporting_summary, structure_obligations, with_late_names

VALUES_PER_PAGE = 50

REPORT_PERMISSION = "indicators.report_measurement"


def _own_structure(user, pk: int) -> Structure:
    """The structure `pk`, if `user` directs it or is staff; 403 otherwise."""
    structure = get_object_or_404(Structure.objects.select_related("territory"), pk=pk)
    if not (structure.is_directed_by(user) or user.has_perm(VALIDATE_PERMISSION)):
        raise PermissionDenied("Cette structure n’est pas la vôtre.")
    return structure


@require_GET
@permission_required(REPORT_PERMISSION, raise_exception=True)
def centre_home(request):
    """A director with one structure goes straight to it; with several, chooses."""
    structures = list(Structure.objects.directed_by(request.user).order_by("name"))
    if len(structures) == 1:
        return redirect("centres:centre_detail", pk=structures[0].pk)
    return render(request, "centres/centre/centre_home.html", {"structures": structures})


@require_GET
@permission_required(REPORT_PERMISSION, raise_exception=True)
def centre_detail(request, pk: int):
    structure = _own_structure(request.user, pk)
    obligations = structure_obligations(structure)
    actions = list(structure_actions(structure))
    set_progress_sources(actions)  # each figure says where it comes from
    # Every value the structure ever entered: years of them at national scale, 50 a page.
    page = paginate(
        request,
        Measurement.objects.filter(structure=structure)
        .select_related("indicator")
        .order_by("-period", "indicator__name", "pk"),
        VALUES_PER_PAGE,
    )
    return render(
        request,
        "centres/centre/centre_detail.html",
        {
            "structure": structure,
            "actions": actions,
            "objectives": structure_objectives(actions),
            "obligations": obligations,
            "missing_count": sum(1 for obligation in obligations if obligation.is_missing),
            "measurements": beside_the_network(structure, page.object_list),
            "page": page,
        },
    )


@permission_required(REPORT_PERMISSION, raise_exception=True)
def measurement_edit(request, pk: int, indicator_pk: int, period: str):
    """Enter or correct the structure's value for an indicator and a period (it becomes a draft)."""
    structure = _own_structure(request.user, pk)
    if not PERIOD_RE.match(period):
        raise Http404
    indicator = get_object_or_404(Indicator, pk=indicator_pk)
    measurement = Measurement.objects.filter(indicator=indicator, period=period, structure=structure).first()
    form = MeasurementEntryForm.for_measurement(
        measurement, data=request.POST if request.method == "POST" else None, indicator=indicator
    )
    if request.method == "POST" and form.is_valid():
        try:
            measurement = measurement_record(
                user=request.user,
                indicator=indicator,
                period=period,
                structure=structure,
                **form.cleaned_data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    for item in errors:
                        form.add_error(name if name in form.fields else None, item.messages)
            else:
                form.add_error(None, error.messages)
        else:
            if "submit" in request.POST:
                measurement_submit(user=request.user, measurement=measurement)
                messages.success(
                    request,
                    f"Valeur transmise à l’équipe fédérale : {indicator}, {measurement.period_label}.",
                )
            else:
                messages.success(
                    request,
                    f"Brouillon enregistré : {indicator}, {measurement.period_label}.",
                )
            return redirect("centres:centre_detail", pk=structure.pk)
    return render(
        request,
        "centres/centre/measurement_form.html",
        {
            "structure": structure,
            "indicator": indicator,
            "period": period,
            "measurement": measurement,
            "previous": Measurement.objects.previous_of(indicator=indicator, structure=structure, period=period),
            "form": form,
        },
    )


@require_POST
@permission_required(REPORT_PERMISSION, raise_exception=True)
def measurement_submit_view(request, pk: int):
    """Hand a draft (or a corrected returned value) of one's own structure to the staff."""
    measurement = get_object_or_404(Measurement.objects.select_related("structure", "indicator"), pk=pk)
    if measurement.structure is None:
        raise PermissionDenied("Les valeurs du réseau se saisissent par l’équipe fédérale.")
    structure = _own_structure(request.user, measurement.structure_id)
    try:
        measurement_submit(user=request.user, measurement=measurement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Valeur transmise à l’équipe fédérale : {measurement.indicator}, {measurement.period_label}.",
        )
    return redirect("centres:centre_detail", pk=structure.pk)


REPORTING_ROWS_PER_PAGE = 25
REMINDERS_SHOWN = 20


@require_GET
@permission_required(VALIDATE_PERMISSION, raise_exception=True)
def reporting_rate(request):
    """Per indicator and period: how many structures reported, who is late. Counted in the
    database and paged by indicators (centres.reporting.reporting_summary): the same number of
    queries however many indicators, periods and structures the network has."""
    form = ReportingFilterForm(request.GET or None)
    period = form.cleaned_data["periode"] if form.is_valid() else None
    rows = reporting_summary(Indicator.objects.active().order_by("name", "pk"), period=period or None)
    page = paginate(request, rows, REPORTING_ROWS_PER_PAGE)
    with_late_names(page.object_list)
    return render(
        request,
        "centres/centre/reporting_rate.html",
        {
            "form": form,
            "page": page,
            "reports": page.object_list,
            "expected_total": sum(row.expected_count for row in rows),
            "submitted_total": sum(row.submitted_count for row in rows),
            "late_total": sum(row.late_count for row in rows),
            "reminders": ReportingReminder.objects.for_log()[:REMINDERS_SHOWN],
        },
    )
