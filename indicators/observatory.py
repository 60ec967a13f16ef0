"""The yearly figures every centre already reports to the national observatory of centres
sociaux (SENACS): inhabitants reached, volunteers, staff, budget, partners.

Each figure is a per-structure indicator with a fixed code (`observatoire-…`), reported
once a year by every centre social and EVS (see `centres.reporting`).
"""

from dataclasses import dataclass

from django.db import transaction

from .models import Indicator, ValueChainStage

PREFIX = "observatoire-"


@dataclass(frozen=True)
class Figure:
    code: str
    column: str  # the column of the observatory's yearly spreadsheet
    name: str
    unit: str
    stage: str = ""  # its value-chain stage (code): what a centre has, or what it reaches


FIGURES = [
    Figure(f"{PREFIX}habitants", "habitants", "Habitants touchés", "personnes", "realisations"),
    Figure(f"{PREFIX}benevoles", "bénévoles", "Bénévoles", "personnes", "ressources"),
    Figure(f"{PREFIX}salaries", "salariés", "Salariés (équivalents temps plein)", "ETP", "ressources"),
    Figure(f"{PREFIX}budget", "budget", "Budget annuel", "€", "ressources"),
    Figure(f"{PREFIX}partenaires", "partenaires", "Partenaires", "partenaires", "ressources"),
]


def is_observatory(indicator: Indicator) -> bool:
    return indicator.code.startswith(PREFIX)


@transaction.atomic
def observatory_indicators_ensure() -> list[Indicator]:
    """Create the observatory's indicators that do not exist yet, each in its value-chain stage
    (when the list still has it: staff may edit it); leave existing ones as they are."""
    stages = dict(ValueChainStage.objects.values_list("code", "pk"))
    indicators = []
    for figure in FIGURES:
        indicator, _ = Indicator.objects.get_or_create(
            code=figure.code,
            defaults={
                "name": figure.name,
                "unit": figure.unit,
                "frequency": Indicator.Frequency.YEARLY,
                "aggregation": Indicator.Aggregation.SUM,
                "source": "Observatoire national des centres sociaux (SENACS)",
                "stage_id": stages.get(figure.stage),
            },
        )
        indicators.append(indicator)
    return indicators
