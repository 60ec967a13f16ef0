"""French as a French public service writes it (issue 15, item 4), on every page of each role.

Crawls the permission matrix's pages (and, as staff, the links they hold) with the test client
and reads the text a person sees: no « (s) », no « --------- » empty choice, no straight
apostrophe, no « 1 » followed by a plural noun. The dates' own rule (« 1er ») is tested on the
filter every template uses.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionPartner, Comment, Continuation, Milestone, Participation, Update
from axes.models import Axis, Chapter, Objective, Plan
from board.models import BoardMeeting
from federation.tests.routes import EXPECTED, ROUTES
from indicators.models import ImpactDimension, Indicator, Measurement, Target, ValueChainStage
from network.models import Partner, Structure, Territory
from toolkit.french import long_date, long_datetime

pytestmark = pytest.mark.django_db

# Counted nouns, singular → plural: « 0 » or « 1 » before a plural, or a number from 2 up before a
# singular, is a missing ngettext (French: 0 and 1 take the singular, « 1,5 terminée »). The status
# labels are here because pages count actions by status (« 2 pistes d’action »).
NOUNS = {
    "personne": "personnes",
    "élément": "éléments",
    "valeur": "valeurs",
    "action": "actions",
    "structure": "structures",
    "indicateur": "indicateurs",
    "objectif": "objectifs",
    "axe": "axes",
    "centre": "centres",
    "jalon": "jalons",
    "commentaire": "commentaires",
    "partenaire": "partenaires",
    "participation": "participations",
    "résultat": "résultats",
    "page": "pages",
    "entrée": "entrées",
    "ligne": "lignes",
    "fichier": "fichiers",
    "compte": "comptes",
    "modification": "modifications",
    "changement": "changements",
    "réunion": "réunions",
    "rapport": "rapports",
    "territoire": "territoires",
    "notification": "notifications",
    "jour": "jours",
    "semaine": "semaines",
    "heure": "heures",
    "minute": "minutes",
    "année": "années",
    "période": "périodes",
    "cible": "cibles",
    "piste": "pistes",
    "projet": "projets",
    "précédent projet": "précédents projets",
    "planifiée": "planifiées",
    "terminée": "terminées",
    "abandonnée": "abandonnées",
    "proposée": "proposées",
    "acceptée": "acceptées",
    "déclinée": "déclinées",
    "importé": "importés",
    "importée": "importées",
    "créé": "créés",
    "créée": "créées",
    "supprimé": "supprimés",
    "supprimée": "supprimées",
    "modifié": "modifiés",
    "modifiée": "modifiées",
    "manquant": "manquants",
    "manquante": "manquantes",
    "retard": "retards",
    "relance": "relances",
}
SPACE = "[\\s\u00a0\u202f]"
# A whole number (« 1 250 » with its group spaces, « 1,5 »), not the end of another one, then a noun.
COUNT = re.compile(
    rf"(?<![\d,.])(?<!\d{SPACE})(\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(,\d+)?{SPACE}+"
    rf"({'|'.join(sorted(map(re.escape, [*NOUNS, *NOUNS.values()]), key=len, reverse=True))})\b",
    re.IGNORECASE,
)
PLURALS = set(NOUNS.values())
STRAIGHT_APOSTROPHE = re.compile(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]")
# French puts a no-break space before « : ; ! ? » and inside « »; an ordinary one lets the sign
# start a line. (« 10:30 », « https://… » have no space before the sign.)
ORDINARY_SPACE = re.compile(r" [:;!?](?!\S)|« | »")
# Where people's and the plan document's words are stored (see data_texts).
DATA_MODELS = [
    Plan,
    Chapter,
    Axis,
    Objective,
    Action,
    ActionPartner,
    Milestone,
    Update,
    Continuation,
    Participation,
    Comment,
    Territory,
    Structure,
    Partner,
    Indicator,
    Target,
    Measurement,
    ValueChainStage,
    ImpactDimension,
    BoardMeeting,
    User,
]
ASCII_SPACES = re.compile(r"[ \t\r\n\f]+")
NOT_PAGES = {"health", "indicators:measurement_evidence", "audit_person_export", "board:report_pdf", "logout"}


class VisibleText(HTMLParser):
    """The text nodes a person reads (not scripts, styles, or code samples), and the links."""

    HIDDEN = {"script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.texts, self.links = 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.texts.append(ASCII_SPACES.sub(" ", data).strip())  # no-break spaces kept


def faults(text: str) -> list[str]:
    found = []
    if "(s)" in text:
        found.append("« (s) »")
    if "---------" in text:
        found.append("« --------- »")
    if STRAIGHT_APOSTROPHE.search(text):
        found.append("apostrophe droite")
    for match in COUNT.finditer(text):
        number = float(
            match.group(1).translate({ord(c): None for c in " \u00a0\u202f"}) + (match.group(2) or "").replace(",", ".")
        )
        # A decimal is a measured value, its unit printed as the indicator names it (« 0,5 ETP »).
        if not match.group(2) and (number < 2) == (match.group(3).lower() in PLURALS):
            found.append(f"« {match.group(0)} »")
    if match := ORDINARY_SPACE.search(text):
        found.append(f"espace ordinaire dans « {match.group(0)} »")
    return found


def is_page(name: str) -> bool:
    return not (
        name in NOT_PAGES
        or "export" in name
        or name.startswith(("autocomplete_", "publication:api_"))
        or name.endswith(("_pdf", "_download"))
    )


def test_the_checks_catch_what_they_are_for():
    assert faults("3 valeur(s) importée(s)") == ["« (s) »", "« 3 valeur »"]
    assert faults("---------") == ["« --------- »"]
    assert faults("L'action") == ["apostrophe droite"]
    assert faults("L’action, 1 personne, 2 personnes, 1 250 personnes, 0,1 personnes") == []
    assert faults("sur 1 structures") == ["« 1 structures »"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(datetime.date(2026, 12, 1), "1er\u00a0décembre 2026"), (datetime.date(2026, 12, 2), "2\u00a0décembre 2026")],
)
def test_dates_read_1er_for_the_first_of_a_month(day, expected):
    assert long_date(day) == expected
    assert Template("{{ day|long_date }}").render(Context({"day": day})) == expected


def test_a_moment_reads_in_local_time_with_hours_in_french(settings):
    moment = datetime.datetime(2026, 11, 30, 23, 5, tzinfo=datetime.UTC)  # 1 December in Paris
    assert long_datetime(moment) == "1er\u00a0décembre 2026 à 00\u00a0h\u00a005"
    assert Template("{{ moment|long_datetime }}").render(Context({"moment": moment})).startswith("1er")
    assert long_date(timezone.now()) == long_date(timezone.localdate())


@pytest.mark.parametrize("role", ["anonymous", "board", "director_a", "staff", "superuser"])
def test_every_page_reads_as_finished_french(client, world, role):
    client.raise_request_exception = False  # a page that fails is the permission matrix's to report
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    queue = []
    for name, (build, methods) in ROUTES.items():
        level = methods.get("get")
        if level and EXPECTED[level][role] == "ok" and is_page(name):
            if role == "superuser" and EXPECTED[level]["staff"] == "ok":
                continue  # administrators see what staff see: only their own pages
            # The matrix's builders each make their own indicator under a fixed code: rename the last one.
            for indicator in Indicator.objects.filter(code__startswith="matrice"):
                Indicator.objects.filter(pk=indicator.pk).update(code=f"ancien-{indicator.pk}")
            try:
                with transaction.atomic():
                    queue.append(reverse(name, kwargs=build(world) if build else None))
            except (IntegrityError, ValidationError):  # another route's builder made that object already
                continue
    data = data_texts()
    seen, problems, follow_links = set(), {}, role == "staff"
    while queue and len(seen) < 140:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        for text in parser.texts:
            for fault in faults(text) and faults(without_data(text, data)):
                problems.setdefault(url, []).append(f"{fault} dans « {text[:90]} »")
        if follow_links:
            for href in parser.links:
                parts = urlsplit(href)
                if href.startswith("/") and not parts.netloc and not is_file(parts.path):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert seen
    assert not problems, "\n".join(f"{url} : {fault}" for url, found in problems.items() for fault in found)


def data_texts() -> list[str]:
    """What people and the plan's document wrote (titles, descriptions, names), longest first:
    their words are theirs, apostrophes and spacing included; the checks read the app's own text."""
    texts = set()
    for model in DATA_MODELS:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices
        ]
        for row in model._base_manager.values_list(*fields):
            texts.update(ASCII_SPACES.sub(" ", value).strip() for value in row if value and len(value) > 2)
    return sorted(texts, key=len, reverse=True)


TRUNCATED = re.compile(r"(\S[^…]*)…")


def without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, "")
    # A title cut short for a list or a menu (« Une visée stratégique : Faire de… »): the longest
    # end of the cut text that begins one of the stored texts is theirs.
    for match in TRUNCATED.finditer(text):
        cut_text = match.group(1)
        starts = [i for i, c in enumerate(cut_text) if not c.isspace() and (i == 0 or cut_text[i - 1].isspace())]
        for start in starts:
            cut = cut_text[start:].rstrip()
            if len(cut) >= 12 and any(value.startswith(cut) for value in data):
                start_at = text.find(cut)
                text = text[:start_at] + text[text.index("…", start_at) + 1 :]
                break
    return text


def is_file(path: str) -> bool:
    return path.startswith(("/admin/", "/api/", "/static/", "/media/")) or path.endswith(
        (".csv", ".xlsx", ".pdf", ".docx", ".odt", ".json")
    )
