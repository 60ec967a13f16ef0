"""The lists of the « Listes » page: which ones, through which app's resource."""

from actions.models import Action
from actions.resources import ActionResource
from axes.models import Objective
from axes.resources import ObjectiveResource
from network.models import Partner, Structure
from network.resources import PartnerResource, StructureResource
from toolkit.tables import ListKind

LISTS = {
    kind.slug: kind
    for kind in [
        ListKind("actions", "Actions", ActionResource, Action),
        ListKind("objectifs", "Objectifs opérationnels", ObjectiveResource, Objective),
        ListKind("partenaires", "Partenaires", PartnerResource, Partner),
        ListKind("structures", "Structures", StructureResource, Structure),
    ]
}
