"""The read-only API (issue 17): who reads what, tokens, HTTP caching, throttling, filters."""

import pytest
from django.test import Client
from django.urls import reverse

from axes.models import Axis
from publication.api import auth
from publication.tests.conftest import UNPUBLISHED

pytestmark = pytest.mark.django_db


def get(path, key=None, **headers):
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return Client().get(path, **headers)


def test_anonymous_reads_the_published_axes_a_partner_every_axis(public_world):
    url = reverse("publication:api_axis-list")
    anonymous = get(url).json()
    assert [axis["id"] for axis in anonymous["results"]] == [public_world["axis"].pk]
    partner = get(url, public_world["key"]).json()
    assert partner["count"] == Axis.objects.filter(chapter__plan=public_world["plan"]).count()
    assert UNPUBLISHED["axis"] in str(partner)
    hidden = reverse("publication:api_axis-detail", args=[public_world["hidden_axis"].pk])
    assert get(hidden).status_code == 404
    assert get(hidden, public_world["key"]).status_code == 200


def test_unknown_or_revoked_tokens_are_refused(public_world):
    url = reverse("publication:api_plan-list")
    assert get(url, "pas-un-jeton").status_code == 401
    token = public_world["token"]
    token.revoked_at = token.created_at
    token.save()
    response = get(url, public_world["key"])
    assert response.status_code == 401
    assert response.json()["detail"] == "Jeton inconnu ou révoqué."


def test_the_api_only_reads(public_world):
    url = reverse("publication:api_action-list")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(Client(), method)(url, HTTP_AUTHORIZATION=f"Bearer {public_world['key']}")
        assert response.status_code == 405, method


def test_etag_last_modified_and_vary(public_world):
    url = reverse("publication:api_value-list")
    response = get(url)
    assert response["ETag"] and response["Last-Modified"]
    assert "Authorization" in response["Vary"]
    assert get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # A partner's answer is another one: its ETag differs.
    assert get(url, public_world["key"])["ETag"] != response["ETag"]


def test_throttled_per_address_and_per_token(public_world, monkeypatch):
    monkeypatch.setattr(auth.AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    monkeypatch.setattr(auth.PartnerRateThrottle, "THROTTLE_RATES", {"partner": "5/minute"})
    url = reverse("publication:api_plan-list")
    assert [get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    # The partner has its own allowance, whatever the address.
    assert [get(url, public_world["key"]).status_code for _ in range(6)] == [200] * 5 + [429]


def test_behind_the_proxy_each_visitor_has_its_own_allowance(public_world, monkeypatch, settings):
    # Behind the reverse proxy every request comes from its address: counting on it would let
    # one visitor exhaust everybody's allowance (as the login's throttling once did).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(auth.AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = reverse("publication:api_plan-list")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = [get(url, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code for _ in range(3)]
    assert first == [200, 200, 429]
    assert get(url, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code == 200


def test_production_api_throttles_count_the_same_proxies_as_the_login():
    from conftest import production_setting

    assert production_setting("settings.REST_FRAMEWORK['NUM_PROXIES']", DJANGO_TRUSTED_PROXY_COUNT="2") == "2"


def test_filters_and_pages(public_world):
    action = public_world["action"]
    found = get(f"{reverse('publication:api_action-list')}?status=in_progress&axis={action.axis_id}").json()
    assert [item["id"] for item in found["results"]] == [action.pk]
    assert get(f"{reverse('publication:api_action-list')}?status=done").json()["count"] == 0
    values = get(f"{reverse('publication:api_value-list')}?period=2024", public_world["key"]).json()
    assert {item["period"] for item in values["results"]} == {"2024"}
    assert get(f"{reverse('publication:api_value-list')}?period=hier").status_code == 400
    paged = get(f"{reverse('publication:api_axis-list')}?page_size=1", public_world["key"]).json()
    assert len(paged["results"]) == 1 and paged["next"]


def test_network_value_carries_its_coverage(public_world):
    values = get(f"{reverse('publication:api_value-list')}?indicator={public_world['indicator'].pk}").json()
    (value,) = values["results"]
    assert value["value"] == 44417.0
    assert value["coverage"]["label"] == "2 structures, aucune attendue"


def test_schema_and_docs_need_no_cdn(public_world):
    schema = get(reverse("publication:api_schema") + "?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/values/" in schema["paths"]
    docs = get(reverse("publication:api_docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "<script>" not in docs.replace("<script src", "")  # the split view: no inline script


@pytest.mark.parametrize(
    "query",
    [
        "api_axis-list?plan=-3318687779970561867776",  # found by Schemathesis: OverflowError, 500
        "api_axis-list?plan=99999999999999999999999",
        "api_objective-list?axis=99999999999999999999999",
        "api_action-list?axis=-99999999999999999999999",
    ],
)
def test_an_id_no_database_can_hold_is_a_400_not_a_500(public_world, query):
    name, params = query.split("?")
    assert get(f"{reverse('publication:' + name)}?{params}").status_code == 400
