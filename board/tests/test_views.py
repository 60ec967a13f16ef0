"""The board's pages: the dashboard and the report, their figures and their query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from board.dashboard import dashboard
from board.pdf import report_html
from conftest import network_figures
from indicators.models import ImpactDimension, Indicator, Measurement
from indicators.observatory import observatory_indicators_ensure
from indicators.selectors import network_values
from indicators.services import measurement_record, measurement_validate
from indicators.tests.factories import AXIS_TITLES, build_plan
from network.models import Structure
from network.tests.factories import StructureFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the dashboard


def test_dashboard_shows_each_axis_with_charts_and_data_tables(client, board_user, staff_user):
    plan = build_plan(2, staff_user)
    client.force_login(board_user)
    response = client.get(reverse("board:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    for title in AXIS_TITLES:
        assert title.replace("’", "&#x27;").replace("&", "&amp;") in html or title in html
    assert html.count('role="img"') == 4
    assert html.count("<details") >= 4
    assert "Point d&#x27;étape" in html  # the journal
    # Two structures × 45 = 90 against a target of 100: within 15 %, on track.
    assert dashboard(plan)["tracks_total"]["on_track"] == 3 * 2
    assert 'style="' not in html and "<script>" not in html


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_query_count_does_not_grow_with_the_plan(
    client, board_user, staff_user, django_assert_max_num_queries, size
):
    build_plan(size, staff_user)
    client.force_login(board_user)
    # Cold (the cache is empty in each test): every indicator's network values, their coverage,
    # change from the year before and breakdown take about twenty of them, whatever the size.
    # One more for the followed indicators' section, kept apart: it reads the indicators again;
    # one for the plan, read again by the page's computation (board.pages: the task worker
    # computes it from the plan's id).
    with django_assert_max_num_queries(38):  # the menu's unread notifications, the indicators' actions included
        response = client.get(reverse("board:dashboard"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_indicator_list_and_report_query_counts_do_not_grow(
    client, board_user, staff_user, django_assert_max_num_queries, size
):
    build_plan(size, staff_user)
    client.force_login(board_user)
    with django_assert_max_num_queries(20):  # the menu's unread notifications, the indicators' actions included
        assert client.get(reverse("indicators:indicator_list")).status_code == 200
    # The report reads the dashboard's figures (its network values kept from the list above),
    # and the plan again (board.pages).
    with django_assert_max_num_queries(30):  # the indicators' actions in one; the followed section's indicators
        assert client.get(reverse("board:report")).status_code == 200


# ---------------------------------------------------------------- every network figure, with its coverage


@pytest.fixture
def network(staff_user):
    """The plan of `build_plan` (its two structures report each plan indicator), and the
    observatory's « habitants touchés », attached to no objective, reported by three centres of
    two départements in 2023 and 2024."""
    plan = build_plan(1, staff_user)
    drome, ardeche = TerritoryFactory(name="Drôme"), TerritoryFactory(name="Ardèche")
    valence = TerritoryFactory(name="Bassin de Valence", parent=drome)
    centre_a = StructureFactory(name="Centre social A", kind=Structure.Kind.CENTRE_SOCIAL, territory=valence)
    centre_b = StructureFactory(name="Centre social B", kind=Structure.Kind.CENTRE_SOCIAL, territory=ardeche)
    evs = StructureFactory(name="EVS C", kind=Structure.Kind.EVS, territory=drome)
    habitants = observatory_indicators_ensure()[0]  # the others (bénévoles, budget…) are resources
    habitants.dimension = ImpactDimension.objects.get(code="cohesion-sociale")
    habitants.save()
    for period, values in [("2023", (100, 100, 50)), ("2024", (120, 110, 50))]:
        for structure, value in zip((centre_a, centre_b, evs), values, strict=True):
            measurement = measurement_record(
                user=staff_user, indicator=habitants, period=period, structure=structure, value=Decimal(value)
            )
            measurement_validate(user=staff_user, measurement=measurement)
    return {"plan": plan, "habitants": habitants}


def _line(context, indicator):
    return next(
        line
        for stage in context["followed"]
        for group in stage.dimensions
        for line in group.lines
        if line.indicator == indicator
    )


def test_dashboard_shows_an_observatory_figure_not_attached_to_the_plan_with_its_coverage(client, board_user, network):
    client.force_login(board_user)
    response = client.get(reverse("board:dashboard"))
    html = response.content.decode()

    habitants = network["habitants"]
    assert not habitants.objectives.exists() and not habitants.actions.exists()
    # Expected: every centre social and EVS, the plan's two structures included; 3 reported.
    figure = next(f for f in network_figures(html) if f["text"].startswith("280 personnes"))
    assert figure["coverage"] == "3 structures sur 5 · 2 manquantes · somme partielle"
    assert f'href="{habitants.get_absolute_url()}?periode=2024#manquantes"' in html


def test_dashboard_groups_every_indicator_by_stage_then_dimension(client, board_user, network):
    client.force_login(board_user)
    assert client.get(reverse("board:dashboard")).status_code == 200
    context = dashboard(network["plan"])

    stages = {stage.label: stage for stage in context["followed"]}
    # In the list's order; the plan's indicators of build_plan have no stage nor dimension.
    assert list(stages) == ["Ressources", "Réalisations", "Étape de la chaîne de valeur non renseignée"]
    assert [
        (group.label, [line.indicator.name for line in group.lines]) for group in stages["Réalisations"].dimensions
    ] == [("Cohésion sociale", ["Habitants touchés"])]
    assert [
        (group.label, [line.indicator.name for line in group.lines]) for group in stages["Ressources"].dimensions
    ] == [
        (
            "Dimension d’impact non renseignée",
            ["Bénévoles", "Budget annuel", "Partenaires", "Salariés (équivalents temps plein)"],
        )
    ]
    shown = {line.indicator.pk for stage in context["followed"] for group in stage.dimensions for line in group.lines}
    assert shown == set(Indicator.objects.values_list("pk", flat=True))  # every one, the plan's and the others


def test_dashboard_gives_the_change_from_the_year_before_computed_from_the_values(client, board_user, network):
    client.force_login(board_user)
    response = client.get(reverse("board:dashboard"))
    html = response.content.decode()

    # 100 + 100 + 50 = 250 in 2023, 120 + 110 + 50 = 280 in 2024, the same three structures.
    context = dashboard(network["plan"])
    assert _line(context, network["habitants"]).change.label == "+12\u202f% par rapport à 2023"
    assert "+12\u202f% par rapport à 2023" in html
    plan_indicator = context["indicator_lines"][0].indicator  # valued in 2024 only
    assert "évolution non calculée : pas de valeur validée du réseau pour 2023" in html
    assert _line(context, plan_indicator).change.percent is None


def test_dashboard_breaks_a_figure_down_by_type_of_structure_and_territory(client, board_user, network):
    client.force_login(board_user)
    response = client.get(reverse("board:dashboard"))

    parts = _line(dashboard(network["plan"]), network["habitants"]).breakdown
    assert [(s.label, s.value, s.coverage.label) for s in parts.by_kind] == [
        ("Centre social", Decimal(230), "2 structures sur 4"),  # the plan's two report nothing here
        ("Espace de vie sociale", Decimal(50), "1 structure sur 1"),
    ]
    by_territory = {s.label: (s.value, s.coverage.label) for s in parts.by_territory}
    assert by_territory["Drôme"] == (Decimal(170), "2 structures sur 2")  # a bassin counts in its département
    assert by_territory["Ardèche"] == (Decimal(110), "1 structure sur 1")
    html = response.content.decode()
    details = html[html.index("Par territoire et par type de structure (2024)") :].split("</details>")[0]
    assert "Espace de vie sociale" in details and "Drôme" in details


def test_crawl_every_network_figure_of_the_boards_pages_carries_its_coverage(client, board_user, network):
    """The dashboard, the report (page and the PDF's HTML), the indicator list and every
    indicator page linked from the dashboard: each element showing a network value
    (`data-network-value`) has its coverage beside it."""
    client.force_login(board_user)
    dashboard = client.get(reverse("board:dashboard")).content.decode()
    indicator_pages = sorted(set(re.findall(r'href="(/indicateurs/\d+/)[?"]', dashboard)))
    assert len(indicator_pages) == Indicator.objects.count()
    pages = {url: client.get(url).content.decode() for url in indicator_pages}
    pages[reverse("board:dashboard")] = dashboard
    pages[reverse("board:report")] = client.get(reverse("board:report")).content.decode()
    pages[reverse("indicators:indicator_list")] = client.get(reverse("indicators:indicator_list")).content.decode()
    pages["PDF"] = report_html(network["plan"])

    valued = set(Measurement.objects.validated().values_list("indicator_id", flat=True))
    total = 0
    for url, html in pages.items():
        figures = network_figures(html)
        pk = re.match(r"/indicateurs/(\d+)/", url)
        assert bool(figures) == (int(pk[1]) in valued if pk else True), f"{url}: {len(figures)} figures marked"
        for figure in figures:
            assert figure["coverage"], f"{url}: « {figure['text']} » says nothing of what it covers"
            assert re.search(r"structures? sur \d+|saisie pour le réseau|aucune", figure["coverage"]), figure
        total += len(figures)
        if pk and figures:
            # None left unmarked: the latest value at the top, then one per period with a value.
            assert len(figures) == 1 + len(network_values([int(pk[1])])[int(pk[1])]), url
    for url in (reverse("board:dashboard"), reverse("board:report")):
        assert "somme partielle" in pages[url]
    assert total > 20
    assert "#manquantes" not in pages["PDF"]  # no link on paper
