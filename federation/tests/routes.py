"""The permission matrix's data: every route, the access it needs per method, how to build its URL.

Read by the permission matrix, the query-discipline test and the form fuzzer (never a test module
itself, so no test module imports another).
"""

from django.urls import URLPattern, URLResolver, get_resolver

from axes.models import Axis
from network.models import Partner

PUBLIC = "public"
READER = "reader"  # the three roles and superusers
STAFF = "staff"  # « Équipe fédérale » and superusers
NOT_ALLOWED = "not_allowed"  # method refused for everyone (405), anonymous sent to login
REPORTER = "reporter"  # staff, every director, superusers (indicator values)
OWN_STRUCTURE = "own_structure"  # staff, superusers, and the director of the object's structure (structure_a)
SUPERUSER = "superuser"  # administrators only (emptying the trash)
AUTHENTICATED = "authenticated"  # anyone logged in, with or without a role (help)
AUTHOR = "author"  # the comment's author only
PUBLIC_READ_ONLY = "public_read_only"  # the public space and open API (issue 17): anyone reads, nobody writes

ROLES = ["anonymous", "roleless", "board", "director_a", "director_b", "staff", "superuser"]

EXPECTED = {
    PUBLIC: dict.fromkeys(ROLES, "ok"),
    READER: {**dict.fromkeys(ROLES, "ok"), "anonymous": "login", "roleless": 403},
    STAFF: {**dict.fromkeys(ROLES, 403), "anonymous": "login", "staff": "ok", "superuser": "ok"},
    NOT_ALLOWED: {**dict.fromkeys(ROLES, 405), "anonymous": "login"},
    REPORTER: {**dict.fromkeys(ROLES, "ok"), "anonymous": "login", "roleless": 403, "board": 403},
    OWN_STRUCTURE: {
        **dict.fromkeys(ROLES, 403),
        "anonymous": "login",
        "director_a": "ok",
        "staff": "ok",
        "superuser": "ok",
    },
    SUPERUSER: {**dict.fromkeys(ROLES, 403), "anonymous": "login", "superuser": "ok"},
    AUTHENTICATED: {**dict.fromkeys(ROLES, "ok"), "anonymous": "login"},
    # Issue 5: only the comment's author (director_a wrote it, less than an hour ago).
    AUTHOR: {**dict.fromkeys(ROLES, 403), "anonymous": "login", "director_a": "ok"},
    PUBLIC_READ_ONLY: dict.fromkeys(ROLES, 405),
}


def first_axis(world):
    axis = Axis.objects.for_plan(world["plan"]).first()
    return {"pk": axis.pk, "slug": axis.slug}


def plan_object(kind, status=None):
    """A kwargs builder for the first object of a kind in the test world's plan."""

    def build(world):
        from actions.models import Action, ActionPartner, Continuation, Milestone
        from axes.models import Objective

        plan = world["plan"]
        axis = Axis.objects.for_plan(plan).first()
        objective = Objective.objects.filter(axis__chapter__plan=plan).first()
        action = Action.objects.filter(axis__chapter__plan=plan, status=status or Action.Status.IN_PROGRESS).first()
        if kind == "chapter":
            return {"pk": axis.chapter_id}
        if kind == "chapter_parent":
            return {"chapter_pk": axis.chapter_id}
        if kind == "plan_parent":
            return {"plan_pk": plan.pk}
        if kind == "axis":
            return {"pk": axis.pk}
        if kind == "axis_parent":
            return {"axis_pk": axis.pk}
        if kind == "objective":
            return {"pk": objective.pk}
        if kind == "action":
            return {"pk": action.pk}
        if kind == "action_parent":
            return {"action_pk": action.pk}
        if kind == "milestone":
            return {"pk": Milestone.objects.create(action=action, title="Jalon").pk}
        if kind == "partner_link":
            return {"pk": ActionPartner.objects.filter(action__axis__chapter__plan=plan).first().pk}
        if kind == "continuation":
            link = Continuation.objects.create(previous_action=action, objective=objective, outcome="continued")
            return {"pk": link.pk}
        if kind == "move":
            return {"model": "axis", "pk": axis.pk, "direction": "down"}
        if kind == "history":
            return {"model": "axis", "pk": axis.pk}
        if kind == "history_restore":
            return {"model": "axis", "pk": axis.pk, "history_id": axis.history.earliest("history_date").history_id}
        if kind == "delete":
            return {"model": "objective", "pk": objective.pk}
        if kind == "trashed":
            Objective.objects.filter(pk=objective.pk).update(deleted_at="2024-01-01T00:00:00Z")
            return {"model": "objective", "pk": objective.pk}
        raise ValueError(kind)

    return build


