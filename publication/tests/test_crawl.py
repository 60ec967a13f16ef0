"""Crawl the public space and the API, anonymously and with a partner's token, and check
against the database that nothing unpublished, unvalidated or personal is served (issue 17)."""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from actions.models import Action, Comment, Update
from axes.models import Axis, Objective
from indicators.models import Indicator, Measurement
from indicators.selectors import network_values
from publication.tests.conftest import NEVER, UNPUBLISHED

API_LISTS = [
    "/api/v1/plans/",
    "/api/v1/axes/",
    "/api/v1/objectives/",
    "/api/v1/actions/",
    "/api/v1/indicators/",
    "/api/v1/values/",
    "/api/v1/structure-values/",
]
CRAWLED = ("/public/", "/api/")
# Separators of French numbers (narrow and plain no-break spaces) do not hide a number.
SPACES = re.compile(r"[\s\u202f\u00a0]")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def crawl(client: Client, headers: dict) -> dict[str, bytes]:
    """Every page and API answer reachable from the public home and the API's lists: links of
    the pages, `next` pages and each listed object's own URL."""
    seen: dict[str, bytes] = {}
    queue = ["/public/", *API_LISTS]
    while queue:
        url = queue.pop()
        path = urlparse(url).path + (f"?{urlparse(url).query}" if urlparse(url).query else "")
        if path in seen or not path.startswith(CRAWLED):
            continue
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = response.content
        if response["Content-Type"].startswith("text/html"):
            parser = Links()
            parser.feed(response.content.decode())
            queue += [urljoin(path, href) for href in parser.found]
        elif response["Content-Type"].startswith("application/json") and path.startswith("/api/v1/"):
            body = response.json()
            if body.get("next"):
                queue.append(body["next"])
            base = path.split("?")[0]
            if "results" in body and not base.endswith("/values/"):
                queue += [f"{base}{item['id']}/" for item in body["results"]]
    return seen


def listed(pages: dict[str, bytes], prefix: str) -> list[dict]:
    items = []
    for url, content in pages.items():
        if url.split("?")[0] == prefix:
            items += json.loads(content)["results"]
    return items


def assert_absent(pages: dict[str, bytes], markers) -> None:
    for url, content in pages.items():
        text = SPACES.sub("", content.decode())
        for marker in markers:
            assert SPACES.sub("", marker) not in text, f"{marker!r} servi par {url}"


def assert_no_person_nor_unvalidated_value(pages):
    people = get_user_model().objects.all()
    names = {value for user in people for value in (user.username, user.email, user.get_full_name()) if value}
    assert_absent(pages, names)
    texts = [*Comment.objects.values_list("text", flat=True), *Update.objects.values_list("text", flat=True)]
    assert_absent(pages, [text for text in texts if len(text) > 12])
    assert_absent(pages, Measurement.objects.exclude(return_comment="").values_list("return_comment", flat=True))
    assert_absent(pages, Measurement.objects.exclude(comment="").values_list("comment", flat=True))
    assert_absent(pages, NEVER.values())
    # Every number served for a structure is one of its validated values that staff published.
    for item in listed(pages, "/api/v1/structure-values/"):
        value = Measurement.objects.get(pk=item["id"])
        assert value.status == Measurement.Status.VALIDATED
        assert value.indicator.published_structures.filter(pk=value.structure_id).exists()
        assert Decimal(str(item["value"])) == value.value
    # Every network value is the one computed from validated values only.
    for item in listed(pages, "/api/v1/values/"):
        computed = network_values([item["indicator"]])[item["indicator"]][item["period"]]
        assert Decimal(str(item["value"])) == computed


@pytest.mark.django_db
def test_anonymous_crawl_serves_only_what_is_published(public_world):
    pages = crawl(Client(), {})
    assert len(pages) > 15
    assert_absent(pages, UNPUBLISHED.values())
    assert_no_person_nor_unvalidated_value(pages)
    for prefix, model in [
        ("/api/v1/axes/", Axis),
        ("/api/v1/objectives/", Objective),
        ("/api/v1/actions/", Action),
        ("/api/v1/indicators/", Indicator),
    ]:
        items = listed(pages, prefix)
        assert items, prefix
        assert all(model.objects.get(pk=item["id"]).is_published for item in items), prefix
    for item in listed(pages, "/api/v1/objectives/") + listed(pages, "/api/v1/actions/"):
        axis_id = item["axis"]
        assert Axis.objects.get(pk=axis_id).is_published
    for item in listed(pages, "/api/v1/actions/") + listed(pages, "/api/v1/indicators/"):
        assert all(Objective.objects.get(pk=pk).is_published for pk in item["objectives"])
    # What was published is there: the public space is not empty by accident.
    home = pages["/public/"].decode()
    for shown in [public_world["axis"].title, public_world["objective"].text, "Habitants touchés (public)"]:
        assert shown in home
    assert "Centre social publié QX11" in home


@pytest.mark.django_db
def test_partner_token_reads_the_whole_plan_but_nothing_unvalidated_or_personal(public_world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {public_world['key']}"}
    pages = crawl(Client(), headers)
    api = {url: content for url, content in pages.items() if url.startswith("/api/")}
    served = b"".join(api.values()).decode()
    for marker in [UNPUBLISHED["axis"], UNPUBLISHED["objective"], UNPUBLISHED["action"], UNPUBLISHED["indicator"]]:
        assert marker in served
    assert len(listed(pages, "/api/v1/axes/")) == Axis.objects.filter(chapter__plan=public_world["plan"]).count()
    assert_no_person_nor_unvalidated_value(api)
