"""The searchable choices (static/js/autocomplete.js) with Debian's Chromium: an answer that
arrives late, for a query typed before the last one, must not replace the last answer.

Seen in CI on a busy machine: « C » was sent on its own, its answer (20 actions starting with
C, not the one wanted) came back after the answer to « Co-portage », and the list then showed
the wrong actions until the test gave up."""

import json
import re

import pytest
from playwright.sync_api import expect

from actions.tests.factories import ActionFactory
from conftest import browser_login
from network.tests.factories import StructureFactory, director_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_late_answer_to_an_earlier_query_does_not_replace_the_last_one(live_server, page):
    wanted = ActionFactory(title="Co-portage de la démarche « Mesure de l’impact social »")
    other = ActionFactory(title="Collectif des centres du Diois")
    director = director_for(StructureFactory(), username="direction-test")
    browser_login(page, live_server, director.username)

    held = []

    def answer(route):
        if route.request.url.endswith("q=C"):
            held.append(route)  # answered at the end, after the last query's answer
        else:
            route.continue_()

    page.route("**/autocompletion/actions/**", answer)
    page.goto(f"{live_server.url}/participations/proposer/")
    wrapper = page.locator("select[name=action] + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    expect(wrapper).to_have_class(re.compile(r"\bfocus\b"))  # see conftest.search_and_choose
    with page.expect_request(lambda request: request.url.endswith("q=C")):
        page.keyboard.type("C")
    page.keyboard.type("o-portage")
    option = page.get_by_role("option", name=wanted.title)
    option.wait_for()

    with page.expect_response(lambda response: response.url.endswith("q=C")):
        held[0].fulfill(
            content_type="application/json",
            body=json.dumps({"results": [{"value": other.pk, "text": other.title}], "more": False}),
        )
    page.wait_for_timeout(300)  # the page reads the late answer
    assert option.is_visible()
    assert page.get_by_role("option", name=other.title).count() == 0
    option.click()
    assert page.locator("select[name=action]").input_value() == str(wanted.pk)