def board_report(world):
    """A stored report to the board (its PDF a few bytes: the matrix tests access, not WeasyPrint)."""
    import datetime
    import hashlib

    from django.core.files.base import ContentFile

    from board.models import BoardMeeting, BoardReport

    meeting, _ = BoardMeeting.objects.get_or_create(date=datetime.date(2026, 11, 30))
    report = BoardReport(meeting=meeting, plan=world["plan"], status=BoardReport.Status.DONE, progress=100)
    report.sha256 = hashlib.sha256(b"%PDF-matrice").hexdigest()
    report.file.save("matrice.pdf", ContentFile(b"%PDF-matrice"), save=False)
    report.save()
    return {"pk": report.pk}


def own_notification(world):
    """A notification addressed to director_a (only they may mark it read)."""
    from notifications.services import Event, notify

    user = world["users"]["director_a"]
    [notification] = notify(recipients=[user], event=Event(kind="comment", key="matrix", title="Matrice"))
    return {"pk": notification.pk}


def indicator_object(kind):
    """A kwargs builder for an indicator, or a draft value of structure_a with a proof file."""

    def build(world):
        from django.core.files.base import ContentFile

        from indicators.models import Indicator, Measurement

        indicator = Indicator.objects.create(code="matrice", name="Indicateur de la matrice")
        if kind == "indicator":
            return {"pk": indicator.pk}
        measurement = Measurement(indicator=indicator, period="2024", value=1, structure=world["structure_a"])
        measurement.evidence.save("matrice.txt", ContentFile(b"preuve"), save=False)
        measurement.save()
        return {"pk": measurement.pk}

    return build


def network_object(kind):
    """A kwargs builder for the network's objects: structure_a's values, participation, comments."""

    def build(world):
        from actions.models import Action, Participation
        from actions.services.comments import comment_post
        from axes.models import Objective
        from indicators.models import Indicator, Measurement

        structure = world["structure_a"]
        action = Action.objects.filter(axis__chapter__plan=world["plan"], status=Action.Status.IN_PROGRESS).first()
        if kind == "structure":
            return {"pk": structure.pk}
        if kind == "territory":
            return {"pk": structure.territory_id}
        if kind == "entry":
            indicator = Indicator.objects.create(code="matrice-centre", name="Indicateur de la matrice")
            return {"pk": structure.pk, "indicator_pk": indicator.pk, "period": "2024"}
        if kind == "measurement":
            indicator = Indicator.objects.create(code="matrice-centre", name="Indicateur de la matrice")
            measurement = Measurement.objects.create(indicator=indicator, period="2024", value=1, structure=structure)
            return {"pk": measurement.pk}
        if kind == "participation":
            participation = Participation.objects.create(action=action, structure=structure, contribution="x")
            return {"pk": participation.pk}
        if kind == "comment":
            return {"pk": comment_post(user=world["users"]["director_a"], text="x", action=action).pk}
        if kind == "action":
            return {"pk": action.pk}
        if kind == "objective":
            return {"pk": Objective.objects.filter(axis__chapter__plan=world["plan"]).first().pk}
        raise ValueError(kind)

    return build


