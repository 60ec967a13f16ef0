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
