"""The lists of the « Listes » page, each defined by its app's resources."""

from actions.resources import ACTION_LIST
from axes.resources import OBJECTIVE_LIST
from network.resources import PARTNER_LIST, STRUCTURE_LIST

LISTS = {kind.slug: kind for kind in [ACTION_LIST, OBJECTIVE_LIST, PARTNER_LIST, STRUCTURE_LIST]}