def published(kind):
    """A kwargs builder for an object the public space shows: published by staff (issue 17)."""

    def build(world):
        from django.utils import timezone

        from actions.models import Action
        from axes.models import Objective
        from indicators.models import Indicator, Measurement

        plan = world["plan"]
        axis = Axis.objects.for_plan(plan).first()
        Axis.objects.filter(pk=axis.pk).update(is_published=True)
        if kind == "axis":
            return {"pk": axis.pk, "slug": axis.slug}
        if kind == "axis_pk":
            return {"pk": axis.pk}
        if kind == "plan":
            return {"pk": plan.pk}
        if kind == "objective":
            objective = Objective.objects.filter(axis=axis).first()
            Objective.objects.filter(pk=objective.pk).update(is_published=True)
            return {"pk": objective.pk}
        if kind == "action":
            action = Action.objects.filter(axis=axis).first()
            Action.objects.filter(pk=action.pk).update(is_published=True)
            return {"pk": action.pk}
        indicator = Indicator.objects.create(code="matrice-public", name="Indicateur publié", is_published=True)
        if kind == "indicator":
            return {"pk": indicator.pk}
        if kind == "structure_value":
            indicator.published_structures.add(world["structure_a"])
            value = Measurement.objects.create(
                indicator=indicator,
                period="2024",
                value=3,
                structure=world["structure_a"],
                status=Measurement.Status.VALIDATED,
                validated_at=timezone.now(),
            )
            return {"pk": value.pk}
        raise ValueError(kind)

    return build


def publication_staff_object(kind):
    def build(world):
        from indicators.models import Indicator
        from publication.services import partner_token_create

        if kind == "indicator":
            return {"pk": Indicator.objects.create(code="matrice-publication", name="Indicateur").pk}
        token, _key = partner_token_create(name="Caf de la matrice", user=world["users"]["staff"])
        return {"pk": token.pk}

    return build


# Routes anyone may read without logging in; test_permission_matrix holds this list to the routes
# declared PUBLIC or PUBLIC_READ_ONLY, so that opening a route to anonymous visitors is a choice.
OPEN_TO_ANONYMOUS = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "password_reset_confirm",
    "logout",
    "health",
    "publication:home",
    "publication:summary",
    "publication:axis_detail",
    "publication:data_dictionary",
    "publication:data_export",
    "publication:api_schema",
    "publication:api_docs",
    "publication:api_plan-list",
    "publication:api_plan-detail",
    "publication:api_axis-list",
    "publication:api_axis-detail",
    "publication:api_objective-list",
    "publication:api_objective-detail",
    "publication:api_action-list",
    "publication:api_action-detail",
    "publication:api_indicator-list",
    "publication:api_indicator-detail",
    "publication:api_value-list",
    "publication:api_structure_value-list",
    "publication:api_structure_value-detail",
    "network:invitation_accept",  # issue 14: the invited person has no password yet; the signed link is the key
}


def people_object(kind):
    """A kwargs builder for an invited director of structure_a nobody else uses (issue 14)."""

    def build(world):
        from network.services import invitation_token, person_invite

        invitation = person_invite(
            user=world["users"]["superuser"],
            email="matrice-invitee@example.org",
            first_name="Invitée",
            last_name="Matrice",
            role="director",
            structures=[world["structure_a"]],
            site_url="http://testserver/",
        )
        if kind == "person":
            return {"pk": invitation.user_id}
        if kind == "attachment":
            return {"pk": invitation.user_id, "structure_pk": world["structure_a"].pk}
        if kind == "token":
            return {"token": invitation_token(invitation)}
        raise ValueError(kind)

    return build


def throwaway_account(world):
    """An account nobody else uses, for the anonymisation's route."""
    from django.contrib.auth import get_user_model

    return {"pk": get_user_model().objects.create_user("matrice-a-anonymiser").pk}


