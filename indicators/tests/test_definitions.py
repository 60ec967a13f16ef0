"""Indicators' definitions for staff (issue 14): every field, the version check, archiving,
the targets grid with a paste from a spreadsheet, the classification lists."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.definitions import NETWORK_COLUMN, read_target_paste
from indicators.models import ImpactDimension, Indicator, Target, ValueChainStage
from network.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def definition(**overrides):
    stage = ValueChainStage.objects.order_by("order").first()
    dimension = ImpactDimension.objects.order_by("order").first()
    return {
        "code": "habitants-touches",
        "name": "Habitants touchés",
        "description": "Personnes venues au moins une fois.",
        "unit": "personnes",
        "direction": "up",
        "baseline": "1 200",
        "baseline_period": "2024",
        "aggregation": "sum",
        "frequency": "yearly",
        "source": "Observatoire national",
        "stage": stage.pk,
        "dimension": dimension.pk,
        **overrides,
    }


def test_staff_create_an_indicator_with_every_field(client, staff_user, seeded_plan):
    from axes.models import Objective

    objective = Objective.objects.filter(axis__chapter__plan=seeded_plan).first()
    client.force_login(staff_user)
    response = client.post(reverse("indicators:indicator_create"), definition(objectives=[objective.pk]))
    indicator = Indicator.objects.get(code="habitants-touches")
    assert response.status_code == 302 and response["Location"] == reverse(
        "indicators:target_grid", args=[indicator.pk]
    )
    assert indicator.baseline == Decimal("1200") and indicator.source == "Observatoire national"
    assert indicator.stage and indicator.dimension and list(indicator.objectives.all()) == [objective]
    assert indicator.history.first().history_user == staff_user


def test_an_edit_started_before_another_is_refused_and_kept(client, staff_user):
    indicator = Indicator.objects.create(code="benevoles", name="Bénévoles", unit="personnes")
    client.force_login(staff_user)
    url = reverse("indicators:indicator_edit", args=[indicator.pk])
    first = client.post(url, definition(code="benevoles", name="Bénévoles actifs", version=1))
    assert first.status_code == 302
    late = client.post(url, definition(code="benevoles", name="Bénévoles réguliers", version=1))
    page = late.content.decode()
    assert late.status_code == 200 and "pendant que vous le modifiiez" in page and "Bénévoles réguliers" in page
    indicator.refresh_from_db()
    assert indicator.name == "Bénévoles actifs" and indicator.version == 2


def test_archived_indicators_leave_the_list_and_come_back(client, staff_user):
    indicator = Indicator.objects.create(code="ancien", name="Ancien indicateur")
    client.force_login(staff_user)
    client.post(reverse("indicators:indicator_archive", args=[indicator.pk]), {"archived": "1"})
    indicator.refresh_from_db()
    assert indicator.archived_at is not None
    assert "Ancien indicateur" not in client.get(reverse("indicators:indicator_list")).content.decode()
    assert "Ancien indicateur" in client.get(reverse("indicators:indicator_list"), {"archives": "1"}).content.decode()
    client.post(reverse("indicators:indicator_archive", args=[indicator.pk]), {"archived": "0"})
    indicator.refresh_from_db()
    assert indicator.archived_at is None


def test_a_pasted_table_is_read_with_french_numbers_and_named_columns():
    crest = StructureFactory(name="Centre social de Crest")
    die = StructureFactory(name="EVS de Die")
    text = "Période\tRéseau\tcentre social de crest\tEVS de Die\tInconnue\r\n2026\t1 200,5\t300\t\t9\r\nbientôt\t1\r\n2027\t1 500\t350\t40\n"
    periods, cells, errors = read_target_paste(text, [crest, die])
    assert periods == ["2026", "2027"]
    assert cells[("2026", NETWORK_COLUMN)] == "1 200,5" and cells[("2027", crest.pk)] == "350"
    assert cells[("2026", die.pk)] == "" and cells[("2027", die.pk)] == "40"
    assert any("Inconnue" in error for error in errors) and any("Ligne 3" in error for error in errors)


def test_the_grid_saves_every_cell_or_none_and_a_paste_fills_it(client, staff_user):
    indicator = Indicator.objects.create(code="partenaires", name="Partenaires", unit="partenaires")
    crest = StructureFactory(name="Centre social de Crest")
    Target.objects.create(indicator=indicator, period="2025", value=5, structure=crest)
    client.force_login(staff_user)
    url = reverse("indicators:target_grid", args=[indicator.pk])
    pasted = client.post(
        url, {"action": "coller", "paste": "Période\tRéseau\tCentre social de Crest\n2026\t1 200\t12\n"}
    ).content.decode()
    assert 'value="1 200"' in pasted and Target.objects.count() == 1  # filled, not saved
    wrong = client.post(
        url,
        {
            "action": "enregistrer",
            f"c|2026|{NETWORK_COLUMN}": "1 200",
            f"c|2026|{crest.pk}": "12,5",
            f"c|2025|{crest.pk}": "5",
        },
    )
    assert wrong.status_code == 200 and "se compte en entier" in wrong.content.decode()
    assert 'value="1 200"' in wrong.content.decode() and Target.objects.count() == 1
    saved = client.post(
        url,
        {
            "action": "enregistrer",
            f"c|2026|{NETWORK_COLUMN}": "1 200",
            f"c|2026|{crest.pk}": "12",
            f"c|2025|{crest.pk}": "",
        },
    )
    assert saved.status_code == 302
    targets = {(t.period, t.structure_id): t.value for t in Target.objects.all()}
    assert targets == {("2026", None): Decimal("1200"), ("2026", crest.pk): Decimal("12")}


def test_staff_edit_the_classification_lists(client, staff_user, director_user):
    url = reverse("indicators:classification_list", args=["dimensions-d-impact"])
    entries = list(ImpactDimension.objects.order_by("order", "pk"))
    data = {"form-TOTAL_FORMS": len(entries) + 1, "form-INITIAL_FORMS": len(entries)}
    for index, entry in enumerate(entries):
        data |= {f"form-{index}-id": entry.pk, f"form-{index}-order": entry.order, f"form-{index}-code": entry.code}
        data |= {f"form-{index}-name": entry.name, f"form-{index}-description": entry.description}
    new = len(entries)
    data |= {f"form-{new}-order": 9, f"form-{new}-code": "numerique", f"form-{new}-name": "Inclusion numérique"}
    client.force_login(director_user)
    assert client.post(url, data).status_code == 403
    client.force_login(staff_user)
    assert client.post(url, data).status_code == 302
    assert ImpactDimension.objects.get(code="numerique").name == "Inclusion numérique"


@pytest.mark.parametrize("value", ["²", "٣", "1²"])
def test_a_forged_action_id_gets_a_form_error_not_a_server_error(client, staff_user, value):
    """« ² » is a digit for str.isdigit() but no number for int(): the form answered 500 (found by
    the form fuzzer on PostgreSQL)."""
    client.force_login(staff_user)
    response = client.post(reverse("indicators:indicator_create"), {"code": "forge", "name": "Forgé", "action": value})
    assert response.status_code == 200
    assert not Indicator.objects.filter(code="forge").exists()
