"""Staff edit the plan from its pages; readers see no edit control and their forged requests change nothing."""

import re

import pytest
from django.urls import reverse

from actions.models import Action, Milestone, Update
from actions.tests.factories import ActionFactory
from axes.models import Axis, Chapter, Objective, Plan
from axes.tests.factories import AxisFactory, ObjectiveFactory
from toolkit.french import french_spacing

pytestmark = pytest.mark.django_db

READERS = ["director_user", "board_user"]


def axis_url(axis):
    return reverse("actions:axis_detail", args=[axis.pk, axis.slug])


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_pages_without_edit_controls(client, seeded_plan, role, request):
    client.force_login(request.getfixturevalue(role))
    axis = Axis.objects.for_plan(seeded_plan).first()
    action = Action.objects.filter(status=Action.Status.LEAD).first()
    for url in [
        reverse("actions:plan_detail", args=[seeded_plan.pk]),
        axis_url(axis),
        reverse("actions:action_detail", args=[action.pk]),
        reverse("actions:objective_detail", args=[axis.objectives.first().pk]),
    ]:
        content = client.get(url).content.decode()
        assert "Modifier" not in content and "Supprimer" not in content and "Retenir" not in content
        assert "hx-get" not in content and "Ajouter" not in content


def test_staff_see_edit_controls(client, seeded_plan, staff_user):
    client.force_login(staff_user)
    axis = Axis.objects.for_plan(seeded_plan).first()
    content = client.get(axis_url(axis)).content.decode()
    assert "Modifier l’axe" in content
    assert reverse("axes:objective_update", args=[axis.objectives.first().pk]) in content


@pytest.mark.parametrize("role", READERS)
def test_forged_posts_from_readers_are_refused_and_change_nothing(client, seeded_plan, role, request):
    client.force_login(request.getfixturevalue(role))
    axis = Axis.objects.for_plan(seeded_plan).first()
    objective = axis.objectives.first()
    action = Action.objects.filter(status=Action.Status.IN_PROGRESS).first()
    lead = Action.objects.filter(status=Action.Status.LEAD).first()
    attempts = [
        (reverse("axes:axis_update", args=[axis.pk]), {"title": "Piraté", "version": axis.version}),
        (reverse("axes:objective_update", args=[objective.pk]), {"text": "Piraté", "version": 1}),
        (reverse("actions:update_create", args=[action.pk]), {"text": "x", "new_status": "done"}),
        (reverse("actions:action_promote", args=[lead.pk]), {}),
        (reverse("actions:object_delete", args=["objective", objective.pk]), {}),
        (reverse("axes:plan_object_move", args=["axis", axis.pk, "down"]), {}),
        (reverse("actions:milestone_create", args=[action.pk]), {"title": "x"}),
        (reverse("axes:plan_create"), {"title": "Nouveau", "status": "draft"}),
    ]
    history_before = Axis.history.count() + Objective.history.count() + Action.history.count()
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    axis.refresh_from_db()
    objective.refresh_from_db()
    action.refresh_from_db()
    lead.refresh_from_db()
    assert axis.title != "Piraté" and objective.text != "Piraté"
    assert action.status == Action.Status.IN_PROGRESS and lead.status == Action.Status.LEAD
    assert not Update.objects.exists() and not Milestone.objects.exists()
    assert Plan.objects.count() == 1
    assert Axis.history.count() + Objective.history.count() + Action.history.count() == history_before


def test_staff_create_a_plan_chapter_axis_objective_and_action(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("axes:plan_create"),
        {"title": "Projet 2027-2031", "start_year": 2027, "end_year": 2031, "status": "draft"},
    )
    plan = Plan.objects.get()
    assert response.url == reverse("actions:plan_detail", args=[plan.pk])
    client.post(reverse("axes:chapter_create", args=[plan.pk]), {"title": "Chapitre un"})
    chapter = Chapter.objects.get()
    response = client.post(
        reverse("axes:axis_create", args=[chapter.pk]), {"title": "Jeunesse", "context": "→ un point", "stakes": ""}
    )
    axis = Axis.objects.get()
    assert axis.slug == "jeunesse" and response.url == axis_url(axis)
    client.post(reverse("axes:objective_create", args=[axis.pk]), {"text": "Mieux accueillir"})
    objective = Objective.objects.get()
    response = client.post(
        reverse("actions:action_create", args=[axis.pk]),
        {"title": "Former les équipes", "status": "planned", "weight": 2, "objectives": [objective.pk]},
    )
    action = Action.objects.get()
    assert response.url == reverse("actions:action_detail", args=[action.pk])
    assert list(action.objectives.all()) == [objective] and action.weight == 2
    assert action.history.get().history_user == staff_user