# url name -> (kwargs builder or None, {method: access level})
ROUTES = {
    "login": (None, {"get": PUBLIC}),
    "password_reset": (None, {"get": PUBLIC}),
    "password_reset_done": (None, {"get": PUBLIC}),
    "password_reset_complete": (None, {"get": PUBLIC}),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "jeton-invalide"}, {"get": PUBLIC}),
    "logout": (None, {"post": PUBLIC}),
    "health": (None, {"get": PUBLIC}),
    "help": (None, {"get": AUTHENTICATED, "post": NOT_ALLOWED}),
    "search": (None, {"get": READER, "post": NOT_ALLOWED}),
    "exchange_index": (None, {"get": READER, "post": NOT_ALLOWED}),
    "exchange_export": (lambda w: {"kind": "actions", "fmt": "xlsx"}, {"get": READER, "post": NOT_ALLOWED}),
    "exchange_import": (lambda w: {"kind": "partenaires"}, {"get": STAFF, "post": STAFF}),
    "exchange_import_confirm": (lambda w: {"kind": "partenaires"}, {"get": NOT_ALLOWED, "post": STAFF}),
    # Issue 18: the searchable choices' JSON endpoints (federation/autocomplete.py)
    "autocomplete_structures": (None, {"get": READER, "post": NOT_ALLOWED}),
    "autocomplete_partners": (None, {"get": READER, "post": NOT_ALLOWED}),
    "autocomplete_actions": (None, {"get": READER, "post": NOT_ALLOWED}),
    "autocomplete_people": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "autocomplete_accounts": (None, {"get": SUPERUSER, "post": NOT_ALLOWED}),  # the audit's « Personne »
    "actions:plan_current": (None, {"get": READER, "post": NOT_ALLOWED}),
    "actions:plan_detail": (lambda w: {"pk": w["plan"].pk}, {"get": READER, "post": NOT_ALLOWED}),
    "actions:plan_export": (lambda w: {"pk": w["plan"].pk, "fmt": "docx"}, {"get": READER, "post": NOT_ALLOWED}),
    "actions:axis_detail": (first_axis, {"get": READER, "post": NOT_ALLOWED}),
    "actions:axis_links_update": (plan_object("axis"), {"get": STAFF, "post": STAFF}),
    "actions:plan_import": (None, {"get": STAFF, "post": STAFF}),
    "actions:plan_import_confirm": (None, {"post": STAFF}),
    "indicators:indicator_list": (None, {"get": READER, "post": NOT_ALLOWED}),
    "indicators:indicator_detail": (indicator_object("indicator"), {"get": READER, "post": NOT_ALLOWED}),
    "indicators:measurement_create": (indicator_object("indicator"), {"get": REPORTER, "post": REPORTER}),
    "indicators:measurement_review": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "indicators:measurements_validate": (None, {"get": NOT_ALLOWED, "post": STAFF}),
    "indicators:measurement_import": (None, {"get": STAFF, "post": STAFF}),
    "indicators:measurement_import_confirm": (None, {"post": STAFF}),
    "indicators:observatory_import": (None, {"get": STAFF, "post": STAFF}),
    "indicators:observatory_import_confirm": (None, {"get": NOT_ALLOWED, "post": STAFF}),
    "indicators:measurement_submit": (indicator_object("measurement"), {"get": NOT_ALLOWED, "post": OWN_STRUCTURE}),
    "indicators:measurement_validate": (indicator_object("measurement"), {"get": NOT_ALLOWED, "post": STAFF}),
    "indicators:measurement_return": (indicator_object("measurement"), {"get": NOT_ALLOWED, "post": STAFF}),
    "indicators:measurement_evidence": (indicator_object("measurement"), {"get": OWN_STRUCTURE, "post": NOT_ALLOWED}),
    "board:dashboard": (None, {"get": READER, "post": NOT_ALLOWED}),
    "board:changes": (None, {"get": READER, "post": NOT_ALLOWED}),
    "board:board_meeting_create": (None, {"get": STAFF, "post": STAFF}),
    "board:report": (None, {"get": READER, "post": NOT_ALLOWED}),
    "board:report_list": (None, {"get": READER, "post": NOT_ALLOWED}),
    "board:report_create": (None, {"get": NOT_ALLOWED, "post": STAFF}),
    "board:report_detail": (board_report, {"get": READER, "post": NOT_ALLOWED}),
    "board:report_download": (board_report, {"get": READER, "post": NOT_ALLOWED}),
    "actions:objective_detail": (plan_object("objective"), {"get": READER, "post": NOT_ALLOWED}),
    "axes:objective_fragment": (plan_object("objective"), {"get": READER, "post": NOT_ALLOWED}),
    "axes:plan_create": (None, {"get": STAFF, "post": STAFF}),
    "axes:plan_update": (lambda w: {"pk": w["plan"].pk}, {"get": STAFF, "post": STAFF}),
    "axes:chapter_create": (plan_object("plan_parent"), {"get": STAFF, "post": STAFF}),
    "axes:chapter_update": (plan_object("chapter"), {"get": STAFF, "post": STAFF}),
    "axes:axis_create": (plan_object("chapter_parent"), {"get": STAFF, "post": STAFF}),
    "axes:axis_update": (plan_object("axis"), {"get": STAFF, "post": STAFF}),
    "axes:objective_create": (plan_object("axis_parent"), {"get": STAFF, "post": STAFF}),
    "axes:objective_update": (plan_object("objective"), {"get": STAFF, "post": STAFF}),
    "axes:plan_object_move": (plan_object("move"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:action_list": (None, {"get": READER, "post": NOT_ALLOWED}),
    "actions:action_export": (lambda w: {"fmt": "csv"}, {"get": READER, "post": NOT_ALLOWED}),
    "actions:action_create": (plan_object("axis_parent"), {"get": STAFF, "post": STAFF}),
    "actions:action_detail": (plan_object("action"), {"get": READER, "post": NOT_ALLOWED}),
    "actions:action_update": (plan_object("action"), {"get": STAFF, "post": STAFF}),
    "actions:action_promote": (plan_object("action", "lead"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:action_progress_switch": (plan_object("action"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:update_create": (plan_object("action_parent"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:milestone_create": (plan_object("action_parent"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:milestone_toggle": (plan_object("milestone"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:milestone_delete": (plan_object("milestone"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:partner_add": (plan_object("action_parent"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:partner_remove": (plan_object("partner_link"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:continuation_create": (plan_object("action_parent", "previous_plan"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:continuation_delete": (plan_object("continuation", "previous_plan"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:object_history": (plan_object("history"), {"get": READER, "post": NOT_ALLOWED}),
    "actions:object_history_restore": (plan_object("history_restore"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:object_delete": (plan_object("delete"), {"get": STAFF, "post": STAFF}),
    "actions:trash_list": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "actions:trash_restore": (plan_object("trashed"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:trash_empty": (None, {"get": NOT_ALLOWED, "post": SUPERUSER}),
    # Issue 5: the network, « Mon centre », participation, comments
    "centres:territory_list": (None, {"get": READER, "post": NOT_ALLOWED}),
    "centres:territory_detail": (network_object("territory"), {"get": READER, "post": NOT_ALLOWED}),
    "centres:structure_list": (None, {"get": READER, "post": NOT_ALLOWED}),
    "centres:structure_detail": (network_object("structure"), {"get": READER, "post": NOT_ALLOWED}),
    "centres:centre_home": (None, {"get": REPORTER, "post": NOT_ALLOWED}),
    "centres:centre_detail": (network_object("structure"), {"get": OWN_STRUCTURE, "post": NOT_ALLOWED}),
    "centres:measurement_edit": (network_object("entry"), {"get": OWN_STRUCTURE, "post": OWN_STRUCTURE}),
    "centres:measurement_submit": (network_object("measurement"), {"get": NOT_ALLOWED, "post": OWN_STRUCTURE}),
    "centres:reporting_rate": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "centres:reminder_preview": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "centres:reminder_send": (None, {"get": NOT_ALLOWED, "post": STAFF}),
    "centres:participation_list": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "centres:participation_propose": (None, {"get": REPORTER, "post": REPORTER}),
    "centres:participation_decide": (network_object("participation"), {"get": NOT_ALLOWED, "post": STAFF}),
    "actions:action_comment_create": (network_object("action"), {"get": NOT_ALLOWED, "post": READER}),
    "actions:objective_comment_create": (network_object("objective"), {"get": NOT_ALLOWED, "post": READER}),
    "actions:comment_edit": (network_object("comment"), {"get": AUTHOR, "post": AUTHOR}),
    "actions:action_follow": (network_object("action"), {"get": NOT_ALLOWED, "post": READER}),
    "actions:objective_follow": (network_object("objective"), {"get": NOT_ALLOWED, "post": READER}),
    # Issue 14: « Mes notifications », each person their own.
    "notifications:notification_list": (None, {"get": AUTHENTICATED, "post": NOT_ALLOWED}),
    "notifications:notification_read": (own_notification, {"get": NOT_ALLOWED, "post": AUTHOR}),
    "notifications:notifications_read_all": (None, {"get": NOT_ALLOWED, "post": AUTHENTICATED}),
    "notifications:preferences": (None, {"get": AUTHENTICATED, "post": AUTHENTICATED}),
    "actions:comment_moderate": (network_object("comment"), {"get": NOT_ALLOWED, "post": STAFF}),
    # Issue 16: the audit and a person's data, administrators only
    "audit": (None, {"get": SUPERUSER, "post": NOT_ALLOWED}),
    "audit_person_export": (lambda w: {"pk": w["users"]["director_a"].pk}, {"get": SUPERUSER, "post": NOT_ALLOWED}),
    "audit_person_anonymise": (throwaway_account, {"get": SUPERUSER, "post": SUPERUSER}),
    # Issue 17: the public space, open data and the read-only API; staff choose what is published
    "publication:home": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:summary": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:axis_detail": (published("axis"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:data_dictionary": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:data_export": (
        lambda w: {"dataset": "actions", "fmt": "csv"},
        {"get": PUBLIC, "post": PUBLIC_READ_ONLY},
    ),
    "publication:api_schema": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_docs": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_plan-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_plan-detail": (published("plan"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_axis-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_axis-detail": (published("axis_pk"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_objective-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_objective-detail": (published("objective"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_action-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_action-detail": (published("action"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_indicator-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_indicator-detail": (published("indicator"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_value-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_structure_value-list": (None, {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:api_structure_value-detail": (published("structure_value"), {"get": PUBLIC, "post": PUBLIC_READ_ONLY}),
    "publication:publication_overview": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "publication:indicator_publication": (publication_staff_object("indicator"), {"get": STAFF, "post": STAFF}),
    "publication:token_list": (None, {"get": STAFF, "post": STAFF}),
    "publication:token_revoke": (publication_staff_object("token"), {"get": NOT_ALLOWED, "post": STAFF}),
    # Issue 14: people, for staff; the invited person's own page to choose a password
    "network:person_list": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "network:person_invite": (None, {"get": STAFF, "post": STAFF}),
    "network:person_detail": (people_object("person"), {"get": STAFF, "post": NOT_ALLOWED}),
    "network:person_attach": (people_object("person"), {"get": NOT_ALLOWED, "post": STAFF}),
    "network:person_detach": (people_object("attachment"), {"get": NOT_ALLOWED, "post": STAFF}),
    "network:person_set_active": (people_object("person"), {"get": NOT_ALLOWED, "post": STAFF}),
    "network:invitation_resend": (people_object("person"), {"get": NOT_ALLOWED, "post": STAFF}),
    "network:invitation_revoke": (people_object("person"), {"get": NOT_ALLOWED, "post": STAFF}),
    "network:invitation_accept": (people_object("token"), {"get": PUBLIC, "post": PUBLIC}),
    # Issue 14: structures, territories and partners, for staff
    "network:structure_create": (None, {"get": STAFF, "post": STAFF}),
    "network:structure_edit": (network_object("structure"), {"get": STAFF, "post": STAFF}),
    "network:territory_create": (None, {"get": STAFF, "post": STAFF}),
    "network:territory_edit": (network_object("territory"), {"get": STAFF, "post": STAFF}),
    "actions:partner_list": (None, {"get": STAFF, "post": NOT_ALLOWED}),
    "actions:partner_merge": (
        lambda w: {"pk": Partner.objects.create(name="Caf de la matrice").pk},
        {"get": STAFF, "post": STAFF},
    ),
    # Issue 14: indicators' definitions, targets and classification lists, for staff
    "indicators:indicator_create": (None, {"get": STAFF, "post": STAFF}),
    "indicators:indicator_edit": (indicator_object("indicator"), {"get": STAFF, "post": STAFF}),
    "indicators:indicator_archive": (indicator_object("indicator"), {"get": NOT_ALLOWED, "post": STAFF}),
    "indicators:target_grid": (indicator_object("indicator"), {"get": STAFF, "post": STAFF}),
    "indicators:classification_list": (lambda w: {"kind": "chaine-de-valeur"}, {"get": STAFF, "post": STAFF}),
}


def iter_route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue  # Django's admin has its own, tested, permission system
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
