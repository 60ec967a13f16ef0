"""Landmarks and labels a screen reader relies on, on every page of the permission matrix:
one <main> per page, and every aria-labelledby naming another element of the page (issue 16:
the partners section of an action's page labelled itself, the report page had no <main>)."""

from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from federation.tests.routes import EXPECTED, ROUTES


class Landmarks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.mains = 0
        self.labelled: list[tuple[str, str, str]] = []  # (tag, its id, the ids it is labelled by)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "main":
            self.mains += 1
        if attrs.get("aria-labelledby"):
            self.labelled.append((tag, attrs.get("id") or "", attrs["aria-labelledby"]))


def problems(html: str) -> list[str]:
    page = Landmarks()
    page.feed(html)
    found = [] if page.mains == 1 else [f"{page.mains} <main>"]
    for tag, own_id, labels in page.labelled:
        for label in labels.split():
            if label == own_id:
                found.append(f'<{tag} id="{own_id}"> is labelled by itself')
            elif label not in page.ids:
                found.append(f'<{tag}> is labelled by "{label}", which is not on the page')
    return found


def _role(level: str) -> str | None:
    expected = EXPECTED[level]
    return next((role for role in ("staff", "director_a", "superuser") if expected.get(role) == "ok"), None)


PAGES = [
    name
    for name, (_build, methods) in ROUTES.items()
    if "get" in methods and _role(methods["get"]) and methods["get"] != "public"
]


def test_the_partners_section_of_an_action_is_labelled_by_its_heading(world, client):
    from actions.models import Action

    client.force_login(world["users"]["board"])
    action = Action.objects.filter(axis__chapter__plan=world["plan"]).first()
    html = client.get(action.get_absolute_url()).content.decode()
    assert '<section aria-labelledby="partenaires-titre" id="partenaires"' in html
    assert '<h2 id="partenaires-titre"' in html
    assert problems(html) == []


def test_the_report_page_has_its_main_landmark(world, client):
    client.force_login(world["users"]["board"])
    html = client.get(reverse("board:report")).content.decode()
    assert html.count("<main") == 1
    assert problems(html) == []


def test_every_page_has_one_main_and_labels_that_exist(world):
    failures = {}
    for name in PAGES:
        build_kwargs, methods = ROUTES[name]
        with transaction.atomic():
            url = reverse(name, kwargs=build_kwargs(world) if build_kwargs else None)
            client = Client()
            client.force_login(world["users"][_role(methods["get"])])
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<html" not in html:  # an htmx fragment
            continue
        found = problems(html)
        if found:
            failures[name] = found
    assert not failures
    assert len(PAGES) > 30


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<main><section aria-labelledby="a" id="a"><h2 id="b">x</h2></section></main>',
            ['<section id="a"> is labelled by itself'],
        ),
        ("<div>no main</div>", ["0 <main>"]),
        (
            '<main><nav aria-labelledby="nowhere"></nav></main>',
            ['<nav> is labelled by "nowhere", which is not on the page'],
        ),
    ],
)
def test_the_check_sees_each_fault(html, expected):
    assert problems(html) == expected