def test_staff_archive_a_plan_and_edit_with_a_reason(client, staff_user):
    plan = AxisFactory().chapter.plan
    client.force_login(staff_user)
    response = client.post(
        reverse("axes:plan_update", args=[plan.pk]),
        {"title": plan.title, "status": "archived", "version": plan.version, "reason": "Fin du projet"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.status == Plan.Status.ARCHIVED and plan.version == 2
    assert plan.history.first().history_change_reason == "Fin du projet"


def test_reorder_axes(client, staff_user):
    first = AxisFactory(order=1)
    second = AxisFactory(chapter=first.chapter, order=2)
    client.force_login(staff_user)
    client.post(reverse("axes:plan_object_move", args=["axis", second.pk, "up"]))
    assert list(Axis.objects.filter(chapter=first.chapter).order_by("order")) == [second, first]


def test_axis_context_is_markdown_rendered_safely(client, staff_user):
    axis = AxisFactory(context="Un **point fort**.\n→ première puce\n→ seconde puce\n<img src=x onerror=alert(1)>")
    client.force_login(staff_user)
    content = client.get(axis_url(axis)).content.decode()
    assert "<strong>point fort</strong>" in content
    assert "<li>première puce</li>" in content and "<li>seconde puce</li>" in content
    assert "<img" not in content


def test_objective_edited_in_place_with_htmx(client, staff_user):
    objective = ObjectiveFactory(text="Ancien texte")
    client.force_login(staff_user)
    url = reverse("axes:objective_update", args=[objective.pk])
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert "<html" not in form.content.decode() and 'hx-post="' in form.content.decode()
    saved = client.post(url, {"text": "Nouveau texte", "version": 1}, headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert "Nouveau texte" in saved.content.decode() and "<html" not in saved.content.decode()
    objective.refresh_from_db()
    assert objective.text == "Nouveau texte" and objective.version == 2


def test_conflict_keeps_the_second_persons_input_and_shows_the_first_persons_change(client, staff_user):
    axis = AxisFactory(title="Titre", stakes="Enjeux d'origine")
    client.force_login(staff_user)
    url = reverse("axes:axis_update", args=[axis.pk])
    opened = {"title": "Titre", "context": axis.context, "version": 1}
    first = client.post(url, {**opened, "stakes": "Enjeux de Camille"})
    assert first.status_code == 302

    second = client.post(url, {**opened, "stakes": "Enjeux de Dominique"})

    assert second.status_code == 200
    content = second.content.decode()
    assert "pendant que vous le modifiiez" in content
    assert "Enjeux d&#x27;origine" in content and "Enjeux de Camille" in content  # what the other person changed
    assert "Enjeux de Dominique" in content  # the second person's input is kept
    assert Axis.objects.get(pk=axis.pk).stakes == "Enjeux de Camille"
    # Saving again, now knowingly, goes through.
    assert second.context["form"].data["version"] == "2"
    third = client.post(url, dict(second.context["form"].data.items()))
    assert third.status_code == 302
    assert Axis.objects.get(pk=axis.pk).stakes == "Enjeux de Dominique"


def test_inline_conflict_is_shown_in_place(client, staff_user):
    objective = ObjectiveFactory(text="Départ")
    client.force_login(staff_user)
    url = reverse("axes:objective_update", args=[objective.pk])
    client.post(url, {"text": "Version A", "version": 1}, headers={"HX-Request": "true"})
    response = client.post(url, {"text": "Version B", "version": 1}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Modification concurrente" in content and "Version B" in content and "Version A" in content
    assert Objective.objects.get().text == "Version A"


# The action page and its journal


def test_action_page_shows_everything(client, seeded_plan, board_user, staff_user):
    action = Action.objects.filter(partners__name="Fédération ardéchoise des Centres sociaux").first()
    action.lead_person = staff_user
    action.save()
    Milestone.objects.create(action=action, title="Bilan d'étape", due_date="2020-01-01")
    client.force_login(board_user)
    content = client.get(reverse("actions:action_detail", args=[action.pk])).content.decode()
    for text in [
        "En cours",
        "Fédération ardéchoise des Centres sociaux",
        "Bilan d&#x27;étape",
        "(en retard)",
        "Camille Test",
    ]:
        assert text in content
    assert 'role="progressbar"' in content and 'aria-valuenow="0"' in content


def test_journal_entry_moves_the_action_on_and_records_who(client, staff_user):
    action = ActionFactory(status=Action.Status.PLANNED)
    client.force_login(staff_user)
    response = client.post(
        reverse("actions:update_create", args=[action.pk]),
        {"text": "Premier atelier tenu", "new_status": "in_progress", "new_progress": 25},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and action.progress == 25
    entry = action.updates.get()
    assert entry.author == staff_user and entry.old_status == "planned"
    page = client.get(reverse("actions:action_detail", args=[action.pk])).content.decode()
    assert "Planifiée → <strong>En cours</strong>" in page and "Premier atelier tenu" in page


def test_journal_refuses_a_forbidden_move_in_french(client, staff_user):
    action = ActionFactory(status=Action.Status.LEAD)
    client.force_login(staff_user)
    response = client.post(reverse("actions:update_create", args=[action.pk]), {"text": "x", "new_status": "done"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Action.objects.get().status == "lead" and not Update.objects.exists()


def test_lead_becomes_planned_in_one_click(client, staff_user):
    lead = ActionFactory(status=Action.Status.LEAD)
    client.force_login(staff_user)
    client.post(reverse("actions:action_promote", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.status == Action.Status.PLANNED
    assert lead.updates.get().author == staff_user


def test_milestones_drive_the_progress(client, staff_user):
    action = ActionFactory(status=Action.Status.IN_PROGRESS, progress=80)
    client.force_login(staff_user)
    client.post(reverse("actions:milestone_create", args=[action.pk]), {"title": "Étape 1", "due_date": "2030-01-01"})
    client.post(reverse("actions:milestone_create", args=[action.pk]), {"title": "Étape 2"})
    first = action.milestones.get(title="Étape 1")
    client.post(reverse("actions:milestone_toggle", args=[first.pk]))
    response = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert response.context["action"].computed_progress == 50


def test_partner_and_continuation_from_the_action_page(client, seeded_plan, staff_user):
    from network.models import Partner

    previous = Action.objects.filter(status=Action.Status.PREVIOUS_PLAN).first()
    objective = Objective.objects.exclude(axis=previous.axis).first()
    partner = Partner.objects.first()
    client.force_login(staff_user)
    client.post(reverse("actions:partner_add", args=[previous.pk]), {"partner": partner.pk, "role": "co-portage"})
    client.post(
        reverse("actions:continuation_create", args=[previous.pk]),
        {"objective": objective.pk, "outcome": "transformed", "note": "Devenue une formation"},
    )
    assert previous.partner_links.get(partner=partner).role == "co-portage"
    page = client.get(axis_url(objective.axis)).content.decode()
    assert "transformée" in page and "Devenue une formation" in page  # the lineage on the axis page
    assert french_spacing(previous.title)[:30] in page


def test_partner_form_keeps_the_choice_and_says_what_is_wrong(client, seeded_plan, staff_user):
    from network.models import Partner

    action = Action.objects.exclude(status=Action.Status.PREVIOUS_PLAN).first()
    partner = Partner.objects.order_by("name").first()
    client.force_login(staff_user)
    page = client.post(
        reverse("actions:partner_add", args=[action.pk]), {"partner": partner.pk, "role": "x" * 500}
    ).content.decode()

    select = re.search(r'<select name="partner"[^>]*>', page).group()
    assert 'class="form-select"' in select and "required" in select
    assert 'data-autocomplete-url="/autocompletion/partenaires/"' in select  # searched, not listed
    assert f'<option value="{partner.pk}" selected>{partner.name}</option>' in page
    role_input = re.search(r'<input [^>]*id="id_role"[^>]*>', page).group()
    assert 'aria-invalid="true" aria-describedby="id_role_helptext id_role_error"' in role_input
    assert 'class="form-control is-invalid"' in role_input
    assert "<details open><summary>Ajouter un partenaire</summary>" in page
