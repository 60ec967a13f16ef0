"""Every form of the application, fed random input by hypothesis, answers without a server
error: the form shows its French errors, or the service refuses, or the change is made.

The form pages are read from the permission matrix's ROUTES (every route that takes a POST),
so a form added later is fuzzed too. The fields posted are the ones the page's own form
offers (read from its HTML), filled with random text, numbers, dates and ids.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federation.tests.routes import NOT_ALLOWED, PUBLIC_READ_ONLY, ROUTES

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP = {"csrfmiddlewaretoken", "next"}

POST_ROUTES = sorted(
    name
    for name, (_, methods) in ROUTES.items()
    # A read-only route (the public space, the open API) refuses every POST with 405: no form.
    if methods.get("post", NOT_ALLOWED) not in (NOT_ALLOWED, PUBLIC_READ_ONLY)
    and methods.get("get", NOT_ALLOWED) != NOT_ALLOWED
)

value = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**6), max_value=10**12).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["", "0", "1", "999999", "-1", "2024", "abc", "<script>alert(1)</script>", "1e400", "nan"]),
)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_random_input_never_gives_a_server_error(world, name):  # noqa: F811 (the imported fixture)
    build_kwargs, _ = ROUTES[name]
    url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
    client = Client(raise_request_exception=False)
    client.force_login(world["users"]["superuser"])
    page = client.get(url)
    fields = sorted(set(FIELD.findall(page.content.decode(errors="replace"))) - SKIP) if page.status_code == 200 else []

    assert fields or page.status_code != 200, f"{name}: no form field found"

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.fixed_dictionaries({field: value for field in fields}))
    def post(data):
        response = client.post(url, {key: text.replace("\x00", "") for key, text in data.items()})
        assert response.status_code < 500, (name, data)

    post()
