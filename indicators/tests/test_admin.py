"""The admin's edits go through the same version check as the application's (issue 14)."""

import pytest
from django.urls import reverse

from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_an_admin_edit_from_an_older_version_is_refused(client, superuser):
    indicator = Indicator.objects.create(code="admin-version", name="Avant")
    client.force_login(superuser)
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    form = {
        "code": "admin-version",
        "name": "Version de l'admin",
        "direction": "up",
        "aggregation": "sum",
        "frequency": "yearly",
        "expected_version": 1,
        "targets-TOTAL_FORMS": 0,
        "targets-INITIAL_FORMS": 0,
    }
    Indicator.objects.filter(pk=indicator.pk).update(name="Changé ailleurs", version=2)
    response = client.post(url, form)
    assert response.status_code == 200 and "pendant que vous le modifiiez" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "Changé ailleurs"
    response = client.post(url, {**form, "expected_version": 2})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.version) == ("Version de l'admin", 3)


def test_the_admin_cannot_delete_an_indicator_that_holds_values_only_archive_it(client, superuser, staff_user):
    from decimal import Decimal

    from indicators.services import measurement_record

    kept = Indicator.objects.create(code="avec-valeurs", name="Avec valeurs")
    measurement_record(user=staff_user, indicator=kept, period="2024", value=Decimal(3))
    empty = Indicator.objects.create(code="vide", name="Créé par erreur")
    client.force_login(superuser)
    assert client.get(reverse("admin:indicators_indicator_delete", args=[kept.pk])).status_code == 403
    assert client.post(reverse("admin:indicators_indicator_delete", args=[kept.pk]), {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=kept.pk).exists() and kept.measurements.count() == 1
    changelist = client.get(reverse("admin:indicators_indicator_changelist")).content.decode()
    assert "delete_selected" not in changelist
    response = client.post(reverse("admin:indicators_indicator_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Indicator.objects.filter(pk=empty.pk).exists()
