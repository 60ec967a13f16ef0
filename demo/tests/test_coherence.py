"""The demo does not contradict itself: every figure the board's dashboard shows is recomputed
here from the demo's own rows (actions, participations, the structures' values), its dates fall
within the plan's period, its indicators sit in the impact dimension of their axis, and it says
it is demo data."""

import io
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Participation, Update
from axes.models import Axis, Plan
from board.dashboard import dashboard
from demo.period import plan_years
from indicators.coverage import expected_structures
from indicators.models import Indicator, Measurement, Target
from indicators.selectors import Track, is_on_track
from network.models import Structure

pytestmark = pytest.mark.django_db

# The dimension a reader of the « socle commun » would file each axis's figures under.
DIMENSIONS = {
    "Impact social": "richesses-produites",
    "Gouvernance": "gouvernance",
    "Fonction accueil": "cohesion-sociale",
}


@pytest.fixture
def plan():
    call_command("seed_demo", stdout=io.StringIO())
    return Plan.objects.current()


def _whole(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def test_every_dashboard_figure_is_recomputed_from_the_demo_rows(plan):
    data = dashboard(plan)
    first, last = plan_years(plan)
    today = timezone.localdate()
    actions = list(Action.objects.filter(axis__chapter__plan=plan))
    axes = list(Axis.objects.for_plan(plan))
    assert [axis.title for axis in axes] == list(DIMENSIONS)

    # Actions by status, per axis: the rows' own statuses.
    for block in data["blocks"]:
        own = Counter(action.status for action in actions if action.axis_id == block.axis.pk)
        assert block.status_counts == {status: own.get(status, 0) for status in Action.Status.values}
        # Whatever the weighting, an axis's progress lies between its counted actions' figures.
        counted = [
            100 if action.status == Action.Status.DONE else action.progress or 0
            for action in actions
            if action.axis_id == block.axis.pk and action.status in Action.COUNTED_STATUSES
        ]
        assert min(counted) <= block.axis.progress <= max(counted)

    lines = {line.indicator.code: line for line in data["indicator_lines"]}
    assert len(lines) == 3 * len(axes)
    inhabitants = {
        (structure_id, period): value
        for structure_id, period, value in Measurement.objects.validated()
        .filter(indicator__code="observatoire-habitants")
        .values_list("structure_id", "period", "value")
    }
    network_size = Structure.objects.exclude(kind=Structure.Kind.FEDERATION).count()
    reached_latest = set()
    for axis in axes:
        done, reached, engaged_share = (lines[f"demo-{axis.pk}-{n}"] for n in (1, 2, 3))
        own = [action for action in actions if action.axis_id == axis.pk]
        leads = sum(1 for action in own if action.status == Action.Status.LEAD)

        # « Actions menées »: for each past year of the period, the axis's actions in progress or
        # done that were running that year by their years.
        expected = {}
        for year in range(first, min(last, today.year - 1) + 1):
            running = [
                action
                for action in own
                if action.status in (Action.Status.IN_PROGRESS, Action.Status.DONE)
                and (action.start_year or year) <= year <= (action.end_year or year)
            ]
            expected[str(year)] = _whole(len(running))
        assert done.values == expected, axis.title
        assert done.targets == {period: value + leads for period, value in expected.items()}

        # « Habitants touchés par les structures engagées »: the sum of what the structures
        # taking part in the axis's actions reported to the observatory, year by year.
        engaged = set(
            Participation.objects.filter(action__axis=axis, status=Participation.Status.ACCEPTED).values_list(
                "structure_id", flat=True
            )
        )
        assert engaged, f"no structure takes part in {axis.title}"
        summed = defaultdict(Decimal)
        for (structure_id, period), value in inhabitants.items():
            if structure_id in engaged and first <= int(period) <= last:
                summed[period] += value
        assert reached.values == {period: _whole(value) for period, value in summed.items()}, axis.title
        # Its target: each engaged structure's first year plus 10 %, summed; each is then expected
        # to report it (indicators.coverage), so the figure covers all of them.
        firsts = {}
        for (structure_id, period), value in sorted(inhabitants.items()):
            if structure_id in engaged and first <= int(period) <= last:
                firsts.setdefault(structure_id, (period, value))
        assert reached.targets == {
            period: _whole(
                sum(
                    (value * Decimal("1.1")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                    for since, value in firsts.values()
                    if since <= period
                )
            )
            for period in reached.targets
        }
        assert min(reached.targets) == min(summed)
        expected = expected_structures([reached.indicator], {reached.indicator.pk: list(reached.values)})
        assert all(structures == engaged for structures in expected.values())
        reached_latest.add(reached.values[max(reached.values)])

        # « Part des structures engagées »: engaged structures over the network's.
        share = (Decimal(100 * len(engaged)) / network_size).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        assert list(engaged_share.values.values()) == [_whole(share)]

        for line in (done, reached, engaged_share):
            assert line.axis_ids == {axis.pk}
            assert line.indicator.dimension.code == DIMENSIONS[axis.title], line.indicator.name
            assert all(first <= int(period) <= last for period in [*line.values, *line.targets])
            # The track shown is the latest value against that year's target.
            period = max(line.values)
            target = line.targets[period]
            on_track = is_on_track(value=line.values[period], target=target, direction=line.indicator.direction)
            assert line.track.status == (Track.ON_TRACK if on_track else Track.OFF_TRACK)
            assert (line.track.period, line.track.value, line.track.target) == (period, line.values[period], target)

    # No two axes show the same number of inhabitants (each has its own structures).
    assert len(reached_latest) == len(axes)
    # The totals above the table count the lines' tracks.
    shown = Counter(line.track.status for line in lines.values())
    assert data["tracks_total"] == {status: shown.get(status, 0) for status in Track.LABELS}


def test_the_dashboard_page_shows_the_recomputed_figures_and_says_they_are_demo_data(client, plan):
    client.force_login(get_user_model().objects.get(username="conseil"))
    html = client.get(reverse("board:dashboard")).content.decode()
    for axis in Axis.objects.for_plan(plan):
        counts = Counter(Action.objects.filter(axis=axis).values_list("status", flat=True))
        assert (
            f"{counts['in_progress']} en cours · {counts['planned']} planifiée{'s' if counts['planned'] > 1 else ''}"
            in html
        )
    demo = Indicator.objects.filter(is_demo=True, code__startswith="demo-")
    assert html.count('<span class="badge text-bg-light">démo</span>') == demo.count() == 9


def test_demo_data_says_it_is_demo_data(plan):
    first, last = plan_years(plan)
    demo_values = Measurement.objects.filter(indicator__is_demo=True)
    assert demo_values.exists()
    # Every value the demo entered, the plan's indicators' and the structures' own, says so.
    demo_structures = Structure.objects.filter(name__contains="démonstration")
    assert demo_structures.count() == 2
    entered = Measurement.objects.filter(structure__in=demo_structures) | demo_values
    assert {value.source.split(" :")[0] for value in entered} == {"Démonstration"}
    assert all(first <= int(period) <= last for period in demo_values.values_list("period", flat=True))
    assert all(first <= int(t.period) <= last for t in Target.objects.filter(indicator__is_demo=True))
    journal = list(Update.objects.filter(action__axis__chapter__plan=plan))
    assert journal and all(entry.text.startswith("Démonstration : ") for entry in journal)
    assert all(first <= entry.date.year <= last and entry.date <= timezone.localdate() for entry in journal)
    assert Indicator.objects.filter(code__startswith="demo-", is_demo=False).count() == 0
