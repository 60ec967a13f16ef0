"""« À mettre à jour » (issue 14, item 8): in progress and silent for 90 days (a setting), or a
milestone past due; flagged and filtered on the action list."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, Milestone, Update

from .factories import ActionFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def _journal(action, days_ago):
    Update.objects.create(action=action, text="Point d'étape", date=TODAY - datetime.timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("status", "journal_days_ago", "milestone_due_days", "expected"),
    [
        (Action.Status.IN_PROGRESS, 10, None, False),  # written to recently
        (Action.Status.IN_PROGRESS, 89, None, False),
        (Action.Status.IN_PROGRESS, 90, None, True),  # 90 days of silence
        (Action.Status.IN_PROGRESS, None, None, True),  # never written to
        (Action.Status.IN_PROGRESS, 10, -1, True),  # a milestone past due
        (Action.Status.IN_PROGRESS, 10, 0, False),  # due today: not yet late
        (Action.Status.DONE, None, -30, False),  # finished: nothing to update
        (Action.Status.PLANNED, None, None, False),
    ],
)
def test_the_rule(status, journal_days_ago, milestone_due_days, expected):
    action = ActionFactory(status=status)
    if journal_days_ago is not None:
        _journal(action, journal_days_ago)
    if milestone_due_days is not None:
        Milestone.objects.create(
            action=action, title="Bilan", due_date=TODAY + datetime.timedelta(days=milestone_due_days)
        )
    assert Action.objects.to_update(today=TODAY).filter(pk=action.pk).exists() is expected
    assert Action.objects.with_to_update_flag(today=TODAY).get(pk=action.pk).needs_update is expected


def test_a_reached_milestone_is_not_late():
    action = ActionFactory()
    _journal(action, 1)
    Milestone.objects.create(action=action, title="Bilan", due_date=TODAY - datetime.timedelta(days=5), done=True)
    assert not Action.objects.to_update(today=TODAY).exists()


def test_the_delay_is_a_setting(settings):
    settings.ACTIONS_STALE_AFTER_DAYS = 30
    action = ActionFactory()
    _journal(action, 40)
    assert Action.objects.to_update(today=TODAY).filter(pk=action.pk).exists()


def test_action_list_flags_and_filters(client, board_user):
    silent = ActionFactory(title="Action silencieuse")
    lively = ActionFactory(title="Action vivante")
    Update.objects.create(action=lively, text="Ça avance")
    client.force_login(board_user)
    page = client.get(reverse("actions:action_list")).content.decode()
    row = page.split("Action silencieuse")[1].split("</tr>")[0]
    assert "à mettre à jour" in row and "à mettre à jour" not in page.split("Action vivante")[1].split("</tr>")[0]
    filtered = client.get(reverse("actions:action_list"), {"a_mettre_a_jour": "on"}).content.decode()
    assert "Action silencieuse" in filtered and "Action vivante" not in filtered
    assert silent.pk


def test_the_referent_persons_page_lists_their_actions_to_update_first(client, staff_user):
    # Issue 14, item 8: flagged « on its referent person's page » (Gestion › Personnes › the person).
    lively = ActionFactory(title="Action vivante", lead_person=staff_user, order=1)
    Update.objects.create(action=lively, text="Ça avance")
    ActionFactory(title="Action silencieuse", lead_person=staff_user, order=2)
    ActionFactory(title="Action d’un autre", order=0)
    ActionFactory(title="Action terminée", lead_person=staff_user, status=Action.Status.DONE)
    client.force_login(staff_user)
    home = client.get("/aide/").content.decode()
    own_page = reverse("network:person_detail", args=[staff_user.pk])
    assert f'href="{own_page}">Mes actions</a>' in home  # in the user menu
    page = client.get(own_page).content.decode()
    assert "Désactiver le compte" not in page  # read only: staff accounts are the administrators'
    section = page.split('id="actions-referent"')[1]
    assert "2 actions en cours" in section
    assert section.index("Action silencieuse") < section.index("Action vivante")  # to update first
    assert "Action silencieuse</a>" in section.split("à mettre à jour</span>")[0]
    assert "Action d’un autre" not in section and "Action terminée" not in section
    link = f"?lead_person={staff_user.pk}&amp;a_mettre_a_jour=on"
    assert f'{link}"><strong>1 à mettre à jour' in section
    filtered = client.get(reverse("actions:action_list"), {"lead_person": staff_user.pk, "a_mettre_a_jour": "on"})
    assert "Action silencieuse" in filtered.content.decode() and "Action vivante" not in filtered.content.decode()
