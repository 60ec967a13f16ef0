"""Site-wide search: accents and case aside, grouped by kind, each hit linked, bounded queries."""

import pytest
from django.urls import reverse

from actions.models import Action
from actions.tests.factories import ActionFactory
from axes.tests.factories import AxisFactory, ObjectiveFactory
from federation.search import highlight, query_terms, site_search
from network.models import Partner, Structure
from network.tests.factories import PartnerFactory, StructureFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    axis = AxisFactory(
        title="Des organisations sur les territoires",
        context="La Fédération accompagne les centres sociaux.\n→ Vie associative",
        stakes="Renforcer l'Éducation populaire dans le réseau.",
    )
    other = AxisFactory(title="Jeunesse", context="Rien à voir.", stakes="")
    objective = ObjectiveFactory(axis=axis, text="Soutenir la fonction employeur des associations")
    action = ActionFactory(
        axis=axis,
        title="Formation des bénévoles",
        description="Avec la fédération ardéchoise, des sessions d'été.",
        status=Action.Status.IN_PROGRESS,
    )
    lead = ActionFactory(axis=other, title="Créer un réseau d'élus", status=Action.Status.LEAD)
    partner = PartnerFactory(name="Fédération ardéchoise", kind=Partner.Kind.FEDERATION)
    structure = StructureFactory(
        name="Centre social de l'Écluse",
        kind=Structure.Kind.CENTRE_SOCIAL,
        territory=TerritoryFactory(name="Drôme"),
    )
    return {
        "axis": axis,
        "other": other,
        "objective": objective,
        "action": action,
        "lead": lead,
        "partner": partner,
        "structure": structure,
    }


def titles(results) -> dict[str, list[str]]:
    return {group.key: [hit.title for hit in group.hits] for group in results.groups}


@pytest.mark.parametrize(
    "query",
    ["federation", "FEDERATION", "Fédération", "fédération", "FÉDÉRATION", "fede"],
)
def test_accents_and_case_do_not_matter(plan, staff_user, query):
    found = titles(site_search(query=query, user=staff_user))
    assert found["partners"] == ["Fédération ardéchoise"]
    assert found["actions"] == ["Formation des bénévoles"]  # through its description
    assert found["axes"] == ["Des organisations sur les territoires"]  # through its context


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        (
            "education populaire",
            "axes",
            "Des organisations sur les territoires",
        ),  # stakes
        ("benevoles", "actions", "Formation des bénévoles"),
        ("Bénévole", "actions", "Formation des bénévoles"),  # singular finds the plural
        ("employeur", "objectives", "Soutenir la fonction employeur des associations"),
        ("ecluse", "structures", "Centre social de l'Écluse"),
        ("élus", "actions", "Créer un réseau d'élus"),
    ],
)
def test_each_kind_is_found_by_its_fields(plan, board_user, query, kind, title):
    assert titles(site_search(query=query, user=board_user)).get(kind) == [title]


def test_every_word_must_match(plan, staff_user):
    found = titles(site_search(query="fédération bénévoles", user=staff_user))
    assert found == {"actions": ["Formation des bénévoles"]}


def test_a_title_match_ranks_before_a_text_match(plan, staff_user):
    ActionFactory(axis=plan["axis"], title="Journée de la fédération", description="")
    found = titles(site_search(query="federation", user=staff_user))
    assert found["actions"] == ["Journée de la fédération", "Formation des bénévoles"]


def test_results_are_grouped_in_a_fixed_order(plan, staff_user):
    results = site_search(query="fédé", user=staff_user)
    keys = [group.key for group in results.groups]
    assert keys == [key for key in ["axes", "objectives", "actions", "partners", "structures"] if key in keys]


def test_nothing_found_and_too_short_queries(plan, staff_user):
    assert site_search(query="zzzzzz", user=staff_user).groups == []
    assert site_search(query="a", user=staff_user).terms == []
    assert site_search(query="  ", user=staff_user).groups == []
    assert site_search(query="'%_\\", user=staff_user).groups == []  # no SQL or tsquery syntax leaks


def test_query_terms_fold_and_split():
    assert query_terms("Fédération, « Œuvre » d'été") == ["federation", "oeuvre", "ete"]


def test_highlight_marks_the_original_accented_text():
    parts = highlight("La Fédération accompagne", ["federation"])
    assert parts == [("La ", False), ("Fédération", True), (" accompagne", False)]


def test_hits_link_to_their_pages(plan, staff_user):
    results = site_search(query="fédération", user=staff_user)
    urls = {group.key: group.hits[0].url for group in results.groups}
    axis = plan["axis"]
    assert urls["axes"] == reverse("actions:axis_detail", kwargs={"pk": axis.pk, "slug": axis.slug})
    assert urls["actions"] == reverse("actions:action_detail", args=[plan["action"].pk])
    objective_url = site_search(query="employeur", user=staff_user).groups[0].hits[0].url
    assert objective_url == reverse("actions:objective_detail", args=[plan["objective"].pk])


