"""The public space's pages (issue 17) and the staff pages that choose what is published."""

import pytest
from django.test import Client
from django.urls import reverse

from axes.models import Axis
from publication.models import PartnerToken
from publication.opendata import DATASETS
from publication.tests.conftest import NEVER, UNPUBLISHED
from toolkit.french import french_spacing

pytestmark = pytest.mark.django_db


def test_nothing_published_says_so(seeded_plan):
    response = Client().get(reverse("publication:home"))
    assert response.status_code == 200
    assert "Rien n’est encore publié" in response.content.decode()
    assert Axis.objects.first().title not in response.content.decode()


def test_home_shows_the_published_plan_without_login(public_world):
    response = Client().get(reverse("publication:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert public_world["axis"].title in html
    assert public_world["objective"].text in html
    assert 'role="progressbar"' in html
    assert "période non renseignée" in html  # the plan's period, beside its progress
    # The key indicator: the network's validated value with its coverage, the published structure's own.
    assert "Habitants touchés (public)" in html
    assert "44\u202f417" in html  # 1 200 + 43 217, both validated
    assert "2 structures, aucune attendue" in html
    assert "Centre social publié QX11 1\u202f200" in html
    # The year's highlights: what the journal changed, never its text nor its author.
    assert f"{french_spacing(public_world['action'].title)} : avancement porté à 40 %" in html
    for secret in [*UNPUBLISHED.values(), *NEVER.values()]:
        assert secret not in html


def test_open_graph_tags_are_absolute(public_world):
    html = Client().get(reverse("publication:home")).content.decode()
    assert f'<meta property="og:title" content="{public_world["plan"].title}">' in html
    assert '<meta property="og:image" content="http://testserver/static/publication/og-image.png">' in html
    assert '<meta property="og:url" content="http://testserver/public/">' in html
    assert 'property="og:description" content="' in html


def test_pages_are_kept_until_the_data_changes(public_world, client, django_assert_max_num_queries):
    url = reverse("publication:home")
    first = client.get(url)
    with django_assert_max_num_queries(2):  # rendered once, then read from the cache
        again = client.get(url)
    assert again.content == first.content
    # Staff unpublish the axis through its edit form: the next visitor no longer sees it.
    axis = public_world["axis"]
    staff = Client()
    staff.force_login(public_world["staff"])
    response = staff.post(
        reverse("axes:axis_update", args=[axis.pk]),
        {"title": axis.title, "version": axis.version, "is_published": ""},
    )
    assert response.status_code == 302
    assert not Axis.objects.get(pk=axis.pk).is_published
    assert axis.title not in client.get(url).content.decode()


def test_etag_and_last_modified_answer_304(public_world):
    client = Client()
    response = client.get(reverse("publication:home"))
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"]
    again = client.get(reverse("publication:home"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_axis_page_shows_its_published_objectives_and_actions_only(public_world):
    axis = public_world["axis"]
    response = Client().get(reverse("publication:axis_detail", args=[axis.pk, axis.slug]))
    html = response.content.decode()
    assert public_world["action"].title in html
    assert public_world["objective"].text in html
    assert UNPUBLISHED["action"] not in html and UNPUBLISHED["objective"] not in html
    hidden = public_world["hidden_axis"]
    assert Client().get(reverse("publication:axis_detail", args=[hidden.pk, hidden.slug])).status_code == 404
    moved = Client().get(reverse("publication:axis_detail", args=[axis.pk, "ancien-titre"]))
    assert moved.status_code == 301


def test_summary_fits_for_print(public_world):
    html = Client().get(reverse("publication:summary")).content.decode()
    assert "synthèse" in html
    assert public_world["axis"].title in html
    assert "publication/print.js" in html and "<script>" not in html  # no inline script (CSP)


def test_data_dictionary_and_downloads(public_world):
    html = Client().get(reverse("publication:data_dictionary")).content.decode()
    assert "Licence Ouverte 2.0" in html
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    csv = Client().get(reverse("publication:data_export", args=["valeurs", "csv"]))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(column.name for column in DATASETS["valeurs"].columns)
    assert "habitants-publics,2024,,44417" in text
    assert "habitants-publics,2024,Centre social publié QX11,1200" in text
    document = Client().get(reverse("publication:data_export", args=["actions", "json"])).json()
    assert document["licence"].startswith("Licence Ouverte 2.0")
    assert [row["id"] for row in document["donnees"]] == [public_world["action"].pk]
    assert Client().get("/public/donnees/inconnu.csv").status_code == 404


def test_staff_create_a_token_seen_once_and_revoke_it(public_world):
    staff = Client()
    staff.force_login(public_world["staff"])
    response = staff.post(reverse("publication:token_list"), {"name": "Département de la Drôme"})
    token = PartnerToken.objects.get(name="Département de la Drôme")
    key = response.context["new_key"]
    assert key in response.content.decode() and token.key_prefix == key[:8]
    assert key not in staff.get(reverse("publication:token_list")).content.decode()  # shown once
    api = reverse("publication:api_axis-list")
    assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    staff.post(reverse("publication:token_revoke", args=[token.pk]))
    assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_staff_publish_a_structures_own_figure(public_world):
    staff = Client()
    staff.force_login(public_world["staff"])
    indicator, structure_b = public_world["indicator"], public_world["structure_b"]
    url = reverse("publication:indicator_publication", args=[indicator.pk])
    form = staff.get(url).content.decode()
    assert NEVER["structure_b_name"] in form  # offered: it has a validated value
    staff.post(url, {"is_published": "on", "published_structures": [public_world["structure_a"].pk, structure_b.pk]})
    assert set(indicator.published_structures.all()) == {public_world["structure_a"], structure_b}
    assert NEVER["structure_b_name"] in Client().get(reverse("publication:home")).content.decode()


def test_edit_forms_offer_the_publie_switch(public_world):
    staff = Client()
    staff.force_login(public_world["staff"])
    for url in [
        reverse("axes:axis_update", args=[public_world["axis"].pk]),
        reverse("axes:objective_update", args=[public_world["objective"].pk]),
        reverse("actions:action_update", args=[public_world["action"].pk]),
    ]:
        assert 'name="is_published"' in staff.get(url).content.decode(), url
