import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.models import Action, Comment, Participation
from actions.services.comments import comment_edit, comment_moderate, comment_post
from actions.tests.factories import ActionFactory
from axes.tests.factories import ObjectiveFactory
from centres.services import participation_decide, participation_propose
from network.tests.factories import StructureFactory, director_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_centres(db):
    a, b = StructureFactory(name="Centre A"), StructureFactory(name="Centre B")
    return a, b, director_for(a), director_for(b)


def test_director_proposes_staff_accepts_and_the_structure_joins_the_action(two_centres, staff_user):
    a, _b, director_a, _ = two_centres
    action = ActionFactory()
    participation = participation_propose(
        user=director_a,
        action=action,
        structure=a,
        contribution="Ateliers parents-enfants",
    )
    assert participation.status == Participation.Status.PROPOSED
    assert participation.proposed_by == director_a
    assert not action.structures.filter(pk=a.pk).exists()

    participation_decide(user=staff_user, participation=participation, accept=True)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACCEPTED
    assert participation.decided_by == staff_user and participation.decided_at is not None
    assert action.structures.filter(pk=a.pk).exists()


def test_director_cannot_propose_for_another_structure(two_centres):
    _a, b, director_a, _ = two_centres
    with pytest.raises(PermissionDenied):
        participation_propose(user=director_a, action=ActionFactory(), structure=b, contribution="x")
    assert not Participation.objects.exists()


def test_declining_needs_a_reason_and_a_new_proposal_reopens_it(two_centres, staff_user):
    a, _b, director_a, _ = two_centres
    action = ActionFactory()
    participation = participation_propose(user=director_a, action=action, structure=a, contribution="Un")
    with pytest.raises(ValidationError):
        participation_decide(user=staff_user, participation=participation, accept=False)
    participation_decide(
        user=staff_user,
        participation=participation,
        accept=False,
        note="Hors territoire",
    )
    participation.refresh_from_db()
    assert participation.status == Participation.Status.DECLINED
    assert participation.decision_note == "Hors territoire"

    again = participation_propose(user=director_a, action=action, structure=a, contribution="Deux")
    assert again.pk == participation.pk
    assert again.status == Participation.Status.PROPOSED and again.decided_at is None


def test_only_staff_decide(two_centres):
    a, _b, director_a, _ = two_centres
    participation = participation_propose(user=director_a, action=ActionFactory(), structure=a, contribution="x")
    with pytest.raises(PermissionDenied):
        participation_decide(user=director_a, participation=participation, accept=True)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PROPOSED


def test_previous_plan_actions_cannot_be_joined(two_centres):
    a, _b, director_a, _ = two_centres
    action = ActionFactory(status=Action.Status.PREVIOUS_PLAN)
    with pytest.raises(ValidationError):
        participation_propose(user=director_a, action=action, structure=a, contribution="x")


def test_empty_contribution_is_refused(two_centres):
    a, _b, director_a, _ = two_centres
    with pytest.raises(ValidationError):
        participation_propose(user=director_a, action=ActionFactory(), structure=a, contribution="   ")


def test_every_role_comments_and_authors_edit_within_the_hour(board_user, director_user):
    objective = ObjectiveFactory()
    comment = comment_post(user=board_user, text="  Bonne idée  ", objective=objective)
    assert comment.text == "Bonne idée" and comment.author == board_user
    comment_edit(user=board_user, comment=comment, text="Très bonne idée")
    comment.refresh_from_db()
    assert comment.text == "Très bonne idée" and comment.edited_at is not None

    with pytest.raises(PermissionDenied):
        comment_edit(user=director_user, comment=comment, text="Pas la mienne")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comment_edit(user=board_user, comment=comment, text="Trop tard")
    comment.refresh_from_db()
    assert comment.text == "Très bonne idée"


def test_empty_comment_is_refused(director_user):
    with pytest.raises(ValidationError):
        comment_post(user=director_user, text=" \n ", action=ActionFactory())
    assert not Comment.objects.exists()


def test_staff_moderate_and_readers_no_longer_see_hidden_comments(staff_user, board_user, director_user):
    action = ActionFactory()
    comment = comment_post(user=director_user, text="Hors sujet", action=action)
    with pytest.raises(PermissionDenied):
        comment_moderate(user=board_user, comment=comment, hidden=True)
    comment_moderate(user=staff_user, comment=comment, hidden=True)
    assert list(Comment.objects.for_thread(user=board_user, action=action)) == []
    assert list(Comment.objects.for_thread(user=staff_user, action=action)) == [comment]
    assert not comment.editable_by(director_user)
