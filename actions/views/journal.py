"""What staff add to an action from its page: journal entries, milestones, partners, continuity."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from actions import selectors
from actions.forms import (
    ActionPartnerForm,
    ContinuationForm,
    MilestoneForm,
    UpdateForm,
)
from actions.models import Action, ActionPartner, Continuation, Milestone
from actions.services import journal as journal_services
from actions.views.actions import EDIT_ACTIONS, _action_page, _back_to
from axes.models import Plan


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def update_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = UpdateForm(request.POST, action=action)
    if form.is_valid():
        try:
            journal_services.update_create(action=action, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Entrée ajoutée au suivi.")
            return _back_to(action_pk, "#suivi")
    return _action_page(request, action_pk, update_form=form)


def _progress_after_milestones_changed(action: Action, *, drove: bool) -> str:
    """What the action's progress is now that its milestones changed: said, never changed silently.
    `drove`: whether the milestones drove the progress before the change."""
    action.refresh_from_db(fields=["progress", "progress_follows_milestones", "status"])
    entered = "non renseigné" if action.progress is None else f"{action.progress} %"
    if action.milestones_drive_progress():
        reached, total = selectors.milestones_reached(action)
        share = f"{reached} sur {total} atteint{'s' if total > 1 else ''}, soit {round(100 * reached / total)} %"
        if drove:
            return f"L’avancement suit les jalons : {share}."
        instead = f", au lieu des {action.progress} % saisis" if action.progress is not None else ""
        return (
            f"L’avancement de l’action suit désormais ses jalons ({share}{instead}). Pour garder un chiffre "
            "saisi à la main, choisissez « Saisir l’avancement à la main » sous l’avancement."
        )
    if drove:
        return f"L’action n’a plus de jalon : son avancement revient au chiffre saisi à la main ({entered})."
    if not action.progress_follows_milestones:
        return f"L’avancement reste celui saisi à la main ({entered}) : les jalons ne le changent pas."
    return ""


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        drove = action.milestones_drive_progress()
        journal_services.milestone_create(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, f"Jalon ajouté. {_progress_after_milestones_changed(action, drove=drove)}".strip())
        return _back_to(action_pk, "#jalons")
    return _action_page(request, action_pk, milestone_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_toggle(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(action__deleted_at__isnull=True), pk=pk)
    drove = milestone.action.milestones_drive_progress()
    journal_services.milestone_set_done(milestone=milestone, done=not milestone.done, user=request.user)
    state = "atteint" if milestone.done else "non atteint"
    note = _progress_after_milestones_changed(milestone.action, drove=drove)
    messages.success(request, f"Jalon « {milestone.title} » marqué {state}. {note}".strip())
    return _back_to(milestone.action_id, "#jalons")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def milestone_delete(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(action__deleted_at__isnull=True), pk=pk)
    action = milestone.action
    drove = action.milestones_drive_progress()
    journal_services.milestone_delete(milestone=milestone, user=request.user)
    messages.success(request, f"Jalon supprimé. {_progress_after_milestones_changed(action, drove=drove)}".strip())
    return _back_to(action.pk, "#jalons")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def partner_add(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    form = ActionPartnerForm(request.POST)
    if form.is_valid():
        journal_services.action_partner_set(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, "Partenaire enregistré.")
        return _back_to(action_pk, "#partenaires")
    return _action_page(request, action_pk, partner_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def partner_remove(request, pk: int):
    link = get_object_or_404(ActionPartner.objects.filter(action__deleted_at__isnull=True), pk=pk)
    journal_services.action_partner_remove(link=link, user=request.user)
    messages.success(request, "Partenaire retiré de l’action.")
    return _back_to(link.action_id, "#partenaires")


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def continuation_create(request, action_pk: int):
    action = get_object_or_404(Action, pk=action_pk)
    current = Plan.objects.current()
    form = ContinuationForm(
        request.POST,
        objectives=selectors.objectives_of_plan(current.pk if current else 0),
    )
    if form.is_valid():
        try:
            journal_services.continuation_set(previous_action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Suite enregistrée.")
            return _back_to(action_pk, "#suites")
    return _action_page(request, action_pk, continuation_form=form)


@require_POST
@permission_required(EDIT_ACTIONS, raise_exception=True)
def continuation_delete(request, pk: int):
    link = get_object_or_404(Continuation, pk=pk)
    journal_services.continuation_delete(continuation=link, user=request.user)
    messages.success(request, "Lien retiré.")
    return _back_to(link.previous_action_id, "#suites")