def test_indicators_are_searched_when_the_app_has_them(plan, staff_user):
    from django.apps import apps

    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        pytest.skip("the indicators app has no Indicator model yet")
    from indicators.tests.factories import IndicatorFactory

    IndicatorFactory(name="Nombre d'héritiers du réseau")
    found = titles(site_search(query="heritiers", user=staff_user))
    assert found.get("indicators") == ["Nombre d'héritiers du réseau"]
    assert indicator_model.objects.count() == 1


def test_trashed_objects_are_not_found(plan, staff_user):
    action = plan["action"]
    if not hasattr(action, "deleted_at"):
        pytest.skip("no trash yet")
    from django.utils import timezone

    Action.all_objects.filter(pk=action.pk).update(deleted_at=timezone.now())
    assert "actions" not in titles(site_search(query="bénévoles", user=staff_user))


# ---------------------------------------------------------------------------- the page


def test_the_search_box_is_on_every_page(client, plan, board_user):
    client.force_login(board_user)
    page = client.get(
        reverse(
            "actions:axis_detail",
            kwargs={"pk": plan["axis"].pk, "slug": plan["axis"].slug},
        )
    )
    assert f'action="{reverse("search")}"' in page.content.decode()
    assert 'name="q"' in page.content.decode()


@pytest.mark.parametrize("role", ["staff_user", "director_user", "board_user"])
def test_every_role_searches(client, plan, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("search"), {"q": "federation"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Partenaires" in content
    assert "<mark>fédération</mark>" in content
    assert "Fédération ardéchoise" in content


def test_anonymous_and_roleless_users_cannot_search(client, plan, roleless_user):
    response = client.get(reverse("search"), {"q": "federation"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(roleless_user)
    assert client.get(reverse("search"), {"q": "federation"}).status_code == 403


def test_the_page_escapes_what_it_shows(client, staff_user):
    ActionFactory(title="<script>alert(1)</script> fédération")
    client.force_login(staff_user)
    content = client.get(reverse("search"), {"q": "federation"}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_an_empty_query_shows_the_form(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "les accents et les majuscules n’y font rien" in response.content.decode()


def make_world(size: int):
    for n in range(size):
        axis = AxisFactory(
            title=f"Axe fédéral {n}",
            context="La fédération",
            stakes="Le réseau fédéral",
        )
        objective = ObjectiveFactory(axis=axis, text=f"Objectif fédéral {n}")
        action = ActionFactory(axis=axis, title=f"Action fédérale {n}", description="avec la fédération")
        action.objectives.add(objective)
        PartnerFactory(name=f"Fédération partenaire {n}")
        StructureFactory(name=f"Fédération locale {n}")


@pytest.mark.parametrize("size", [2, 15])
def test_the_results_page_has_a_bounded_number_of_queries(client, staff_user, django_assert_max_num_queries, size):
    make_world(size)
    client.force_login(staff_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("search"), {"q": "fédér"})
    assert response.status_code == 200
    results = response.context["results"]
    assert {group.key: len(group.hits) for group in results.groups if group.key != "indicators"} == {
        "axes": size,
        "objectives": size,
        "actions": size,
        "partners": size,
        "structures": size,
    }


@pytest.mark.parametrize(
    "key, index", [("actions", "actions_action_search"), ("structures", "federation_structure_search")]
)
def test_postgresql_searches_the_large_tables_through_their_index(plan, key, index):
    """The indexes of migrations actions 0004 and federation 0004 must index exactly the
    expression the search builds, or PostgreSQL computes every row's document again."""
    from django.db import connection, transaction

    from federation.search import _postgresql_matching, sources

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    source = next(source for source in sources() if source.key == key)
    # Without the trash filter, whose own index is the planner's pick on a handful of rows.
    queryset = _postgresql_matching(source.model._base_manager.all(), source, ["jeunesse"])
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of test rows: force the choice
        cursor.execute(f"EXPLAIN {sql}", params)
        plan_text = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan_text, plan_text


def test_a_ligature_is_found_either_way(plan, staff_user):
    # « oe » cannot be a glob() pattern (« œ » is one character): these words go through the fold.
    ActionFactory(axis=plan["axis"], title="Le cœur de l’Œuvre")
    ActionFactory(axis=plan["axis"], title="Mettre en oeuvre")
    found = titles(site_search(query="oeuvre", user=staff_user))["actions"]
    assert sorted(found) == ["Le cœur de l’Œuvre", "Mettre en oeuvre"]
    assert titles(site_search(query="Cœur", user=staff_user))["actions"] == ["Le cœur de l’Œuvre"]


@pytest.mark.parametrize(
    "text",
    ["Éducation populaire", "ÉLUS DU CONSEIL", "Señor Ångström", "Ça déçoit", "Île-de-France", "naïveté", "x²"],
)
def test_the_glob_pattern_finds_what_the_fold_finds(text):
    # SQLite matches a word through glob() patterns of its accented and capital variants; each
    # folded word of a text must be matched in the original text, and a word it lacks must not.
    import sqlite3

    from federation.search import _glob
    from toolkit.text import words

    connection = sqlite3.connect(":memory:")
    for word in words(text):
        pattern = _glob(word)
        assert pattern is not None
        assert connection.execute("select glob(?, ?)", (pattern, text)).fetchone()[0] == 1, word
        assert connection.execute("select glob(?, ?)", (_glob(word + "q"), text)).fetchone()[0] == 0
