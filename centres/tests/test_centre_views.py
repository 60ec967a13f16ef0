"""« Mon centre » and value entry: two directors of two structures try each other's objects."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.tests.factories import ActionFactory
from centres.reporting import due_period
from conftest import network_figures
from indicators.models import Indicator, Measurement
from indicators.services import measurement_record, measurement_return, measurement_validate
from indicators.tests.factories import IndicatorFactory, MeasurementFactory
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db
DUE = due_period(Indicator.Frequency.YEARLY)  # the year « Mon centre » asks for


@pytest.fixture
def centres(db):
    a, b = StructureFactory(name="Centre Alpha"), StructureFactory(name="Centre Bêta")
    action = ActionFactory(title="Ateliers numériques")
    action.structures.add(a, b)
    indicator = IndicatorFactory(name="Personnes accompagnées", actions=[action])
    return {
        "a": a,
        "b": b,
        "director_a": director_for(a, username="dir-a"),
        "director_b": director_for(b, username="dir-b"),
        "action": action,
        "indicator": indicator,
    }


def test_director_lands_on_their_centre(client, centres):
    client.force_login(centres["director_a"])
    response = client.get(reverse("centres:centre_home"))
    assert response.status_code == 302
    assert response.url == reverse("centres:centre_detail", args=[centres["a"].pk])
    page = client.get(response.url).content.decode()
    assert "Centre Alpha" in page and "Ateliers numériques" in page and "Personnes accompagnées" in page


def test_all_our_values_are_paged_newest_first(client, centres):
    from centres.views.centre import VALUES_PER_PAGE

    years = [str(2000 + n) for n in range(VALUES_PER_PAGE + 2)]
    for year in years:
        MeasurementFactory(indicator=centres["indicator"], structure=centres["a"], period=year)
    client.force_login(centres["director_a"])
    url = reverse("centres:centre_detail", args=[centres["a"].pk])
    first = client.get(url)
    assert [m.period for m in first.context["measurements"]] == sorted(years, reverse=True)[:VALUES_PER_PAGE]
    assert f"{VALUES_PER_PAGE + 2} valeurs, les plus récentes d’abord" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [m.period for m in second.context["measurements"]] == ["2001", "2000"]
    assert "Personnes accompagnées" in second.content.decode()  # the obligations stay on every page


def test_director_never_sees_another_structures_values(client, centres):
    MeasurementFactory(
        indicator=centres["indicator"],
        structure=centres["b"],
        period="2019",
        value=None,
        text="secret-beta",
    )
    MeasurementFactory(
        indicator=centres["indicator"],
        structure=centres["a"],
        period="2019",
        value=None,
        text="chiffre-alpha",
    )
    client.force_login(centres["director_a"])
    response = client.get(reverse("centres:centre_detail", args=[centres["b"].pk]))
    assert response.status_code == 403
    own = client.get(reverse("centres:centre_detail", args=[centres["a"].pk])).content.decode()
    assert "chiffre-alpha" in own and "secret-beta" not in own


def test_director_enters_and_submits_a_value_for_their_own_structure(client, centres):
    client.force_login(centres["director_a"])
    url = reverse(
        "centres:measurement_edit",
        args=[centres["a"].pk, centres["indicator"].pk, "2024"],
    )
    response = client.post(url, {"value": "1 212", "text": "", "comment": "Ateliers du mardi", "draft": ""})
    assert response.status_code == 302
    measurement = Measurement.objects.get(structure=centres["a"], indicator=centres["indicator"], period="2024")
    assert measurement.status == Measurement.Status.DRAFT and str(measurement.value) == "1212.00"
    assert measurement.entered_by == centres["director_a"]

    response = client.post(reverse("centres:measurement_submit", args=[measurement.pk]))
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.SUBMITTED


def test_entering_a_value_for_another_structure_is_refused_and_changes_nothing(client, centres):
    theirs = MeasurementFactory(indicator=centres["indicator"], structure=centres["b"], period="2024", value=7)
    client.force_login(centres["director_a"])
    url = reverse(
        "centres:measurement_edit",
        args=[centres["b"].pk, centres["indicator"].pk, "2024"],
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {"value": "999", "submit": ""}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.value == 7 and theirs.status == Measurement.Status.DRAFT and theirs.entered_by is None


def test_submitting_another_structures_value_is_refused(client, centres):
    theirs = MeasurementFactory(indicator=centres["indicator"], structure=centres["b"], period="2024")
    client.force_login(centres["director_a"])
    assert client.post(reverse("centres:measurement_submit", args=[theirs.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Measurement.Status.DRAFT


def test_network_values_cannot_be_submitted_from_mon_centre(client, centres):
    network = MeasurementFactory(indicator=centres["indicator"], structure=None, period="2024")
    client.force_login(centres["director_a"])
    assert client.post(reverse("centres:measurement_submit", args=[network.pk])).status_code == 403
    network.refresh_from_db()
    assert network.status == Measurement.Status.DRAFT


def test_director_sees_why_a_value_was_returned(client, centres, staff_user):
    measurement = measurement_record(
        user=centres["director_a"],
        indicator=centres["indicator"],
        period=DUE,
        structure=centres["a"],
        value=3,
    )
    measurement.status = Measurement.Status.SUBMITTED
    measurement.save()
    measurement_return(
        user=staff_user,
        measurement=measurement,
        comment="Chiffre <b>incomplet</b> : ajoutez mars",
    )
    client.force_login(centres["director_a"])
    page = client.get(reverse("centres:centre_detail", args=[centres["a"].pk])).content.decode()
    assert "Chiffre &lt;b&gt;incomplet&lt;/b&gt; : ajoutez mars" in page
    form = client.get(
        reverse(
            "centres:measurement_edit",
            args=[centres["a"].pk, centres["indicator"].pk, DUE],
        )
    ).content.decode()
    assert "ajoutez mars" in form


def test_a_validated_value_cannot_be_changed_by_its_director(client, centres):
    validated = MeasurementFactory(
        indicator=centres["indicator"],
        structure=centres["a"],
        period="2024",
        value=5,
        status=Measurement.Status.VALIDATED,
        validated_at="2025-01-02T10:00:00Z",
    )
    client.force_login(centres["director_a"])
    url = reverse(
        "centres:measurement_edit",
        args=[centres["a"].pk, centres["indicator"].pk, "2024"],
    )
    response = client.post(url, {"value": "6", "draft": ""})
    assert response.status_code == 200
    assert "déjà validée" in response.content.decode()
    validated.refresh_from_db()
    assert validated.value == 5 and validated.status == Measurement.Status.VALIDATED


def test_empty_entry_gets_a_french_message(client, centres):
    client.force_login(centres["director_a"])
    url = reverse(
        "centres:measurement_edit",
        args=[centres["a"].pk, centres["indicator"].pk, "2024"],
    )
    response = client.post(url, {"value": "", "text": "", "draft": ""})
    assert response.status_code == 200
    assert "Indiquez une valeur chiffrée ou une valeur qualitative." in response.content.decode()
    assert not Measurement.objects.exists()


def test_invalid_period_is_not_found(client, centres):
    client.force_login(centres["director_a"])
    url = reverse(
        "centres:measurement_edit",
        args=[centres["a"].pk, centres["indicator"].pk, "2024-X9"],
    )
    assert client.get(url).status_code == 404


def test_board_member_has_no_centre(client, board_user, centres):
    client.force_login(board_user)
    assert client.get(reverse("centres:centre_home")).status_code == 403
    assert client.get(reverse("centres:centre_detail", args=[centres["a"].pk])).status_code == 403


@pytest.mark.parametrize("size", [2, 12])
def test_centre_page_query_count_does_not_grow(client, centres, size, django_assert_max_num_queries):
    for n in range(size):
        action = ActionFactory()
        action.structures.add(centres["a"])
        indicator = IndicatorFactory(actions=[action])
        MeasurementFactory(indicator=indicator, structure=centres["a"], period="2024")
        MeasurementFactory(indicator=indicator, structure=centres["a"], period=str(2010 + n))
    client.force_login(centres["director_a"])
    # The actions involved read in two indexed queries; where their figures come from, in two;
    # the values beside the network's median (with its coverage) and the year before, in seven;
    # the indicators' actions, once for the obligations and once for the coverage.
    with django_assert_max_num_queries(33):  # the menu's unread notifications included
        response = client.get(reverse("centres:centre_detail", args=[centres["a"].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_reporting_rate_page_lists_late_structures(client, staff_user, centres, size, django_assert_max_num_queries):
    for _ in range(size):
        structure = StructureFactory()
        centres["action"].structures.add(structure)
        IndicatorFactory(actions=[centres["action"]])
    MeasurementFactory(
        indicator=centres["indicator"],
        structure=centres["a"],
        period="2024",
        status=Measurement.Status.SUBMITTED,
    )
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("centres:reporting_rate"), {"periode": "2024"})
    assert response.status_code == 200
    [report] = [r for r in response.context["reports"] if r.indicator == centres["indicator"]]
    assert report.submitted_count == 1 and report.expected_count == size + 2
    assert centres["b"].pk in [s.pk for s in report.late_names]
    assert "Centre Bêta" in response.content.decode()


def test_reporting_rate_refuses_a_bad_period_in_french(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("centres:reporting_rate"), {"periode": "hier"})
    assert "Période invalide" in response.content.decode()


def test_reporting_rate_is_for_staff(client, centres):
    client.force_login(centres["director_a"])
    assert client.get(reverse("centres:reporting_rate")).status_code == 403


def test_mon_centre_lists_the_actions_its_structure_is_designated_for_offered_or_accepted_in(
    client, centres, staff_user
):
    from django.utils import timezone

    from actions.models import Action
    from centres.services import participation_decide, participation_propose

    structure, director = centres["a"], centres["director_a"]
    titles = ["Proposée", "Acceptée", "Déclinée", "Supprimée"]
    actions = {title: ActionFactory(title=title, status=Action.Status.IN_PROGRESS) for title in titles}
    for title in ["Proposée", "Acceptée", "Déclinée"]:
        participation = participation_propose(
            user=director, action=actions[title], structure=structure, contribution="Notre part"
        )
        if title != "Proposée":
            participation_decide(user=staff_user, participation=participation, accept=title == "Acceptée", note="Merci")
    actions["Supprimée"].structures.add(structure)
    Action.all_objects.filter(pk=actions["Supprimée"].pk).update(deleted_at=timezone.now())  # in the trash
    client.force_login(director)
    listed = client.get(reverse("centres:centre_detail", args=[structure.pk])).context["actions"]
    assert sorted(action.title for action in listed) == ["Acceptée", "Ateliers numériques", "Proposée"]


def test_mon_centre_shows_each_value_beside_the_network_median_and_its_own_previous_year(client, centres, staff_user):
    indicator, a = centres["indicator"], centres["a"]
    others = StructureFactory.create_batch(3)
    centres["action"].structures.add(*others)  # five structures expected in all
    for structure, value in zip([a, *others], (10, 30, 50, 1000), strict=True):
        measurement = measurement_record(
            user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(value)
        )
        measurement_validate(user=staff_user, measurement=measurement)
    measurement_record(user=staff_user, indicator=indicator, period="2023", structure=a, value=Decimal(8))
    client.force_login(centres["director_a"])

    response = client.get(reverse("centres:centre_detail", args=[a.pk]))

    [row] = [m for m in response.context["measurements"] if m.period == "2024"]
    assert row.median == (Decimal(40), 4)  # (30 + 50) / 2: the middle of 10, 30, 50, 1000
    assert (row.previous.period, row.previous.value) == ("2023", Decimal(8))
    html = response.content.decode()
    # A median is no sum: its coverage says how many structures, never « somme partielle ».
    assert {"text": "40 4 structures sur 5 · 1 manquante", "coverage": "4 structures sur 5 · 1 manquante"} in (
        network_figures(html)
    )
    assert '8 <span class="small text-body-secondary">(2023, brouillon)</span>' in html
