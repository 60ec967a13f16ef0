"""Redirects stay home (issue 16, point 2): every form that reads a `next` address, posted an
address outside the site, sends people back to a page of the site."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.services.comments import comment_post
from axes.models import Objective
from indicators.models import Indicator, Measurement

OUTSIDE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
]


def _forms(world) -> list[tuple[str, str, dict, str]]:
    """(role, url, data, method) of every form that reads `next`."""
    users, structure = world["users"], world["structure_a"]
    action = Action.objects.filter(axis__chapter__plan=world["plan"]).first()
    objective = Objective.objects.filter(axis__chapter__plan=world["plan"]).first()
    comment = comment_post(user=users["director_a"], text="Premier", action=action)
    indicator = Indicator.objects.create(code="retour", name="Indicateur")

    def measurement(status):
        extra = {"validated_at": timezone.now()} if status == "validated" else {}
        value = Measurement.objects.create(
            indicator=indicator, period="2024", value=1, structure=structure, status=status, **extra
        )
        return value.pk

    return [
        ("director_a", reverse("actions:action_comment_create", args=[action.pk]), {"text": "Bien"}, "post"),
        ("director_a", reverse("actions:objective_comment_create", args=[objective.pk]), {"text": "Bien"}, "post"),
        ("director_a", reverse("actions:comment_edit", args=[comment.pk]), {"text": "Corrigé"}, "post"),
        ("staff", reverse("actions:comment_moderate", args=[comment.pk]), {"hidden": "1"}, "post"),
        ("director_a", lambda: reverse("indicators:measurement_submit", args=[measurement("draft")]), {}, "post"),
        ("staff", lambda: reverse("indicators:measurement_validate", args=[measurement("submitted")]), {}, "post"),
        (
            "staff",
            lambda: reverse("indicators:measurement_return", args=[measurement("submitted")]),
            {"comment": "À revoir"},
            "post",
        ),
        ("staff", reverse("logout"), {}, "post"),
    ]


def _stays_home(location: str) -> bool:
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("outside", OUTSIDE)
def test_every_form_that_reads_next_stays_on_the_site(world, outside):
    for role, url, data, method in _forms(world):
        Measurement.objects.all().delete()
        client = Client()
        client.force_login(world["users"][role])
        url = url() if callable(url) else url
        for where in ("post", "query"):
            if where == "post":
                response = getattr(client, method)(url, {**data, "next": outside})
            else:
                response = getattr(client, method)(f"{url}?next={outside}", data)
            assert response.status_code == 302, (url, response.status_code)
            assert _stays_home(response["Location"]), f"{url} ({where}) → {response['Location']}"
            client.force_login(world["users"][role])  # the logout form logged out


@pytest.mark.parametrize("outside", OUTSIDE)
def test_login_stays_on_the_site(world, outside):
    user = world["users"]["board"]
    user.set_password("motdepasse-test")
    user.save()
    response = Client().post(
        reverse("login"), {"username": user.username, "password": "motdepasse-test", "next": outside}
    )
    assert response.status_code == 302
    assert _stays_home(response["Location"]), response["Location"]


def test_a_next_on_the_site_is_followed(world):
    client = Client()
    client.force_login(world["users"]["director_a"])
    action = Action.objects.filter(axis__chapter__plan=world["plan"]).first()
    back = reverse("actions:action_list") + "?page=2#discussion"
    response = client.post(reverse("actions:action_comment_create", args=[action.pk]), {"text": "Bien", "next": back})
    assert response["Location"] == back


def test_next_is_read_only_through_the_one_check():
    """A view reading `next` (or the referer) itself would escape the check: only
    toolkit.redirects.safe_next does."""
    readers = []
    pattern = re.compile(r"""(GET|POST|REQUEST)(\.get\(|\[)\s*["'](next|return_to|retour)["']|HTTP_REFERER""")
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in (".venv", "node_modules") or "tests" in relative.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            readers.append(str(relative))
    assert readers == ["toolkit/redirects.py"]
