"""Plan pages and the import pages: who may open them, what they show, how many queries."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.tests.factories import ActionFactory, ActionPartnerFactory
from axes.models import Axis, Chapter, Objective, Plan
from axes.tests.factories import AxisFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

READERS = ["staff_user", "director_user", "board_user"]


def plan_urls(plan):
    axis = Axis.objects.for_plan(plan).first()
    return [
        reverse("actions:plan_current"),
        reverse("actions:plan_detail", args=[plan.pk]),
        reverse("actions:axis_detail", args=[axis.pk, axis.slug]),
    ]


def test_anonymous_users_are_sent_to_the_login_page(client, seeded_plan):
    for url in [*plan_urls(seeded_plan), reverse("actions:plan_import")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_the_plan(client, seeded_plan, role, request):
    client.force_login(request.getfixturevalue(role))
    plan_page, detail, axis_page = plan_urls(seeded_plan)
    assert client.get(plan_page).status_code == 302
    assert client.get(detail).status_code == 200
    assert client.get(axis_page).status_code == 200


def test_a_user_without_role_gets_403(client, seeded_plan, roleless_user):
    client.force_login(roleless_user)
    for url in plan_urls(seeded_plan):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["director_user", "board_user", "roleless_user"])
def test_only_staff_import_documents(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("actions:plan_import")).status_code == 403
    upload = SimpleUploadedFile("plan.txt", settings.SEED_PLAN_DOCUMENT.read_bytes())
    assert client.post(reverse("actions:plan_import"), {"document": upload}).status_code == 403
    assert client.post(reverse("actions:plan_import_confirm"), {"fingerprint": "x"}).status_code == 403
    assert Plan.objects.count() == 0


def test_plan_overview_shows_axes_and_counts(client, seeded_plan, board_user):
    client.force_login(board_user)
    response = client.get(reverse("actions:plan_detail", args=[seeded_plan.pk]))
    content = response.content.decode()
    assert "Des organisations sur les territoires" in content
    for title in ["Impact social", "Gouvernance", "Fonction accueil"]:
        assert title in content
    gouvernance = next(
        axis for chapter, axes in response.context["chapters"] for axis in axes if axis.title == "Gouvernance"
    )
    assert gouvernance.objective_count == 1
    assert gouvernance.status_counts == {
        "previous_plan": 3,
        "lead": 2,
        "planned": 0,
        "in_progress": 2,
        "done": 0,
        "abandoned": 0,
    }


def test_axis_page_reads_like_the_document(client, seeded_plan, director_user):
    client.force_login(director_user)
    axis = Axis.objects.get(title="Gouvernance")
    response = client.get(reverse("actions:axis_detail", args=[axis.pk, axis.slug]))
    content = response.content.decode()
    headings = [
        "Contexte global",
        "Enjeux pour le réseau",
        "Actions du précédent projet",
        "Objectifs opérationnels",
        "Projets déjà engagés",
        "Pistes d’actions",
    ]
    positions = [content.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Fédération ardéchoise des Centres sociaux" in content
    assert "2017–2018" in content
    assert "2014–2015" in content
    assert "<li>laissant une place au salariat" in content  # → bullets of the stakes become a list


def test_axis_page_escapes_text(client, staff_user):
    axis = AxisFactory(context="<script>alert(1)</script>\n→ <b>gras</b>")
    client.force_login(staff_user)
    content = client.get(reverse("actions:axis_detail", args=[axis.pk, axis.slug])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_axis_page_with_a_wrong_slug_redirects_to_the_right_one(client, staff_user):
    axis = AxisFactory(title="Fonction accueil", slug="fonction-accueil")
    client.force_login(staff_user)
    response = client.get(reverse("actions:axis_detail", args=[axis.pk, "ancien-titre"]))
    assert response.status_code == 301
    assert response.url == reverse("actions:axis_detail", args=[axis.pk, "fonction-accueil"])


def test_empty_install_invites_staff_to_import(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("actions:plan_current"))
    assert response.status_code == 200
    assert reverse("actions:plan_import") in response.content.decode()


def _grow_axis(axis, n):
    for i in range(n):
        action = ActionFactory(axis=axis, status=Action.Status.IN_PROGRESS if i % 2 else Action.Status.LEAD)
        action.objectives.add(ObjectiveFactory(axis=axis))
        ActionPartnerFactory(action=action)


@pytest.mark.parametrize("size", [2, 25])
def test_axis_page_query_count_does_not_grow(client, staff_user, django_assert_max_num_queries, size):
    axis = AxisFactory()
    _grow_axis(axis, size)
    client.force_login(staff_user)
    # The plan's figures computed (3 queries), not yet cached; the actions to link (2: the first ones, their count).
    with django_assert_max_num_queries(19):  # the menu's unread notifications included
        response = client.get(reverse("actions:axis_detail", args=[axis.pk, axis.slug]))
    assert response.context["current_actions"].total == size // 2


def test_a_large_axis_shows_the_first_actions_of_each_section_and_links_to_the_rest(client, board_user):
    from actions.views.plan import AXIS_ACTIONS_SHOWN, OBJECTIVE_ACTIONS_SHOWN

    axis = AxisFactory()
    objective = ObjectiveFactory(axis=axis)
    for n in range(AXIS_ACTIONS_SHOWN + 3):
        action = ActionFactory(axis=axis, title=f"Action n° {n:02d}", status=Action.Status.IN_PROGRESS, order=n)
        action.objectives.add(objective)
    ActionFactory(axis=axis, title="Une piste", status=Action.Status.LEAD)
    client.force_login(board_user)
    response = client.get(reverse("actions:axis_detail", args=[axis.pk, axis.slug]))
    html = response.content.decode()
    current = response.context["current_actions"]
    assert [a.title for a in current.actions] == [f"Action n° {n:02d}" for n in range(AXIS_ACTIONS_SHOWN)]
    assert (current.total, current.omitted) == (AXIS_ACTIONS_SHOWN + 3, 3)
    link = f"{reverse('actions:action_list')}?axis={axis.pk}&amp;status=in_progress&amp;status=planned&amp;status=done"
    assert f'<a href="{link}">Voir les {AXIS_ACTIONS_SHOWN + 3} actions de cette partie' in html
    assert "Une piste" in html and html.count("Voir les ") == 1  # the leads section is whole
    # Under the objective: its first actions, and a link to the objective's page for all of them.
    assert len(response.context["objectives"][0].first_actions) == OBJECTIVE_ACTIONS_SHOWN
    objective_link = reverse("actions:objective_detail", args=[objective.pk])
    assert f'<a href="{objective_link}">les {AXIS_ACTIONS_SHOWN + 3} actions de l’objectif</a>' in html
    # The filtered list the link leads to holds them all.
    listed = client.get(reverse("actions:action_list"), {"axis": axis.pk, "status": ["in_progress", "planned", "done"]})
    assert listed.context["page"].paginator.count == AXIS_ACTIONS_SHOWN + 3


@pytest.mark.parametrize("size", [2, 15])
def test_plan_page_query_count_does_not_grow(client, staff_user, django_assert_max_num_queries, size):
    first = AxisFactory()
    for _ in range(size):
        _grow_axis(AxisFactory(chapter=first.chapter), 2)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("actions:plan_detail", args=[first.chapter.plan.pk]))
    assert response.status_code == 200


# The plan's period beside its progress


def plan_pages(objective):
    axis = objective.axis
    return {
        "plan": reverse("actions:plan_detail", args=[axis.chapter.plan.pk]),
        "axis": reverse("actions:axis_detail", args=[axis.pk, axis.slug]),
        "objective": reverse("actions:objective_detail", args=[objective.pk]),
    }


def test_plan_axis_and_objective_pages_put_the_period_beside_their_progress(client, board_user):
    this_year = timezone.localdate().year
    objective = ObjectiveFactory(
        axis__chapter__plan__start_year=this_year - 2, axis__chapter__plan__end_year=this_year + 2
    )
    ActionFactory(axis=objective.axis, progress=55).objectives.add(objective)
    elapsed = objective.axis.chapter.plan.elapsed()
    client.force_login(board_user)

    for name, url in plan_pages(objective).items():
        page = client.get(url).content.decode()
        # Once with the period's years, beside the page's main figure ...
        assert (
            f"période {this_year - 2}–{this_year + 2} : année 3 sur 5 ({elapsed.percent} % de la période écoulée)"
            in page
        ), name
        # ... and beside each axis's (plan page) or objective's (axis page) figure.
        assert page.count(f"année 3 sur 5 ({elapsed.percent} % de la période écoulée)") == (
            1 if name == "objective" else 2
        ), name
        assert "période non renseignée" not in page


def test_without_a_period_the_pages_say_so_once_and_staff_get_a_link_to_set_it(client, board_user, staff_user):
    objective = ObjectiveFactory(axis__chapter__plan__start_year=None, axis__chapter__plan__end_year=None)
    plan = objective.axis.chapter.plan
    edit_url = reverse("axes:plan_update", args=[plan.pk])
    for user in (board_user, staff_user):
        client.force_login(user)
        for name, url in plan_pages(objective).items():
            page = client.get(url).content.decode()
            assert page.count("période non renseignée") == 1, name
            assert "de la période écoulée" not in page
            assert (f'href="{edit_url}">indiquer les années du projet</a>' in page) == (user == staff_user), name


def test_a_finished_plan_says_so_beside_its_progress(client, board_user):
    objective = ObjectiveFactory(axis__chapter__plan__start_year=2017, axis__chapter__plan__end_year=2021)
    client.force_login(board_user)
    page = client.get(plan_pages(objective)["plan"]).content.decode()
    assert "période 2017–2021 : projet achevé en 2021" in page


def test_staff_import_with_preview_then_confirm(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("projet.txt", settings.SEED_PLAN_DOCUMENT.read_bytes(), content_type="text/plain")
    preview = client.post(reverse("actions:plan_import"), {"document": upload})
    assert preview.status_code == 200
    assert "Aperçu de l" in preview.content.decode()
    assert Plan.objects.count() == 0  # nothing written before confirmation

    response = client.post(reverse("actions:plan_import_confirm"), {"fingerprint": preview.context["fingerprint"]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("actions:plan_detail", args=[plan.pk])
    assert Axis.objects.count() == 3


def test_the_import_preview_offers_the_period_the_document_states(client, staff_user):
    client.force_login(staff_user)
    text = "Projet fédéral 2022-2026\n\n".encode() + settings.SEED_PLAN_DOCUMENT.read_bytes()
    preview = client.post(reverse("actions:plan_import"), {"document": SimpleUploadedFile("projet.txt", text)})
    page = preview.content.decode()
    assert 'name="start_year" value="2022"' in page and 'name="end_year" value="2026"' in page
    assert "lue dans le document, l. 1 « Projet fédéral 2022-2026 »" in page

    # Staff correct it before confirming.
    response = client.post(
        reverse("actions:plan_import_confirm"),
        {"fingerprint": preview.context["fingerprint"], "start_year": "2021", "end_year": "2025"},
    )
    assert response.status_code == 302
    assert Plan.objects.values_list("start_year", "end_year").get() == (2021, 2025)


def test_the_import_confirmation_refuses_a_reversed_period_and_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("projet.txt", settings.SEED_PLAN_DOCUMENT.read_bytes(), content_type="text/plain")
    preview = client.post(reverse("actions:plan_import"), {"document": upload})
    assert 'name="start_year"' in preview.content.decode()  # empty: the seed states no period

    for years, error in [
        (
            {"start_year": "2023", "end_year": "2019"},
            "L’année de fin (2019) précède l’année de début (2023).",
        ),
        ({"start_year": "2023", "end_year": ""}, "Indiquez l’année de début et l’année de fin"),
    ]:
        response = client.post(
            reverse("actions:plan_import_confirm"), {"fingerprint": preview.context["fingerprint"], **years}
        )
        assert response.status_code == 200
        assert error in response.content.decode()
        assert Plan.objects.count() == 0

    # The preview is still there: confirming with a period in order goes through.
    response = client.post(
        reverse("actions:plan_import_confirm"),
        {"fingerprint": preview.context["fingerprint"], "start_year": "2019", "end_year": "2023"},
    )
    assert response.status_code == 302
    assert Plan.objects.values_list("start_year", "end_year").get() == (2019, 2023)


def test_an_import_through_the_pages_is_recorded_as_its_author(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("projet.txt", settings.SEED_PLAN_DOCUMENT.read_bytes(), content_type="text/plain")
    preview = client.post(reverse("actions:plan_import"), {"document": upload})
    client.post(reverse("actions:plan_import_confirm"), {"fingerprint": preview.context["fingerprint"]})

    for model in (Plan, Chapter, Axis, Objective, Action):
        records = model.history.all()
        assert records.exists()
        assert {(record.history_type, record.history_user_id) for record in records} == {("+", staff_user.pk)}


def test_import_refuses_a_bad_file_with_a_french_message(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = client.post(reverse("actions:plan_import"), {"document": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert Plan.objects.count() == 0


def test_confirming_without_a_preview_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("actions:plan_import_confirm"), {"fingerprint": "forged"}, follow=True)
    assert "L’aperçu a expiré" in response.content.decode()
    assert Plan.objects.count() == 0
