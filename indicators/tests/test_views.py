"""Indicator pages, the workflow through HTTP, evidence files, values imports."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import network_figures
from indicators.models import Measurement
from indicators.services import measurement_record, measurement_submit, measurement_validate, target_set
from network.tests.factories import StructureFactory

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return IndicatorFactory(name="Habitants bénévoles", unit="personnes")


# ---------------------------------------------------------------- indicator pages and workflow


def test_indicator_page_shows_network_values_against_targets_and_per_structure(
    client, board_user, staff_user, indicator
):
    structure = StructureFactory(name="Centre social Le Lien")
    target_set(user=staff_user, indicator=indicator, period="2024", value=Decimal(100))
    measurement = measurement_record(
        user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(90)
    )
    measurement_validate(user=staff_user, measurement=measurement)
    measurement_record(user=staff_user, indicator=indicator, period="2025", structure=structure, value=Decimal(5))
    client.force_login(board_user)
    response = client.get(indicator.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Centre social Le Lien" in html and "En bonne voie" in html
    assert "<svg" in html and "<details" in html and "Données du graphique" in html
    assert "Brouillon" not in html  # a structure's draft is not published to the board
    assert "Saisir une valeur" not in html  # the board enters nothing
    assert "Valider" not in html
    client.force_login(staff_user)
    assert "Brouillon" in client.get(indicator.get_absolute_url()).content.decode()  # staff see it, not counted


def test_director_enters_and_submits_a_value_for_their_structure(client, director_user, indicator):
    structure = director_user.structures.get()
    client.force_login(director_user)
    url = reverse("indicators:measurement_create", args=[indicator.pk])
    response = client.post(url, {"period": "2024", "structure": structure.pk, "value": "12", "submit": "1"})
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.status, measurement.structure, measurement.entered_by) == (
        "submitted",
        structure,
        director_user,
    )


def test_director_cannot_enter_a_value_for_another_structure(client, director_user, indicator):
    other = StructureFactory()
    client.force_login(director_user)
    response = client.post(
        reverse("indicators:measurement_create", args=[indicator.pk]),
        {"period": "2024", "structure": other.pk, "value": "1"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Measurement.objects.exists()


def test_director_cannot_validate_403_and_nothing_changes(client, director_user, indicator):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=director_user.structures.get(),
        value=Decimal(3),
    )
    measurement_submit(user=director_user, measurement=measurement)
    client.force_login(director_user)
    for name in ("indicators:measurement_validate", "indicators:measurement_return"):
        response = client.post(reverse(name, args=[measurement.pk]), {"comment": "non"})
        assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.status == "submitted"


def test_staff_validate_and_return_through_the_pages(client, staff_user, director_user, indicator):
    measurement = measurement_record(
        user=director_user,
        indicator=indicator,
        period="2024",
        structure=director_user.structures.get(),
        value=Decimal(3),
    )
    measurement_submit(user=director_user, measurement=measurement)
    client.force_login(staff_user)
    review = client.get(reverse("indicators:measurement_review"))
    assert "Habitants bénévoles" in review.content.decode()
    response = client.post(reverse("indicators:measurement_return", args=[measurement.pk]), {"comment": ""})
    measurement.refresh_from_db()
    assert measurement.status == "submitted"  # no reason given: refused with a message
    client.post(reverse("indicators:measurement_return", args=[measurement.pk]), {"comment": "Chiffre de 2023 ?"})
    measurement.refresh_from_db()
    assert (measurement.status, measurement.return_comment) == ("returned", "Chiffre de 2023 ?")
    measurement_submit(user=director_user, measurement=measurement)
    response = client.post(reverse("indicators:measurement_validate", args=[measurement.pk]))
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.status == "validated" and measurement.validated_by == staff_user


# ---------------------------------------------------------------- evidence files


def test_evidence_is_stored_under_media_root_and_served_only_to_logged_in_users(
    client, staff_user, board_user, indicator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_user)
    pdf = SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("indicators:measurement_create", args=[indicator.pk]), {"period": "2024", "value": "4", "evidence": pdf}
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (tmp_path / measurement.evidence.name).read_bytes() == b"%PDF-1.4 test"
    url = reverse("indicators:measurement_evidence", args=[measurement.pk])
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(f"/media/{measurement.evidence.name}").status_code in (302, 404)
    client.force_login(board_user)
    assert client.get(url).status_code == 403  # a draft is not published yet
    measurement_validate(user=staff_user, measurement=measurement)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("outil.exe", b"MZ...", "extension"),
        ("faux.pdf", b"<html>", "ne correspond pas"),
        ("gros.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "taille maximale"),
    ],
    ids=["extension", "content", "size"],
)
def test_evidence_of_the_wrong_type_or_size_is_refused(
    client, staff_user, indicator, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_user)
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("indicators:measurement_create", args=[indicator.pk]),
        {"period": "2024", "value": "4", "evidence": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


# ---------------------------------------------------------------- import through the pages


def test_import_preview_then_confirm(client, staff_user, indicator):
    structure = StructureFactory(name="EVS des Baronnies")
    client.force_login(staff_user)
    content = f"structure;indicateur;période;valeur\nEVS des Baronnies;{indicator.code};2024;8\n".encode()
    response = client.post(reverse("indicators:measurement_import"), {"file": SimpleUploadedFile("v.csv", content)})
    assert response.status_code == 200 and "1 valeur à créer" in response.content.decode()
    assert not Measurement.objects.exists()
    response = client.post(
        reverse("indicators:measurement_import_confirm"), {"fingerprint": response.context["fingerprint"]}
    )
    assert response.status_code == 302
    assert Measurement.objects.get().structure == structure


def test_import_with_errors_lists_them_and_offers_no_confirmation(client, staff_user, indicator):
    client.force_login(staff_user)
    content = f"structure;indicateur;période;valeur\nInconnue;{indicator.code};2024;8\n".encode()
    response = client.post(reverse("indicators:measurement_import"), {"file": SimpleUploadedFile("v.csv", content)})
    html = response.content.decode()
    assert "Aucune structure nommée « Inconnue »" in html
    assert reverse("indicators:measurement_import_confirm") not in html and "Confirmer l’import" not in html
    assert f'href="{reverse("indicators:measurement_import")}">Déposer un fichier corrigé</a>' in html


# ---------------------------------------------------------------- coverage of the network values


def network_values_in(html: str) -> list[str]:
    return [figure["text"] for figure in network_figures(html)]


def test_indicator_page_says_one_of_two_expected_structures_and_names_the_missing_one(
    client, board_user, staff_user, indicator
):
    reported, silent = StructureFactory(name="Centre social Le Lien"), StructureFactory(name="EVS La Source")
    for structure in (reported, silent):
        target_set(user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(10))
    measurement = measurement_record(
        user=staff_user, indicator=indicator, period="2024", structure=reported, value=Decimal(14)
    )
    measurement_validate(user=staff_user, measurement=measurement)
    client.force_login(board_user)

    html = client.get(indicator.get_absolute_url()).content.decode()

    # The latest value at the top, then the network's row for 2024.
    assert network_values_in(html) == [
        "14 personnes 1 structure sur 2 · 1 manquante · somme partielle",
        "14 1 structure sur 2 · 1 manquante · somme partielle",
    ]
    missing_link = f'href="{indicator.get_absolute_url()}?periode=2024#manquantes"'
    assert missing_link in html
    who = html[html.index('id="manquantes"') :]
    assert "EVS La Source" in who and "Centre social Le Lien" not in who.split("</ul>")[0]
    assert "la somme du réseau est partielle" in who


def test_indicator_page_labels_a_value_entered_for_the_network(client, board_user, staff_user, indicator):
    target_set(user=staff_user, indicator=indicator, period="2024", structure=StructureFactory(), value=Decimal(10))
    measurement = measurement_record(user=staff_user, indicator=indicator, period="2024", value=Decimal(120))
    measurement_validate(user=staff_user, measurement=measurement)
    client.force_login(board_user)

    html = client.get(indicator.get_absolute_url()).content.decode()

    assert network_values_in(html) == ["120 personnes saisie pour le réseau", "120 saisie pour le réseau"]
    assert "somme partielle" not in html and "#manquantes" not in html


def test_indicator_page_lists_who_is_missing_for_the_period_asked(client, staff_user, indicator):
    early, late = StructureFactory(name="Centre A"), StructureFactory(name="Centre B")
    for period, structure in [("2023", early), ("2024", late)]:
        target_set(user=staff_user, indicator=indicator, period=period, structure=structure, value=Decimal(1))
    submitted = measurement_record(
        user=staff_user, indicator=indicator, period="2023", structure=early, value=Decimal(1)
    )
    measurement_submit(user=staff_user, measurement=submitted)
    client.force_login(staff_user)

    html = client.get(f"{indicator.get_absolute_url()}?periode=2023").content.decode()

    who = html[html.index('id="manquantes"') :].split("</ul>")[0]
    assert "Qui manque dans la valeur de 2023" in who
    assert "Centre A" in who and "transmise, à valider" in who and "Centre B" not in who


def test_indicator_list_gives_the_coverage_of_each_latest_value(client, board_user, staff_user, indicator):
    a, b, c = StructureFactory.create_batch(3)
    for structure in (a, b, c):
        target_set(user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(10))
    for structure in (a, b):
        measurement = measurement_record(
            user=staff_user, indicator=indicator, period="2024", structure=structure, value=Decimal(5)
        )
        measurement_validate(user=staff_user, measurement=measurement)
    client.force_login(board_user)

    html = client.get(reverse("indicators:indicator_list")).content.decode()

    assert network_values_in(html) == ["10 personnes (2024) 2 structures sur 3 · 1 manquante · somme partielle"]
