"""Synthetic data at the size of a département or of the national network, for benchmarks.

`generate(scale=SCALES["national"])` writes a coherent plan (chapters, axes, objectives,
actions with partners, milestones, journal, participations and comments), a network
(territories, structures with their directors, partners) and indicators with targets and
years of measurements, with their history rows. It writes across every app, so it lives in
the highest one.

Everything it writes is marked so that it can never be mistaken for real data: names and
titles start with « [Démo générée] », indicators carry `is_demo`, accounts are named
`demo-gen-…` and cannot log in (unusable password).

Rows are written with `bulk_create`, history rows with simple_history's
`bulk_history_create`, bypassing the services on purpose: the services check one object at a
time (hundreds of thousands of `full_clean()` calls), and the data here is valid by
construction. The whole generation is one transaction: all or nothing.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Action, ActionPartner, Comment, Continuation, Milestone, Participation, Update
from axes.models import Axis, Chapter, Objective, Plan
from board.models import BoardMeeting
from indicators.models import ImpactDimension, Indicator, Measurement, Target, ValueChainStage
from network import roles
from network.models import Partner, Structure, Territory
from toolkit import aggregates
from toolkit.history import links_into_latest_rows

PREFIX = "[Démo générée]"
USER_PREFIX = "demo-gen-"
INDICATOR_CODE_PREFIX = "demo-gen-"
BATCH = 2000  # rows per INSERT statement (PostgreSQL would otherwise send one huge statement)
FLUSH = 20_000  # measurements kept in memory before they are written


class GenerationRefused(Exception):
    """Raised, with a French message, when generating here would be unsafe."""


@dataclass(frozen=True)
class Scale:
    name: str
    departements: int
    bassins_per_departement: int
    structures: int
    partners: int
    chapters: int
    axes: int
    objectives: int
    actions: int
    participations: int
    indicators: int
    measurements: int
    years: int = 5
    milestones_per_action: int = 2
    updates_per_action: int = 2
    comments: int = 0
    staff_users: int = 8
    board_users: int = 4

    @property
    def territories(self) -> int:
        return self.departements * (1 + self.bassins_per_departement)


SCALES = {
    "departmental": Scale(
        name="departmental",
        departements=1,
        bassins_per_departement=7,
        structures=40,
        partners=25,
        chapters=3,
        axes=10,
        objectives=40,
        actions=300,
        participations=600,
        indicators=30,
        measurements=6_000,
        comments=150,
    ),
    "national": Scale(
        name="national",
        departements=100,
        bassins_per_departement=0,
        structures=4_000,
        partners=300,
        chapters=4,
        axes=12,
        objectives=60,
        actions=3_000,
        participations=20_000,
        indicators=200,
        measurements=400_000,
        comments=1_500,
    ),
}

TOWNS = [
    "Valence",
    "Montélimar",
    "Romans",
    "Crest",
    "Die",
    "Nyons",
    "Pierrelatte",
    "Tain",
    "Livron",
    "Loriol",
    "Saillans",
    "Dieulefit",
    "Buis",
    "Privas",
    "Aubenas",
    "Annonay",
    "Tournon",
    "Lyon",
    "Grenoble",
    "Marseille",
    "Lille",
    "Rennes",
    "Nantes",
    "Bordeaux",
    "Toulouse",
    "Limoges",
    "Besançon",
    "Dijon",
    "Metz",
    "Nancy",
    "Rouen",
    "Caen",
    "Brest",
    "Tours",
    "Orléans",
    "Poitiers",
    "Clermont",
    "Nîmes",
    "Perpignan",
    "Amiens",
    "Reims",
    "Troyes",
    "Angers",
    "Le Mans",
    "Pau",
]
QUARTERS = ["Centre", "Nord", "Sud", "Est", "Ouest", "Les Tilleuls", "La Fontaine", "Le Plateau", "Les Collines"]
FIRST_NAMES = ["Camille", "Nadia", "Julien", "Sophie", "Karim", "Léa", "Thomas", "Aïcha", "Marc", "Inès", "Paul"]
LAST_NAMES = ["Martin", "Bernard", "Benali", "Durand", "Moreau", "Laurent", "Simon", "Michel", "Garcia", "Roux"]
THEMES = [
    "la participation des habitants",
    "le pouvoir d'agir",
    "la jeunesse",
    "le vieillissement",
    "l'accès aux droits",
    "la parentalité",
    "la transition écologique",
    "le numérique",
    "l'insertion",
    "la mobilité",
    "la culture",
    "l'alimentation",
    "le bénévolat",
    "la gouvernance",
]
VERBS = ["Développer", "Soutenir", "Accompagner", "Renforcer", "Expérimenter", "Valoriser", "Former à"]
PARTNER_KINDS = [
    ("Caf", Partner.Kind.CAF),
    ("Conseil départemental", Partner.Kind.COLLECTIVITE),
    ("Ville", Partner.Kind.COLLECTIVITE),
    ("Préfecture", Partner.Kind.ETAT),
    ("Fédération", Partner.Kind.FEDERATION),
    ("Association", Partner.Kind.ASSOCIATION),
    ("Fondation", Partner.Kind.AUTRE),
]
INDICATOR_SUBJECTS = [
    ("Habitants accueillis", "personnes"),
    ("Bénévoles actifs", "bénévoles"),
    ("Heures de bénévolat", "heures"),
    ("Salariés", "ETP"),
    ("Budget de fonctionnement", "€"),
    ("Financements de la Caf", "€"),
    ("Partenaires actifs", "partenaires"),
    ("Actions collectives familles", "actions"),
    ("Jeunes accompagnés", "personnes"),
    ("Habitants au conseil d'administration", "personnes"),
    ("Taux de satisfaction", "%"),
    ("Ateliers numériques", "ateliers"),
]
STATUS_WEIGHTS = [
    (Action.Status.PREVIOUS_PLAN, 10),
    (Action.Status.LEAD, 15),
    (Action.Status.PLANNED, 20),
    (Action.Status.IN_PROGRESS, 35),
    (Action.Status.DONE, 15),
    (Action.Status.ABANDONED, 5),
]
FREQUENCY_WEIGHTS = [
    (Indicator.Frequency.YEARLY, 60),
    (Indicator.Frequency.HALF_YEARLY, 20),
    (Indicator.Frequency.QUARTERLY, 20),
]


@dataclass
class Generated:
    scale: Scale
    plan: Plan
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    staff_username: str = ""

    def summary_lines(self) -> list[str]:
        lines = [f"Données générées ({self.scale.name}) en {self.seconds:.1f} s sur {connection.vendor} :"]
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        lines.append(f"  (étapes : {steps})")
        lines += [f"  {name:<28} {count:>9,}".replace(",", "\u202f") for name, count in self.counts.items()]
        return lines


def generated_plan() -> Plan | None:
    """The latest generated plan, if any."""
    return Plan.all_objects.filter(title__startswith=PREFIX).order_by("-pk").first()


def check_allowed(*, force: bool = False, allow_mixed: bool = False) -> None:
    """Refuse where demo data is not allowed, or next to a real plan, or twice."""
    if not settings.DEMO_DATA_ALLOWED and not force:
        raise GenerationRefused(
            "La génération de données de démonstration est désactivée ici (DEMO_DATA_ALLOWED). "
            "Utilisez --force seulement sur une base jetable."
        )
    if not allow_mixed and Plan.all_objects.exclude(title__startswith=PREFIX).exists():
        raise GenerationRefused(
            "Cette base contient déjà un projet fédéral réel : les données générées s'y mêleraient. "
            "Utilisez une base vide, ou --allow-mixed si c'est voulu."
        )
    if generated_plan() is not None or Structure.objects.filter(name__startswith=PREFIX).exists():
        raise GenerationRefused(
            "Des données générées existent déjà dans cette base : utilisez une base vide "
            "(par exemple DATABASE_URL=sqlite:////tmp/demo.sqlite3 puis migrate)."
        )


def generate(
    *,
    scale: Scale,
    seed: int = 2024,
    force: bool = False,
    allow_mixed: bool = False,
    today: datetime.date | None = None,
) -> Generated:
    """Fill the database with `scale`'s synthetic network, plan and indicators, in one transaction.

    The random draws depend on `today` (days are drawn up to it): the same seed and day give
    the same data set; `today` defaults to the current day."""
    check_allowed(force=force, allow_mixed=allow_mixed)
    started = time.monotonic()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Keep the transaction's pages in memory (256 MB) rather than spilling to the journal.
            cursor.execute("PRAGMA cache_size = -262144")
    with transaction.atomic():
        result = _Generator(scale, random.Random(seed), today or timezone.localdate()).run()
        aggregates.data_changed()  # bulk writes send no save signal
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses on empty tables
    result.seconds = time.monotonic() - started
    return result


def _bulk(model, objs: list, *, user=None, date=None, history: bool = True) -> list:
    """bulk_create `objs`, then their « created » history rows (dated by `_history_date` or `date`)."""
    if not objs:
        return objs
    created = model._base_manager.bulk_create(objs, batch_size=BATCH)
    if history:
        model.history.bulk_history_create(created, batch_size=BATCH, default_user=user, default_date=date)
    return created


MEASUREMENT_COLUMNS = (
    "indicator_id",
    "period",
    "value",
    "text",
    "structure_id",
    "source",
    "comment",
    "evidence",
    "entered_by_id",
    "status",
    "validated_by_id",
    "validated_at",
    "return_comment",
    "created_at",
    "updated_at",
)
ROWS_PER_INSERT = 500  # 15 columns × 500 rows stays under SQLite's 32,766 parameters


def _insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Multi-row INSERTs of already adapted values (no model instances, no RETURNING)."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
    return len(rows)


def _measurement_history(*, indicator_ids: list[int], user) -> None:
    """One « created » history row per generated value, dated when it was validated (or entered)."""
    history = Measurement.history.model
    quote = connection.ops.quote_name
    tracked = [f.attname for f in history.tracked_fields]
    columns = ", ".join(quote(c) for c in tracked)
    placeholders = ", ".join(["%s"] * len(indicator_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} "
            f"({columns}, history_date, history_type, history_user_id, history_change_reason) "
            f"SELECT {columns}, COALESCE(validated_at, created_at), %s, %s, %s "
            f"FROM {quote(Measurement._meta.db_table)} WHERE indicator_id IN ({placeholders})",
            ["+", user.pk, "", *indicator_ids],
        )


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Generator:
    def __init__(self, scale: Scale, rng: random.Random, today: datetime.date):
        self.scale = scale
        self.rng = rng
        self.today = today
        self.last_year = self.today.year
        self.first_year = self.last_year - scale.years + 1
        self.plan_start = datetime.date(self.first_year, 1, 15)
        self.counts: dict[str, int] = {}

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def random_day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        end = min(end, self.today)
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def run(self) -> Generated:
        steps = [self.users, self.network, self.plan, self.actions, self.participations]
        steps += [self.indicators, self.measurements, self.board_meetings]
        timings = {}
        for step in steps:
            started = time.monotonic()
            step()
            timings[step.__name__] = round(time.monotonic() - started, 2)
        # The links were written in bulk, beside history rows that hold none.
        links_into_latest_rows(Action, [action.pk for action in self.actions_list])
        links_into_latest_rows(Indicator, [indicator.pk for indicator in self.indicators_list])
        return Generated(
            scale=self.scale,
            plan=self.plan_obj,
            counts=self.counts,
            timings=timings,
            staff_username=self.staff[0].username,
        )

    # ------------------------------------------------------------------ accounts
    def users(self) -> None:
        User = get_user_model()
        password = make_password(None)  # unusable: generated accounts cannot log in
        s = self.scale

        def person(username: str) -> object:
            return User(
                username=username,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                password=password,
                email=f"{username}@demo.invalid",
            )

        staff = [person(f"{USER_PREFIX}equipe-{i:02d}") for i in range(1, s.staff_users + 1)]
        board = [person(f"{USER_PREFIX}conseil-{i:02d}") for i in range(1, s.board_users + 1)]
        directors = [person(f"{USER_PREFIX}direction-{i:05d}") for i in range(1, s.structures + 1)]
        User.objects.bulk_create(staff + board + directors, batch_size=BATCH)
        self.staff, self.board, self.directors = staff, board, directors
        groups = {group.name: group.pk for group in Group.objects.filter(name__in=roles.ROLES)}
        if len(groups) < len(roles.ROLES):
            roles.sync_groups()
            groups = {group.name: group.pk for group in Group.objects.filter(name__in=roles.ROLES)}
        through = User.groups.through
        memberships = [through(user_id=u.pk, group_id=groups[roles.STAFF]) for u in staff]
        memberships += [through(user_id=u.pk, group_id=groups[roles.BOARD]) for u in board]
        memberships += [through(user_id=u.pk, group_id=groups[roles.DIRECTOR]) for u in directors]
        through.objects.bulk_create(memberships, batch_size=BATCH)
        self.count("comptes", len(staff) + len(board) + len(directors))

    # ------------------------------------------------------------------ network
    def network(self) -> None:
        s, rng = self.scale, self.rng
        user, created = self.staff[0], _aware(self.plan_start - datetime.timedelta(days=30))
        departements = [
            Territory(name=f"{PREFIX} Département {i:03d}", kind=Territory.Kind.DEPARTEMENT)
            for i in range(1, s.departements + 1)
        ]
        _bulk(Territory, departements, user=user, date=created)
        bassins = [
            Territory(name=f"{PREFIX} Bassin {rng.choice(TOWNS)} {d.pk}-{j}", kind=Territory.Kind.BASSIN, parent=d)
            for d in departements
            for j in range(1, s.bassins_per_departement + 1)
        ]
        _bulk(Territory, bassins, user=user, date=created)
        leaves = bassins or departements
        self.count("territoires", len(departements) + len(bassins))

        structures = []
        for i in range(1, s.structures + 1):
            is_evs = rng.random() < 0.4  # about 2,400 centres sociaux for 1,700 EVS nationally
            kind = Structure.Kind.EVS if is_evs else Structure.Kind.CENTRE_SOCIAL
            label = "EVS" if is_evs else "Centre social"
            town = rng.choice(TOWNS)
            structures.append(
                Structure(
                    name=f"{PREFIX} {label} {town} {rng.choice(QUARTERS)} n°{i}",
                    kind=kind,
                    territory=leaves[(i - 1) % len(leaves)],
                    address=f"{rng.randint(1, 120)} rue de la République, {town}",
                    governance=rng.choice(Structure.Governance.values),
                    caf_approval_ends_on=datetime.date(self.last_year + rng.randint(0, 4), rng.randint(1, 12), 1),
                )
            )
        self.structures = _bulk(Structure, structures, user=user, date=created)
        through = Structure.directors.through
        through.objects.bulk_create(
            [through(structure_id=st.pk, user_id=d.pk) for st, d in zip(self.structures, self.directors, strict=True)],
            batch_size=BATCH,
        )
        self.director_of = {st.pk: d.pk for st, d in zip(self.structures, self.directors, strict=True)}
        self.count("structures", len(self.structures))

        partners = []
        for i in range(1, s.partners + 1):
            label, kind = PARTNER_KINDS[i % len(PARTNER_KINDS)]
            partners.append(Partner(name=f"{PREFIX} {label} {rng.choice(TOWNS)} n°{i}", kind=kind))
        self.partners = _bulk(Partner, partners, user=user, date=created)
        self.count("partenaires", len(self.partners))

    # ------------------------------------------------------------------ plan
    def plan(self) -> None:
        s, rng = self.scale, self.rng
        user, created = self.staff[0], _aware(self.plan_start)
        label = "national" if s.name == "national" else "départemental" if s.name == "departmental" else s.name
        plan = _bulk(
            Plan,
            [
                Plan(
                    title=f"{PREFIX} Projet fédéral {label}",
                    start_year=self.first_year,
                    end_year=self.last_year,
                    status=Plan.Status.ACTIVE,
                )
            ],
            user=user,
            date=created,
        )[0]
        chapters = _bulk(
            Chapter,
            [
                Chapter(plan=plan, title=f"{PREFIX} Chapitre {i} : {rng.choice(THEMES)}", order=i)
                for i in range(1, s.chapters + 1)
            ],
            user=user,
            date=created,
        )
        axes = []
        for i in range(1, s.axes + 1):
            theme = THEMES[(i - 1) % len(THEMES)]
            axes.append(
                Axis(
                    chapter=chapters[(i - 1) % len(chapters)],
                    title=f"{PREFIX} Axe {i} : agir pour {theme}",
                    slug=f"axe-{i}",
                    order=i,
                    context=f"Contexte de l'axe {i}. Les centres sociaux constatent des besoins sur {theme}.\n"
                    "→ une première observation\n→ une seconde observation",
                    stakes=f"Pour le réseau, l'enjeu est de progresser sur {theme}.",
                    objectives_intro="Nous nous fixons les objectifs suivants :",
                )
            )
        self.axes = _bulk(Axis, axes, user=user, date=created)
        objectives = []
        for i in range(1, s.objectives + 1):
            axis = self.axes[(i - 1) % len(self.axes)]
            objectives.append(
                Objective(
                    axis=axis,
                    text=f"{PREFIX} {rng.choice(VERBS)} {rng.choice(THEMES)} (objectif {i})",
                    order=i,
                )
            )
        self.objectives = _bulk(Objective, objectives, user=user, date=created)
        self.objectives_by_axis: dict[int, list[Objective]] = {}
        for objective in self.objectives:
            self.objectives_by_axis.setdefault(objective.axis_id, []).append(objective)
        self.plan_obj = plan
        self.count("projets", 1)
        self.count("chapitres", len(chapters))
        self.count("axes", len(self.axes))
        self.count("objectifs", len(self.objectives))

    def actions(self) -> None:
        s, rng = self.scale, self.rng
        statuses = [status for status, _ in STATUS_WEIGHTS]
        weights = [weight for _, weight in STATUS_WEIGHTS]
        actions = []
        for i in range(1, s.actions + 1):
            axis = self.axes[(i - 1) % len(self.axes)]
            status = Action.Status.PREVIOUS_PLAN if i <= len(self.axes) else rng.choices(statuses, weights)[0]
            if i <= 3 * len(self.axes):  # every axis has a lead and an action under way
                status = [Action.Status.PREVIOUS_PLAN, Action.Status.LEAD, Action.Status.IN_PROGRESS][
                    (i - 1) // len(self.axes)
                ]
            if status == Action.Status.PREVIOUS_PLAN:
                start = rng.randint(self.first_year - 6, self.first_year - 2)
                start_year, end_year = start, start + rng.randint(0, 2)
            elif status == Action.Status.LEAD:
                start_year = end_year = None
            else:
                start_year = rng.randint(self.first_year, self.last_year)
                end_year = rng.choice([None, min(self.last_year + 1, start_year + rng.randint(0, 3))])
            progress = {
                Action.Status.IN_PROGRESS: rng.randint(5, 95),
                Action.Status.DONE: 100,
                Action.Status.PLANNED: 0,
            }.get(status)
            created = self.random_day(self.plan_start, datetime.date(self.last_year, 6, 30))
            action = Action(
                axis=axis,
                title=f"{PREFIX} {rng.choice(VERBS)} {rng.choice(THEMES)} à {rng.choice(TOWNS)} (action {i})",
                description=f"Action {i} générée pour les mesures de performance. " * 3,
                status=status,
                start_year=start_year,
                end_year=end_year,
                order=i,
                lead_person=rng.choice(self.staff),
                progress=progress,
                weight=rng.choice([1, 1, 1, 2, 3]),
            )
            action._history_date = _aware(created)
            actions.append(action)
        self.actions_list = _bulk(Action, actions, user=self.staff[0])
        self.count("actions", len(actions))
        self._action_history(actions)

        objective_links, partner_links, milestones, updates, continuations = [], [], [], [], []
        through = Action.objectives.through
        for action in self.actions_list:
            axis_objectives = self.objectives_by_axis.get(action.axis_id, [])
            for objective in rng.sample(axis_objectives, min(len(axis_objectives), rng.randint(1, 2))):
                if action.status == Action.Status.PREVIOUS_PLAN:
                    continuations.append(
                        Continuation(
                            previous_action=action,
                            objective=objective,
                            outcome=rng.choice(Continuation.Outcome.values),
                        )
                    )
                else:
                    objective_links.append(through(action_id=action.pk, objective_id=objective.pk))
            for partner in rng.sample(self.partners, min(len(self.partners), rng.randint(0, 3))):
                partner_links.append(
                    ActionPartner(action=action, partner=partner, role=rng.choice(["co-portage", "partenariat", ""]))
                )
            if action.status in Action.COUNTED_STATUSES:
                for j in range(s.milestones_per_action):
                    due = datetime.date(action.start_year or self.last_year, 3 + 4 * (j % 3), 1)
                    milestones.append(
                        Milestone(action=action, title=f"Étape {j + 1}", due_date=due, done=due < self.today, order=j)
                    )
                for j in range(s.updates_per_action):
                    author = rng.choice(self.staff)
                    day = self.random_day(self.plan_start, self.today)
                    update = Update(
                        action=action,
                        author=author,
                        date=day,  # the day reported, typed that same day
                        created_at=_aware(day),
                        text=f"Point d'étape {j + 1} : l'action avance.",
                        new_progress=action.progress,
                    )
                    update._history_date = update.created_at
                    updates.append(update)
        through.objects.bulk_create(objective_links, batch_size=BATCH)
        _bulk(ActionPartner, partner_links, user=self.staff[0], date=_aware(self.plan_start))
        _bulk(Milestone, milestones, user=self.staff[0], date=_aware(self.plan_start))
        _bulk(Update, updates, user=self.staff[0])
        _bulk(Continuation, continuations, user=self.staff[0], date=_aware(self.plan_start))
        self.count("liens action-objectif", len(objective_links))
        self.count("partenariats d'actions", len(partner_links))
        self.count("jalons", len(milestones))
        self.count("entrées du suivi", len(updates))
        self.count("suites d'actions", len(continuations))

        comments = []
        for i in range(s.comments):
            on_action = i % 3 != 0
            comment = Comment(
                action=rng.choice(self.actions_list) if on_action else None,
                objective=None if on_action else rng.choice(self.objectives),
                author=rng.choice(self.board + self.staff),
                text=f"Remarque {i + 1} sur l'avancement.",
                created_at=_aware(self.random_day(self.plan_start, self.today)),
            )
            comment._history_date = comment.created_at
            comments.append(comment)
        _bulk(Comment, comments, user=self.staff[0])
        self.count("commentaires", len(comments))

    def _action_history(self, actions: list[Action]) -> None:
        """A later « changed » row for a third of the actions: status or progress moved this year."""
        history_model = Action.history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        rows = []
        for action in actions:
            if action.status not in (Action.Status.IN_PROGRESS, Action.Status.DONE) or self.rng.random() > 0.5:
                continue
            row = history_model(
                **{name: getattr(action, name) for name in tracked},
                history_date=_aware(self.random_day(datetime.date(self.last_year, 1, 1), self.today), hour=15),
                history_type="~",
                history_user_id=self.rng.choice(self.staff).pk,
                history_change_reason="",
            )
            rows.append(row)
        history_model.objects.bulk_create(rows, batch_size=BATCH)
        self.count("historique d'actions (modifs)", len(rows))

    def participations(self) -> None:
        s, rng = self.scale, self.rng
        open_actions = [a for a in self.actions_list if a.status != Action.Status.PREVIOUS_PLAN]
        per_action = max(1, -(-s.participations // max(1, len(open_actions))))
        rows, structure_links = [], []
        through = Action.structures.through
        for action in open_actions:
            if len(rows) >= s.participations:
                break
            for structure in rng.sample(self.structures, min(len(self.structures), per_action)):
                if len(rows) >= s.participations:
                    break
                status = rng.choices(Participation.Status.values, [20, 70, 10])[0]
                proposed = _aware(self.random_day(self.plan_start, self.today))
                decided = None if status == Participation.Status.PROPOSED else proposed + datetime.timedelta(days=7)
                participation = Participation(
                    action=action,
                    structure=structure,
                    contribution="Notre centre anime un groupe d'habitants sur ce sujet.",
                    status=status,
                    proposed_by_id=self.director_of[structure.pk],
                    proposed_at=proposed,
                    decided_by=None if decided is None else self.staff[0],
                    decided_at=decided,
                )
                participation._history_date = proposed
                rows.append(participation)
                if status == Participation.Status.ACCEPTED:
                    structure_links.append(through(action_id=action.pk, structure_id=structure.pk))
        _bulk(Participation, rows, user=self.staff[0])
        through.objects.bulk_create(structure_links, batch_size=BATCH)
        self.count("participations", len(rows))

    # ------------------------------------------------------------------ indicators
    def indicators(self) -> None:
        s, rng = self.scale, self.rng
        stages = list(ValueChainStage.objects.values_list("pk", flat=True)) or [None]
        dimensions = list(ImpactDimension.objects.values_list("pk", flat=True)) or [None]
        frequencies = [f for f, _ in FREQUENCY_WEIGHTS]
        weights = [w for _, w in FREQUENCY_WEIGHTS]
        counted = [a for a in self.actions_list if a.status in Action.COUNTED_STATUSES]
        position = {action.pk: n for n, action in enumerate(counted)}
        evaluated: dict[int, list[Action]] = {}  # indicator number -> the actions it evaluates
        indicators = []
        for i in range(1, s.indicators + 1):
            subject, unit = INDICATOR_SUBJECTS[(i - 1) % len(INDICATOR_SUBJECTS)]
            frequency = rng.choices(frequencies, weights)[0]  # drawn before the action, as it always was
            if counted and i % 4 == 0:
                first = rng.choice(counted)
                # One in two of them evaluates the next action too (no draw: the rest of the
                # generated data stays what it was when an indicator evaluated one action).
                second = counted[(position[first.pk] + 1) % len(counted)]
                evaluated[i] = [first] if i % 8 or second == first else [first, second]
            indicators.append(
                Indicator(
                    code=f"{INDICATOR_CODE_PREFIX}{i:04d}",
                    name=f"{PREFIX} {subject} ({i})",
                    description=f"Indicateur {i} généré pour les mesures de performance.",
                    unit=unit,
                    direction=Indicator.Direction.DOWN if i % 10 == 0 else Indicator.Direction.UP,
                    aggregation=Indicator.Aggregation.MEAN if unit == "%" else Indicator.Aggregation.SUM,
                    frequency=frequency,
                    source="Observatoire des centres sociaux (données générées)",
                    stage_id=stages[i % len(stages)],
                    dimension_id=dimensions[i % len(dimensions)],
                    is_demo=True,
                )
            )
        self.indicators_list = _bulk(Indicator, indicators, user=self.staff[0], date=_aware(self.plan_start))
        through = Indicator.objectives.through
        links = [
            through(indicator_id=indicator.pk, objective_id=objective.pk)
            for indicator in self.indicators_list
            for objective in rng.sample(self.objectives, min(len(self.objectives), rng.randint(1, 2)))
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        through = Indicator.actions.through
        action_links = [
            through(indicator_id=indicator.pk, action_id=action.pk)
            for i, indicator in enumerate(self.indicators_list, start=1)
            for action in evaluated.get(i, ())
        ]
        through.objects.bulk_create(action_links, batch_size=BATCH)
        self.count("indicateurs", len(indicators))
        self.count("liens indicateur-action", len(action_links))

    def periods(self, frequency: str) -> list[tuple[str, datetime.date]]:
        """(period, last day) for every period of the plan's years that has begun."""
        result = []
        for year in range(self.first_year, self.last_year + 1):
            if frequency == Indicator.Frequency.HALF_YEARLY:
                parts = [(f"{year}-S1", datetime.date(year, 6, 30)), (f"{year}-S2", datetime.date(year, 12, 31))]
                starts = [datetime.date(year, 1, 1), datetime.date(year, 7, 1)]
            elif frequency == Indicator.Frequency.QUARTERLY:
                ends = [datetime.date(year, 3, 31), datetime.date(year, 6, 30), datetime.date(year, 9, 30)]
                parts = [(f"{year}-T{q + 1}", end) for q, end in enumerate([*ends, datetime.date(year, 12, 31)])]
                starts = [datetime.date(year, 1 + 3 * q, 1) for q in range(4)]
            else:
                parts, starts = [(str(year), datetime.date(year, 12, 31))], [datetime.date(year, 1, 1)]
            result += [part for part, start in zip(parts, starts, strict=True) if start <= self.today]
        return result

    def measurements(self) -> None:
        """Values for every indicator over the plan's years, from a steady panel of structures.

        This is most of the data (400,000 rows nationally), so it skips model instances:
        multi-row INSERTs of adapted values, then the history rows in one INSERT … SELECT.
        """
        s, rng = self.scale, self.rng
        per_indicator = s.measurements // max(1, len(self.indicators_list))
        validator = self.staff[0]
        ops = connection.ops
        value_field = Measurement._meta.get_field("value")

        def stamp(day: datetime.date):
            return ops.adapt_datetimefield_value(_aware(day))

        def decimal(value: Decimal):
            return ops.adapt_decimalfield_value(value, value_field.max_digits, value_field.decimal_places)

        rows: list[tuple] = []
        targets: list[Target] = []
        total = 0
        for indicator in self.indicators_list:
            periods = self.periods(indicator.frequency)
            reporters = min(len(self.structures), max(1, per_indicator // len(periods)))
            # The first structure reports everything, so that every page about « a centre »
            # shows the same kinds of rows whatever the scale.
            first, others = self.structures[0], self.structures[1:]
            panel = [first.pk] + [st.pk for st in rng.sample(others, min(len(others), reporters - 1))]
            base = {pk: rng.randint(10, 500) for pk in panel}
            percent = indicator.unit == "%"
            for index, (period, end) in enumerate(periods):
                growth = Decimal(100 + 3 * index) / 100
                latest = index == len(periods) - 1
                for structure_id in panel:
                    status = rng.choice(Measurement.Status.values) if latest else Measurement.Status.VALIDATED
                    entered = min(end + datetime.timedelta(days=rng.randint(5, 40)), self.today)
                    value = (base[structure_id] * growth).quantize(Decimal("0.01"))
                    if percent:
                        value = min(Decimal(100), value / 5).quantize(Decimal("0.01"))
                    validated = status == Measurement.Status.VALIDATED
                    validated_at = stamp(entered + datetime.timedelta(days=10)) if validated else None
                    created = stamp(entered)
                    rows.append(
                        (
                            indicator.pk,
                            period,
                            decimal(value),
                            "",
                            structure_id,
                            "Données générées",
                            "",
                            "",
                            self.director_of[structure_id],
                            status,
                            validator.pk if validated else None,
                            validated_at,
                            "Valeur à vérifier." if status == Measurement.Status.RETURNED else "",
                            created,
                            validated_at or created,
                        )
                    )
                if index == 0 or period[:4] != periods[index - 1][0][:4]:
                    expected = sum(base.values()) * growth * Decimal("1.05")
                    if indicator.aggregation == Indicator.Aggregation.MEAN:
                        expected = min(Decimal(100), expected / len(panel) / 5)
                    targets.append(
                        Target(indicator_id=indicator.pk, period=period[:4], value=expected.quantize(Decimal("1")))
                    )
                    own = base[first.pk] * growth * Decimal("1.05")
                    targets.append(
                        Target(
                            indicator_id=indicator.pk,
                            period=period[:4],
                            structure_id=first.pk,
                            value=(min(Decimal(100), own / 5) if percent else own).quantize(Decimal("1")),
                        )
                    )
                if len(rows) >= FLUSH:
                    total += _insert_rows(Measurement, MEASUREMENT_COLUMNS, rows)
                    rows = []
        total += _insert_rows(Measurement, MEASUREMENT_COLUMNS, rows)
        _measurement_history(indicator_ids=[i.pk for i in self.indicators_list], user=validator)
        _bulk(Target, targets, user=validator, date=_aware(self.plan_start))
        self.count("cibles", len(targets))
        self.count("valeurs d'indicateurs", total)

    def board_meetings(self) -> None:
        existing = set(BoardMeeting.objects.values_list("date", flat=True))
        meetings = []
        for year in range(self.first_year, self.last_year + 1):
            for month in (3, 6, 10, 12):
                day = datetime.date(year, month, 15)
                if day <= self.today and day not in existing:
                    meetings.append(BoardMeeting(date=day, title=f"{PREFIX} Conseil d’administration"))
        _bulk(BoardMeeting, meetings, user=self.staff[0], date=_aware(self.plan_start))
        self.count("réunions du conseil", len(meetings))
