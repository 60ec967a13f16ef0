"""The network's pages: territories and their structures, each with the actions it takes
part in and where it stands on reporting (counts only: values stay with their structure
until validated).

Part of the site shell: it reads the network, the actions and the indicators.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.models import Action
from centres.reporting import reporting_status
from centres.selectors import actions_by_structure
from indicators.models import Indicator
from network.models import Structure, Territory, approval_warning_limit
from toolkit.pagination import paginate

VIEW_PERMISSION = "network.view_structure"


@dataclass
class StructureRow:
    structure: Structure
    actions: list[Action]
    submitted: int = 0
    late: int = 0
    pending: int = 0
    approval_ends_soon: bool = False

    @property
    def expected(self) -> int:
        return self.submitted + self.late + self.pending


@dataclass
class TerritoryGroup:
    territory: Territory | None
    depth: int
    rows: list[StructureRow] = field(default_factory=list)


def _rows(structures: list[Structure]) -> dict[int, StructureRow]:
    """A row per structure with its actions and reporting counts, in a constant number of queries."""
    limit = approval_warning_limit()
    actions = actions_by_structure([s.pk for s in structures])
    rows = {
        s.pk: StructureRow(
            s,
            actions[s.pk],
            approval_ends_soon=s.caf_approval_ends_on is not None and s.caf_approval_ends_on <= limit,
        )
        for s in structures
    }
    for report in reporting_status(Indicator.objects.active().prefetch_related("actions"), structures=structures):
        for line in report.structures:
            row = rows[line.structure.pk]
            setattr(row, line.status, getattr(row, line.status) + 1)
    return rows


@require_GET
@permission_required(VIEW_PERMISSION, raise_exception=True)
def territory_list(request):
    """The territory tree, each territory with its number of structures."""
    counts: dict[int | None, int] = {}
    for territory_id in Structure.objects.values_list("territory_id", flat=True):
        counts[territory_id] = counts.get(territory_id, 0) + 1
    tree = [(territory, depth, counts.get(territory.pk, 0)) for territory, depth in Territory.objects.tree()]
    ending = Structure.objects.approval_ending_soon()
    return render(
        request,
        "centres/network/territory_list.html",
        {
            "tree": tree,
            "without_territory": counts.get(None, 0),
            "approval_soon": ending.for_network_page().order_by("caf_approval_ends_on", "name", "pk")[:APPROVALS_SHOWN],
            "approval_soon_count": ending.count(),
        },
    )


# At national scale some 1,500 approvals end within a year: the network page names the
# soonest, the structure list (filter « agrément ») gives them all.
APPROVALS_SHOWN = 20


@require_GET
@permission_required(VIEW_PERMISSION, raise_exception=True)
def territory_detail(request, pk: int):
    """A territory and everything below it: structures grouped by territory."""
    territory = get_object_or_404(Territory.objects.select_related("parent"), pk=pk)
    ids = Territory.objects.subtree_ids(territory)
    structures = list(Structure.objects.in_territories(ids).for_network_page())
    rows = _rows(structures)
    groups: dict[int, TerritoryGroup] = {
        t.pk: TerritoryGroup(t, depth) for t, depth in Territory.objects.filter(pk__in=ids).tree()
    }
    for structure in structures:
        groups[structure.territory_id].rows.append(rows[structure.pk])
    return render(
        request,
        "centres/network/territory_detail.html",
        {
            "territory": territory,
            "groups": [group for group in groups.values() if group.rows],
            "structure_count": len(structures),
            "flagged_count": sum(1 for row in rows.values() if row.approval_ends_soon),
        },
    )


STRUCTURES_PER_PAGE = 50


@require_GET
@permission_required(VIEW_PERMISSION, raise_exception=True)
def structure_list(request):
    """The network's structures, 50 a page, optionally those whose name contains `q`, or only
    those whose CAF approval ends within a year (`agrement=bientot`, soonest first)."""
    name = request.GET.get("q", "").strip()
    ending_soon = request.GET.get("agrement") == "bientot"
    structures = Structure.objects.for_network_page().order_by("name", "pk")
    if name:
        structures = structures.filter(name__icontains=name)
    if ending_soon:
        structures = structures.approval_ending_soon().order_by("caf_approval_ends_on", "name", "pk")
    page = paginate(request, structures, STRUCTURES_PER_PAGE)
    page_structures = list(page.object_list)
    rows = _rows(page_structures)
    return render(
        request,
        "centres/network/structure_list.html",
        {
            "rows": [rows[s.pk] for s in page_structures],
            "page": page,
            "q": name,
            "ending_soon": ending_soon,
            "today": timezone.localdate(),
        },
    )


@require_GET
@permission_required(VIEW_PERMISSION, raise_exception=True)
def structure_detail(request, pk: int):
    structure = get_object_or_404(Structure.objects.for_network_page(), pk=pk)
    row = _rows([structure])[structure.pk]
    return render(
        request,
        "centres/network/structure_detail.html",
        {
            "structure": structure,
            "row": row,
            "directors": structure.directors.order_by("last_name", "first_name"),
            "is_own": structure.is_directed_by(request.user),
        },
    )
