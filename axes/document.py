"""Parser for the federation's strategic-plan document: plain text in, plain dataclasses out.

The document is plain text, scraped from the federation's web page or exported from Word
(see ``axes/tests/documents/seed.txt``). Its shape::

    Projet fédéral 2022-2026                   <- the document's title: optional; when it names
                                                  the plan and one span of years, they are its period
    Des organisations sur les territoires      <- chapter title: optional, may recur
                                                  (a short line standing alone)
    Impact social :                            <- axis title: the line before a section heading

    CONTEXTE GLOBAL                            <- section headings; any may be missing
    La mesure … qui les amènent :                 context and stakes: free text, bullet
    → à innover …                                 lines kept in the text
    ENJEUX POUR LE RÉSEAU
    …
    ACTIONS DU PRÉCÉDENT PROJET                <- actions; or a statement such as
    Dimension non abordée …                       "Dimension non abordée …" (a note)
    OBJECTIFS OPÉRATIONNELS                    <- an intro ending with ":", then one objective
    Une démarche … revêt un triple enjeu :        per line, per bullet or per
    Une visée stratégique : … Une visée …         "Une visée … :" clause
    Projets déjà engagés :                     <- actions: one per bullet item, or one per
    → Co-portage avec la Caf … (depuis 2018)      sentence of an unbulleted line; years in
    PISTES D’ACTIONS :                            parentheses and partners ("avec la Caf")
    Engagement … promue par la Fonda. …           are read from each item

Headings are recognised whatever their case, accents, apostrophes and trailing colon.
Web debris ("Aller au contenu principal", "Imprimer", …) is dropped and reported; every
other sentence ends up in some field of the result. Lines are numbered from 1, as an
editor shows them. Anything that cannot be read as a plan raises ``DocumentError`` with a
French message; no other exception escapes ``parse_plan_document``.

This module imports nothing from Django: the importer service in ``actions`` writes the
result into the database.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field

from toolkit.text import APOSTROPHES, fold

__all__ = [
    "DocumentError",
    "ParsedAction",
    "ParsedAxis",
    "ParsedChapter",
    "ParsedObjective",
    "ParsedPartner",
    "ParsedPlan",
    "decode_document",
    "parse_plan_document",
]


# --- Result -------------------------------------------------------------------------------


class DocumentError(ValueError):
    """Refusal with a French message; ``line`` is the 1-based line number or None."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        text = message if line is None else f"{message.rstrip('. ')} (ligne {line})."
        super().__init__(text)


@dataclass
class ParsedPartner:
    name: str  # "Caf de la Drôme", "Fonda", …
    role: str  # "co-portage", "partenariat", "promotion" or "partenaire"


@dataclass
class ParsedAction:
    title: str  # the item without bullet, final punctuation nor year parentheses
    line: int  # 1-based line where it starts
    description: str = ""  # the intro line ("… :") that introduced this item, if any
    start_year: int | None = None
    end_year: int | None = None
    partners: list[ParsedPartner] = field(default_factory=list)
    # The period as written and removed from the title ("depuis le second semestre 2016"),
    # so that no word of the document is lost; "; " between several.
    period: str = ""
    # What the app's own export notes under the item (« [Statut : Planifiée, avancement 40 %] »):
    # the status as written and the progress, which an import gives an action it creates.
    status: str = ""
    progress: int | None = None


@dataclass
class ParsedObjective:
    text: str
    line: int


@dataclass
class ParsedAxis:
    title: str  # without trailing " :"
    line: int
    context: str = ""  # CONTEXTE GLOBAL, lines joined by "\n", bullet lines kept
    stakes: str = ""  # ENJEUX POUR LE RÉSEAU, same
    objectives_intro: str = ""  # the line(s) ending with ":" that introduce the objectives
    objectives: list[ParsedObjective] = field(default_factory=list)
    previous_actions: list[ParsedAction] = field(default_factory=list)  # ACTIONS DU PRÉCÉDENT PROJET
    projects: list[ParsedAction] = field(default_factory=list)  # Projets déjà engagés
    leads: list[ParsedAction] = field(default_factory=list)  # PISTES D'ACTIONS
    previous_actions_note: str = ""  # a statement instead of items ("Dimension non abordée …")
    projects_note: str = ""
    leads_note: str = ""


@dataclass
class ParsedChapter:
    title: str  # "" when the document names no chapter
    line: int
    axes: list[ParsedAxis] = field(default_factory=list)


@dataclass
class ParsedPlan:
    chapters: list[ParsedChapter]
    dropped: list[tuple[int, str]] = field(default_factory=list)  # web debris removed: (line, text)
    # The plan's period when a title line before the first axis states it, unambiguously
    # (« Projet fédéral 2022-2026 »); those lines, (line, text), are not chapter titles.
    start_year: int | None = None
    end_year: int | None = None
    title_lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def axes(self) -> list[ParsedAxis]:
        """All axes, in document order."""
        return [axis for chapter in self.chapters for axis in chapter.axes]


# --- Decoding -----------------------------------------------------------------------------

_NOT_TEXT = "Le fichier ne semble pas être un document texte"
_SAVE_AS_TEXT = "enregistrez le document au format texte (.txt) puis importez ce fichier"

# Magic numbers of the files people upload by mistake instead of the text export.
_SIGNATURES = {
    b"PK\x03\x04": "un document Word (.docx) ou une archive",
    b"\xd0\xcf\x11\xe0": "un document Word (.doc)",
    b"%PDF": "un PDF",
    b"{\\rtf": "un document RTF",
    b"\x89PNG": "une image",
    b"\xff\xd8\xff": "une image",
    b"GIF8": "une image",
}


def decode_document(data: bytes) -> str:
    """Decode an uploaded document: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.

    Raises DocumentError for what is not text (NUL bytes, many control characters, the
    signature of a Word, PDF or image file).
    """
    data = bytes(data)
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise DocumentError(f"{_NOT_TEXT} (c’est sans doute {kind}) : {_SAVE_AS_TEXT}.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        raise DocumentError(f"{_NOT_TEXT} : {_SAVE_AS_TEXT}.")
    else:
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_windows_1252(body)
    _check_is_text(text)
    return text


def _decode_windows_1252(data: bytes) -> str:
    # Five bytes are undefined in cp1252; read them as Latin-1 (control characters) rather
    # than failing, and let _check_is_text judge the result.
    text = data.decode("cp1252", errors="surrogateescape")
    return re.sub("[\udc80-\udcff]", lambda m: chr(ord(m.group()) - 0xDC00), text)


# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form
# feed and carriage return: frequent in binary files, rare in text.
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_is_text(text: str) -> None:
    controls = len(_BINARY_CONTROLS.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise DocumentError(f"{_NOT_TEXT} : {_SAVE_AS_TEXT}.")


# --- Lines --------------------------------------------------------------------------------

BLANK, DEBRIS, HEADING, TEXT, TITLE = "blank", "debris", "heading", "text", "title"

CONTEXT, STAKES, PREVIOUS, OBJECTIVES, PROJECTS, LEADS = (
    "context",
    "stakes",
    "previous",
    "objectives",
    "projects",
    "leads",
)
# The usual order of the sections in an axis: a heading that goes back in this order
# (or repeats) is a sign that a new axis has started.
_SECTION_ORDER = {CONTEXT: 0, STAKES: 1, PREVIOUS: 2, OBJECTIVES: 3, PROJECTS: 4, LEADS: 5}

# Headings as _heading_key() folds them (lower case, no accents, straight apostrophe).
# Those also accepted with the section's first line on the same line ("CONTEXTE GLOBAL : …"):
_INLINE_HEADINGS = {
    "contexte global": CONTEXT,
    "enjeux pour le reseau": STAKES,
    "enjeux du reseau": STAKES,
    "actions du precedent projet": PREVIOUS,
    "actions du projet precedent": PREVIOUS,
    "objectifs operationnels": OBJECTIVES,
    "objectif operationnel": OBJECTIVES,
    "projets deja engages": PROJECTS,
    "projet deja engage": PROJECTS,
    "pistes d'actions": LEADS,
    "pistes d'action": LEADS,
    "piste d'action": LEADS,
    "piste d'actions": LEADS,
}
# ... and short forms, recognised only when they are the whole line.
_HEADINGS = {
    **_INLINE_HEADINGS,
    "contexte": CONTEXT,
    "enjeux": STAKES,
    "objectifs": OBJECTIVES,
    "projets engages": PROJECTS,
    "projets en cours": PROJECTS,
    "pistes": LEADS,
}
_MAX_HEADING = 60  # longer lines are neither headings nor web debris
_HEADING_LABELS = {
    CONTEXT: "CONTEXTE GLOBAL",
    STAKES: "ENJEUX POUR LE RÉSEAU",
    PREVIOUS: "ACTIONS DU PRÉCÉDENT PROJET",
    OBJECTIVES: "OBJECTIFS OPÉRATIONNELS",
    PROJECTS: "Projets déjà engagés",
    LEADS: "PISTES D’ACTIONS",
}

# Links and buttons of the web page the text was scraped from (folded, no punctuation).
_DEBRIS = {
    "aller au contenu principal",
    "aller au contenu",
    "aller au menu",
    "aller a la recherche",
    "retour en haut",
    "retour en haut de page",
    "haut de page",
    "imprimer",
    "imprimer cette page",
    "partager",
    "partager cette page",
}

# Characters that carry no text: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Control characters other than the whitespace ones (\s covers \t, \x0b, \x0c, \x1c-\x1f).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
# A Word symbol-font bullet (private-use glyph such as U+F0B7) opening a line.
_PRIVATE_BULLET = re.compile("^[\ue000-\uf8ff]")

# A list marker opening a line: an arrow or bullet glyph (space optional after it), or an
# ASCII "-", "*", "+", "->", "=>" which must be followed by a space.
_BULLET = re.compile(r"^(?:(?P<glyph>[→•▪◦●○■□►▸▶➢➤➔✓✔–—·])\s*|(?P<ascii>->|=>|[-*+])\s+)(?P<body>.*)$")
# In action and objective sections, "1." "2)" "a)" also open an item.
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}[.)]|[a-z]\))\s+(?P<body>.*)$")
# The markers the site's templates render as list items; others are shown as "•".
_KNOWN_MARKERS = {"→", "-", "–", "•", "*"}

_TERMINAL = ".!?…"


@dataclass
class _Line:
    number: int
    text: str
    kind: str
    section: str = ""  # for headings
    rest: str = ""  # for headings: the section's first line, when on the same line
    bullet: bool = False  # for text: opens with a list marker
    indented: bool = False  # for text: written after spaces or a tab (a wrapped item's end)


def _fold(text: str) -> str:
    """The project's folding (no case, no accents, no ligatures), with straight apostrophes:
    a key for comparisons."""
    return fold(text).translate(APOSTROPHES)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _normalise(raw: str) -> str:
    """One line as the parser reads it: plain single spaces, no invisible characters."""
    text = _INVISIBLE.sub("", raw)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()  # \s includes NBSP and narrow NBSP
    return _PRIVATE_BULLET.sub("•", text)


def _heading_key(text: str) -> str:
    key = _fold(text)
    # Markdown emphasis or titles, and a numbering such as "1." or "b)", before the words.
    key = re.sub(r"^[\s#*_]*(?:(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)/-]\s+)?", "", key)
    key = re.sub(r"[\s:.*_#]+$", "", key)
    key = re.sub(r"'\s+", "'", key)
    return re.sub(r"\s+", " ", key)


def _match_heading(text: str) -> tuple[str, str] | None:
    """(section, rest of the line) when the line is a section heading."""
    section = _HEADINGS.get(_heading_key(text)) if len(text) <= _MAX_HEADING else None
    if section:
        return section, ""
    head, colon, rest = text.partition(":")
    section = _INLINE_HEADINGS.get(_heading_key(head)) if colon and len(head) <= _MAX_HEADING else None
    if section and rest.strip():
        return section, rest.strip()
    return None


def match_section_heading(text: str) -> tuple[str, str] | None:
    """(section, rest of the line) when the line, as written, is a section heading."""
    return _match_heading(_normalise(text))


# What the app's own export adds in brackets (« [Statut : En cours, avancement 40 %] »,
# « [Partenaires : Fonda (partenariat)] », « [Exporté le 2 décembre 2026] »): not the plan's
# text, kept out of it like web debris; a status or partners note goes back to the item above it.
_EXPORT_NOTE = re.compile(r"^\[(?:statut|partenaires|exporte le)\b[^\[\]]*\]$")
_STATUS_NOTE = re.compile(
    r"^\[statut\s*:\s*(?P<status>[^,\]]+?)\s*(?:,\s*avancement\s*(?P<progress>\d{1,3})\s*%)?\]$", re.IGNORECASE
)
_PARTNERS_NOTE = re.compile(r"^\[partenaires\s*:\s*(?P<partners>[^\[\]]+)\]$", re.IGNORECASE)
_NOTED_PARTNER = re.compile(r"^(?P<name>.+?)(?:\s*\((?P<role>[^()]*)\))?$")


def _is_debris(text: str) -> bool:
    if _EXPORT_NOTE.match(_fold(text)):
        return True
    if len(text) > _MAX_HEADING:
        return False
    # Arrows or chevrons around the link text, and final punctuation, do not matter.
    key = re.sub(r"^[\W_]+|[\W_]+$", "", _fold(text))
    return key in _DEBRIS


def _read_lines(text: str) -> list[_Line]:
    lines = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        clean = _normalise(raw)
        if not clean:
            lines.append(_Line(number, "", BLANK))
        elif _is_debris(clean):
            lines.append(_Line(number, clean, DEBRIS))
        elif heading := _match_heading(clean):
            lines.append(_Line(number, clean, HEADING, section=heading[0], rest=heading[1]))
        else:
            bullet = bool(_BULLET.match(clean))
            lines.append(_Line(number, clean, TEXT, bullet=bullet, indented=raw[:1] in (" ", "\t") and not bullet))
    return lines


# --- The plan's period ---------------------------------------------------------------------

# A line naming the plan (« Projet fédéral », « Plan stratégique ») ...
_NAMES_PLAN = re.compile(r"\b(?:projet|plan)\b")
# ... but not the one before it.
_NAMES_OTHER_PLAN = re.compile(r"\b(?:precedent|ancien|dernier|bilan)\b")
# ... and a span of years: "2022-2026", "2022 – 2026", "2022/2026", "2022 à 2026", "2022-26".
_PLAN_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:-|–|—|/|\ba\b|\bau\b)\s*((?:19|20)\d\d|\d\d)(?!\d)")


def _plan_period(text: str) -> tuple[int, int] | None:
    """(start, end) when the line names the plan and exactly one span of years, in order."""
    folded = _fold(text)
    if not _NAMES_PLAN.search(folded) or _NAMES_OTHER_PLAN.search(folded):
        return None
    spans = _PLAN_YEARS.findall(folded)
    if len(spans) != 1:
        return None
    first, last = spans[0]
    start, end = int(first), int(first[:2] + last if len(last) == 2 else last)
    return (start, end) if start <= end <= start + 20 else None


def _read_period(lines: list[_Line]) -> tuple[int | None, int | None, list[tuple[int, str]]]:
    """The plan's years, read from the lines before the first axis title, and the lines
    that state them (marked TITLE: they are the document's title, not chapter titles).

    Only when unambiguous: lines giving two different periods give none, and stay as they were.
    """
    first_heading = next((index for index, line in enumerate(lines) if line.kind == HEADING), len(lines))
    before = [line for line in lines[:first_heading] if line.kind == TEXT][:-1]  # the last is the axis title
    found = [(line, period) for line in before if (period := _plan_period(line.text))]
    if len({period for _, period in found}) != 1:
        return None, None, []
    for line, _ in found:
        line.kind = TITLE
    start, end = found[0][1]
    return start, end, [(line.number, line.text) for line, _ in found]


# --- Structure: chapters, axes, sections -------------------------------------------------

_MAX_TITLE = 200  # longer than this, a line before a heading is prose, not an axis title
_START = 10**6  # the gap before the first line: as good as any number of blank lines


@dataclass
class _Entry:
    line: int
    text: str
    gap: int  # blank lines before it
    indented: bool = False


@dataclass
class _AxisDraft:
    title: str
    line: int
    sections: dict[str, list[_Entry]] = field(default_factory=dict)


class _Structure:
    """One pass over the lines, sorting them into chapters, axes and sections.

    Which line is an axis title or a chapter title depends on what follows it and on the
    section being read, so the decisions are made here, in document order.
    """

    def __init__(self, lines: list[_Line]):
        self.lines = lines
        self.content = [i for i, line in enumerate(lines) if line.kind in (HEADING, TEXT)]
        self.chapters: list[tuple[str, int, list[_AxisDraft]]] = []
        self.axis: _AxisDraft | None = None
        self.section = ""
        self.section_gap = 0  # the widest blank run inside the section being read

    def run(self) -> list[tuple[str, int, list[_AxisDraft]]]:
        for pos in range(len(self.content)):
            line = self._at(pos)
            if line.kind == HEADING:
                self._open_section(line)
            elif self._is_axis_title(pos):
                self._open_axis(line)
            elif self._is_chapter_title(pos):
                self._open_chapter(line)
            elif self.axis is None:
                raise DocumentError(
                    f"Texte inattendu avant le premier axe : « {_excerpt(line.text)} ». Seuls des titres "
                    "de chapitre (lignes courtes isolées) peuvent précéder le premier axe",
                    line.number,
                )
            else:
                self._add(line.number, line.text, self._gap_before(pos), line.indented)
        return self.chapters

    # Navigation among the content lines (headings and text; blanks and debris skipped).

    def _at(self, pos: int) -> _Line | None:
        return self.lines[self.content[pos]] if 0 <= pos < len(self.content) else None

    def _gap_before(self, pos: int) -> int:
        if pos == 0:
            return _START
        return self.content[pos] - self.content[pos - 1] - 1

    def _gap_after(self, pos: int) -> int:
        if pos + 1 >= len(self.content):
            return _START
        return self.content[pos + 1] - self.content[pos] - 1

    # Decisions.

    def _is_axis_title(self, pos: int) -> bool:
        """A text line followed by a heading opens an axis, unless it reads as the last
        line of the section in progress."""
        line, heading = self._at(pos), self._at(pos + 1)
        if heading is None or heading.kind != HEADING or line.bullet:
            return False
        if self.axis is None:
            if len(line.text) > _MAX_TITLE:
                raise DocumentError(
                    f"Titre d’axe trop long avant la rubrique « {_HEADING_LABELS[heading.section]} » : "
                    f"« {_excerpt(line.text)} »",
                    line.number,
                )
            return True
        if line.indented and self._gap_before(pos) == 0:
            return False  # the indented end of a wrapped item (« … avec la » / «   MSA (2022-2023) »)
        text = line.text
        if len(text) > 150 or len(text.split()) > 20 or text[0].islower():
            return False
        if heading.section in self.axis.sections:
            return True  # a section seen again: this axis is over
        if text[-1] in _TERMINAL + ";,":
            return False
        if _SECTION_ORDER[heading.section] < _SECTION_ORDER.get(self.section, 0):
            return True
        # Otherwise the title must stand apart more than the section's lines do.
        separated = self._gap_before(pos) > self.section_gap
        if text.endswith(":"):
            return separated
        return separated and self._gap_after(pos) >= 1

    def _is_chapter_title(self, pos: int) -> bool:
        """A short line standing alone, not a sentence, followed by an axis title (or,
        before the first axis, by another chapter title)."""
        line, following = self._at(pos), self._at(pos + 1)
        text = line.text
        if line.bullet or following is None or following.kind != TEXT:
            return False
        if text[-1] in ".:;," or len(text) > 100 or len(text.split()) > 15 or text[0].islower():
            return False
        gap_before, gap_after = self._gap_before(pos), self._gap_after(pos)
        if gap_before < 1:
            return False
        if self.axis is None:
            return gap_after >= 1 or self._is_axis_title(pos + 1)
        # Inside an axis it must stand apart more than the section's own lines do.
        return gap_before > self.section_gap and gap_after >= 1 and self._is_axis_title(pos + 1)

    # Building.

    def _open_chapter(self, line: _Line) -> None:
        self.chapters.append((line.text, line.number, []))
        self.axis, self.section, self.section_gap = None, "", 0

    def _open_axis(self, line: _Line) -> None:
        if not self.chapters:
            self.chapters.append(("", line.number, []))
        title = re.sub(r"\s*:+$", "", line.text).strip() or line.text
        self.axis = _AxisDraft(title, line.number)
        self.chapters[-1][2].append(self.axis)
        self.section, self.section_gap = "", 0

    def _open_section(self, line: _Line) -> None:
        if self.axis is None:
            raise DocumentError(
                f"La rubrique « {line.text} » n’est précédée d’aucun titre d’axe : ajoutez le titre "
                "de l’axe sur la ligne qui la précède",
                line.number,
            )
        self.section = line.section
        entries = self.axis.sections.setdefault(line.section, [])
        self.section_gap = max((entry.gap for entry in entries), default=0)
        if line.rest:
            self._add(line.number, line.rest, 0)

    def _add(self, number: int, text: str, gap: int, indented: bool = False) -> None:
        self.axis.sections[self.section].append(_Entry(number, text, gap, indented))
        self.section_gap = max(self.section_gap, gap)


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# --- Paragraphs: bullet items and wrapped lines ------------------------------------------


# A word that cannot end a sentence: the next line continues it ("… en lien avec la" / "Caf").
_DANGLING = _word_set(
    "a au aux avec ce ces cette chez d dans de des du en entre et l la le les leur leurs ou par pour "
    "sa sans ses son sous sur un une vers notre nos votre vos que qui dont mais"
)


@dataclass
class _Paragraph:
    text: str
    line: int
    marker: str = ""  # the list marker, "" for plain text
    segments: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, line)

    @classmethod
    def join(cls, marker: str, line: int, pieces: list[tuple[str, int]]) -> _Paragraph:
        """A paragraph from its lines' texts, each with its line number."""
        segments, offset = [], 0
        for text, number in pieces:
            segments.append((offset, number))
            offset += len(text) + 1
        return cls(" ".join(text for text, _ in pieces), line, marker, segments)

    def line_at(self, offset: int) -> int:
        """The document line holding the character at this offset."""
        return max((line for start, line in self.segments if start <= offset), default=self.line)

    def absorb(self, other: _Paragraph) -> None:
        """Append another paragraph, keeping track of the lines its text comes from."""
        offset = len(self.text) + 1
        self.text += " " + other.text
        self.segments += [(offset + start, line) for start, line in other.segments]


def _split_marker(text: str, numbered: bool) -> tuple[str, str]:
    """(marker, body); the marker is "" when the line is not a list item."""
    match = _BULLET.match(text)
    if match:
        return match.group("glyph") or match.group("ascii"), match.group("body").strip()
    match = _NUMBERED.match(text) if numbered else None
    if match:
        return match.group("number"), match.group("body").strip()
    return "", text


def _continues(previous: str, text: str, gap: int) -> bool:
    """Whether a line without marker is the wrapped end of the previous line."""
    if previous.endswith(":"):
        return False  # an intro: what follows is its list
    first = text[0]
    if first.islower():
        return True
    if gap > 0 or previous[-1] in _TERMINAL or previous.endswith((".)", ".»", ". »")):
        return False
    if first in "(«" or previous.endswith(("'", "’", "-")):
        return True
    last_word = _fold(re.split(r"[\s'’]", previous[-30:])[-1])
    return last_word in _DANGLING


def _paragraphs(entries: list[_Entry], numbered: bool) -> list[_Paragraph]:
    """Group a section's lines into items: a marker opens one; wrapped lines are joined."""
    drafts: list[tuple[str, int, list[tuple[str, int]]]] = []  # (marker, line, [(text, line)])
    for entry in entries:
        marker, body = _split_marker(entry.text, numbered)
        pieces = drafts[-1][2] if drafts else None
        if marker:
            drafts.append((marker, entry.line, [(body, entry.line)] if body else []))
        elif pieces is not None and (
            not pieces
            or (entry.indented and drafts[-1][0] and entry.gap == 0)  # an item's indented end
            or _continues(pieces[-1][0], body, entry.gap)
        ):
            # (A marker alone on its line takes the next line as its text.)
            pieces.append((body, entry.line))
        else:
            drafts.append(("", entry.line, [(body, entry.line)]))
    return [_Paragraph.join(marker, line, pieces) for marker, line, pieces in drafts if pieces]


# --- Context and stakes ------------------------------------------------------------------


def _parse_text(entries: list[_Entry]) -> str:
    lines = []
    for paragraph in _paragraphs(entries, numbered=False):
        if paragraph.marker:
            marker = paragraph.marker if paragraph.marker in _KNOWN_MARKERS else "•"
            lines.append(f"{marker} {paragraph.text}")
        else:
            lines.append(paragraph.text)
    return "\n".join(lines)


# --- Objectives --------------------------------------------------------------------------

# The head of a clause "Une visée stratégique : …": "Un"/"Une", one of these nouns, a few
# words of qualifier (no sentence punctuation), then a colon.
_CLAUSE_HEAD = re.compile(
    r"(?<!\S)Une?\s+(?:visée|visee|finalité|finalite|ambition|orientation|priorité|priorite)\b[^:.!?]{0,60}?\s*:"
)


def _clause_starts(text: str) -> list[int]:
    """Offsets of the clauses when the text is a run of "Une visée … :" clauses."""
    starts = [match.start() for match in _CLAUSE_HEAD.finditer(text)]
    return starts if starts and starts[0] == 0 else []


def _ends_with_bare_clause_head(text: str) -> bool:
    heads = list(_CLAUSE_HEAD.finditer(text))
    return bool(heads) and heads[-1].end() == len(text)


def _lead_in_before_clauses(text: str) -> int:
    """Where the clauses start when a lead-in ending with ":" precedes them on the same line, else 0."""
    heads = list(_CLAUSE_HEAD.finditer(text))
    if not heads or heads[0].start() == 0:
        return 0
    start = heads[0].start()
    return start if text[:start].rstrip().endswith(":") else 0


def _parse_objectives(entries: list[_Entry]) -> tuple[str, list[ParsedObjective]]:
    paragraphs = _paragraphs(entries, numbered=True)
    intro: list[str] = []
    objectives: list[ParsedObjective] = []
    index = 0
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        index += 1
        # "Une visée stratégique :" with its text on the next line: one clause.
        while (
            _ends_with_bare_clause_head(paragraph.text)
            and index < len(paragraphs)
            and not paragraphs[index].marker
            and not _clause_starts(paragraphs[index].text)
        ):
            paragraph.absorb(paragraphs[index])
            index += 1
        starts = _clause_starts(paragraph.text)
        lead_in = _lead_in_before_clauses(paragraph.text)
        if lead_in:
            # « … revêt un triple enjeu : Une visée stratégique : … » on one line: the lead-in, then its clauses.
            intro.append(paragraph.text[:lead_in].strip())
            head = paragraph.text[lead_in:]
            starts = _clause_starts(head)
            for start, end in zip(starts, [*starts[1:], len(head)], strict=True):
                objectives.append(ParsedObjective(head[start:end].strip(), paragraph.line_at(lead_in + start)))
            continue
        if paragraph.text.endswith(":") and not _ends_with_bare_clause_head(paragraph.text):
            intro.append(paragraph.text)
        elif starts:
            for start, end in zip(starts, [*starts[1:], len(paragraph.text)], strict=True):
                clause = paragraph.text[start:end].strip()
                objectives.append(ParsedObjective(clause, paragraph.line_at(start)))
        else:
            objectives.append(ParsedObjective(paragraph.text, paragraph.line))
    return "\n".join(intro), objectives


# --- Action sections ---------------------------------------------------------------------

# Statements that say the section is empty. Strong: a sentence opening with a negation
# word ("Néant", "Aucune action…", "Pas de…", "Non concerné", "Sans objet") or a
# "non abordée"-like participle ("Dimension non abordée…").
_ABSENCE = re.compile(
    r"^(?:neant|aucun|aucune|pas\s+d|non\s+concern|non\s+applicable|sans\s+objet|rien\b|n/?a\b)"
    r"|\bnon\s+(?:abord|trait|concern|engag|realis|prevu|mis\b|mise\b|developp|travaill|evoqu|identifi)"
)
# Weak, trusted only when it is the section's only sentence: "… n'a pas été …".
_ABSENCE_WEAK = re.compile(r"\bn'(?:a|ont|avait|avaient|etait|etaient|est|sont)\s+(?:pas|jamais)\b")

# Words whose period does not end the sentence ("etc." does: it usually closes one).
_ABBREVIATIONS = {"cf", "ex", "m", "mme", "mmes", "mlle", "mr", "dr", "st", "ste", "p", "pp", "art", "env"}


def _is_abbreviation(before: str) -> bool:
    word = re.split(r"[\s(«'’]", before)[-1]
    return _fold(word) in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence: a cut after . ! ? … followed by a space and a
    capital or an opening quote, never inside parentheses or « »."""
    sentences: list[tuple[int, str]] = []
    start, depth, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "(«":
            depth += 1
        elif char in ")»":
            depth = max(0, depth - 1)
        elif char in _TERMINAL and depth == 0:
            end = index + 1
            while end < len(text) and text[end] in _TERMINAL:
                end += 1
            following = end
            while following < len(text) and text[following] == " ":
                following += 1
            cut = (
                following > end
                and following < len(text)
                and (text[following].isupper() or text[following] in '«"“')
                and not (char == "." and end == index + 1 and _is_abbreviation(text[start:index]))
            )
            if cut:
                sentences.append((start, text[start:end].strip()))
                start = following
            index = end
            continue
        index += 1
    if text[start:].strip():
        sentences.append((start, text[start:].strip()))
    return sentences


def _parse_actions(entries: list[_Entry]) -> tuple[list[ParsedAction], str]:
    """The section's actions, and its note (statements of absence)."""
    paragraphs = _paragraphs(entries, numbered=True)
    single = len(paragraphs) == 1
    actions: list[ParsedAction] = []
    notes: list[str] = []
    intro: _Paragraph | None = None  # the "… :" line whose items are being read
    intro_used = False

    def close_intro() -> None:
        nonlocal intro, intro_used
        if intro is not None and not intro_used:
            # Nothing listed under it: the line is an action in its own right.
            actions.append(_make_action(intro.text, intro.line))
        intro, intro_used = None, False

    for paragraph in paragraphs:
        if paragraph.text.endswith(":"):
            close_intro()
            intro, intro_used = paragraph, False
        elif paragraph.marker:
            if intro is not None and intro.marker == paragraph.marker:
                close_intro()  # a sibling of the intro item ends its sub-list
            if single and _is_absence(paragraph.text, single):
                notes.append(paragraph.text)
                continue
            description = intro.text if intro is not None else ""
            actions.append(_make_action(paragraph.text, paragraph.line, description))
            intro_used = intro_used or intro is not None
        else:
            close_intro()
            sentences = _split_sentences(paragraph.text)
            weak_ok = single and len(sentences) == 1
            for offset, sentence in sentences:
                if _is_absence(sentence, weak_ok):
                    notes.append(sentence)
                else:
                    actions.append(_make_action(sentence, paragraph.line_at(offset)))
    close_intro()
    return actions, " ".join(notes)


def _is_absence(sentence: str, weak_ok: bool) -> bool:
    folded = _fold(sentence)
    return bool(_ABSENCE.search(folded) or (weak_ok and _ABSENCE_WEAK.search(folded)))


def _make_action(text: str, line: int, description: str = "") -> ParsedAction:
    title, period, start_year, end_year = _extract_period(text)
    title = _clean_title(title) or _clean_title(text) or text
    return ParsedAction(
        title=title,
        line=line,
        description=description,
        start_year=start_year,
        end_year=end_year,
        partners=_find_partners(title),
        period=period,
    )


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if _fold(text).endswith("etc."):
        return text
    return text.rstrip(" .,;:–—-")


# --- Years -------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A range whose end is written with two digits: "2017-18".
_SHORT_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—/]\s*(\d\d)(?!\d)")
# Words a period may be written with: "depuis le second semestre 2016", "de 2014 à 2015",
# "fin 2016", "septembre 2016", "2e trimestre 2019", "année scolaire 2018-2019".
_DATE_WORDS = _word_set(
    "depuis partir des a au aux de du d l le la les en et puis ou fin debut mi milieu courant cours "
    "jusqu jusque jusqua entre sur pendant periode prevu prevue prevus prevues janvier fevrier mars "
    "avril mai juin juillet aout septembre octobre novembre decembre printemps ete automne hiver "
    "rentree premier premiere second seconde deuxieme troisieme quatrieme dernier derniere er e eme "
    "nd s t semestre semestres trimestre trimestres annee annees an ans scolaire civile saison"
)
# A period at the very end of an item, without parentheses: a range or an open start.
# "sep" is what separates it from the title (kept in the title when only spaces).
_TRAILING_PERIOD = re.compile(
    r"(?P<sep>\s*[,:–—-]\s*|\s+)"
    r"(?P<expr>(?:depuis|dès|à\s+partir\s+de)\s+(?:[^\W\d]+\s+){0,3}(?:19|20)\d\d"
    r"|(?:de\s+|entre\s+)?(?:19|20)\d\d\s*(?:-|–|—|/|à|au|et)\s*(?:19|20)\d\d)"
    r"[\s.,;]*$"
)


def _is_date_expression(text: str) -> bool:
    """Whether text only says when: years, and words from _DATE_WORDS."""
    folded = _fold(text)
    if not _YEAR.search(folded) or not re.fullmatch(r"[\w\s\-–—/,.'’]*", text):
        return False
    for token in re.findall(r"[^\W\d_]+|\d+", folded):
        if token.isdigit():
            if not (len(token) <= 2 or _YEAR.fullmatch(token)):
                return False
        elif token not in _DATE_WORDS:
            return False
    return True


def _period_bounds(expression: str) -> tuple[int | None, int | None, bool]:
    """(start, end, open) of one period; open when it runs on ("depuis 2017")."""
    folded = _fold(expression)
    years = [int(year) for year in _YEAR.findall(folded)]
    for first, last in _SHORT_RANGE.findall(folded):
        end = int(first[:2] + last)
        if end > int(first):
            years.append(end)
    is_open = bool(re.search(r"\b(?:depuis|partir|des)\b", folded))
    until = "jusqu" in folded
    if is_open and not until:
        return min(years), None, True
    if until and len(years) == 1:
        return None, years[0], False
    return min(years), max(years), False


def _extract_period(text: str) -> tuple[str, str, int | None, int | None]:
    """(text without its period, period as written, start year, end year)."""
    bounds: list[tuple[int | None, int | None, bool]] = []
    periods: list[str] = []
    # Innermost parentheses: "(2015)", "(2014 -2015)", "(depuis le second semestre 2016)".
    for match in reversed(list(re.finditer(r"\s*\(([^()]*)\)", text))):
        if _is_date_expression(match.group(1)):
            periods.insert(0, match.group(1).strip())
            bounds.insert(0, _period_bounds(match.group(1)))
            text = text[: match.start()] + text[match.end() :]
    if not periods:
        match = _TRAILING_PERIOD.search(text)
        if match and _is_date_expression(match.group("expr")):
            periods.append(match.group("expr"))
            bounds.append(_period_bounds(match.group("expr")))
            if match.group("sep").strip():
                text = text[: match.start()]
            else:
                periods.clear()  # the period stays in the title; the years are still read
    if not bounds:
        return text, "", None, None
    starts = [start for start, _, _ in bounds if start is not None]
    ends = [end for _, end, _ in bounds if end is not None]
    start_year = min(starts) if starts else None
    end_year = None if any(is_open for _, _, is_open in bounds) or not ends else max(ends)
    return text, "; ".join(periods), start_year, end_year


# --- Partners ----------------------------------------------------------------------------

# "avec" / "par" / "auprès de", then an optional article, then (checked in code) a capital.
_PARTNER_TRIGGER = re.compile(
    r"\b(?P<trigger>avec|par|aupr[eè]s\s+de|aupr[eè]s\s+d['’])\s+"
    r"(?P<article>(?:la|le|les|du|des|the)\s+|l['’]\s*|d['’]\s*)?"
)
# Where a partner's name ends: punctuation, or a word that starts a new phrase
# ("… avec la Caf de la Drôme d’une démarche …", "… par la Fonda pour …", "… et les …").
_NAME_END = re.compile(
    r"\s*(?:[(),;:«»\[\]!?]|\.(?=\s|$))"
    r"|\s+(?:d['’]une?|pour|dans|afin|sur|qui|que|dont|en\s+vue|autour|à|au|aux|puis|depuis|avec|par"
    r"|via|lors|selon|vers|chez|contre|sans|sous|ou|mais)\b"
    r"|\s+(?:et|en)\s+(?=[^\W\d_A-ZÀ-ÖØ-Þ]|\d)"  # "et"/"en" then a lower-case word or a number
)
# After a name, another one in the same role: ", la MSA", "et le Département".
_NEXT_PARTNER = re.compile(r"\s*(?:,|\bet\b|\bainsi\s+que\b)\s+(?:(?:la|le|les)\s+|l['’]\s*)(?=[A-ZÀ-ÖØ-Þ])")
_MAX_NAME_WORDS = 10


def _find_partners(text: str) -> list[ParsedPartner]:
    partners: list[ParsedPartner] = []
    seen: set[str] = set()
    quoted = _quoted_spans(text)
    for match in _PARTNER_TRIGGER.finditer(text):
        if any(start <= match.start() < end for start, end in quoted):
            continue  # "avec" inside a quoted title is not a mention
        role = _partner_role(text[: match.start()], match.group("trigger"))
        position = match.end()
        while (found := _partner_name(text, position)) is not None:
            name, position = found
            if name.casefold() not in seen:
                seen.add(name.casefold())
                partners.append(ParsedPartner(name, role))
            more = _NEXT_PARTNER.match(text, position)
            if more is None:
                break
            position = more.end()
    return partners


def _partner_name(text: str, start: int) -> tuple[str, int] | None:
    """(name, end offset) of the name starting at start, if it is one (a capital first)."""
    if start >= len(text) or not text[start].isupper():
        return None
    end_match = _NAME_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    name = text[start:end].strip(" -–—'’")
    words = name.split()
    while words and _fold(words[-1]) in _DANGLING:
        words.pop()
    if not words or len(words) > _MAX_NAME_WORDS:
        return None
    return " ".join(words), end


def _partner_role(before: str, trigger: str) -> str:
    """The role the words just before "avec"/"par" give: "Co-portage avec", "promue par"."""
    tail = " ".join(_fold(before[-60:]).split()[-2:])
    if re.search(r"co-?\s?port", tail):
        return "co-portage"
    if "partenariat" in tail:
        return "partenariat"
    if trigger == "par" and re.search(r"\b(?:promu|porte|impulse|initie)e?s?$", tail):
        return "promotion"
    return "partenaire"


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"«[^»]*»|“[^”]*”", text)]


# --- Entry point -------------------------------------------------------------------------

_EXPECTED = ", ".join(_HEADING_LABELS.values())


def parse_plan_document(source: bytes | str) -> ParsedPlan:
    """Parse a plan document (bytes as uploaded, or decoded text) into plain dataclasses.

    Raises DocumentError, with a French message and the line when known, for anything that
    is not a plan; never another exception for str or bytes input.
    """
    if not isinstance(source, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"parse_plan_document attend du texte ou des octets, pas {type(source).__name__}")
    try:
        return _parse(source)
    except DocumentError:
        raise
    except Exception as error:
        # A bug of this module must still reach the user as a refusal, not as a server error.
        raise DocumentError(
            "Le document n’a pas pu être analysé (erreur inattendue du lecteur) : merci de transmettre "
            "ce fichier à l’équipe technique"
        ) from error


# A plan document is a few dozen pages (the federation's own: 5,000 characters, 66 lines);
# reading costs grow with its length, so a longer text is refused before it is read.
MAX_DOCUMENT_CHARACTERS = 150_000
MAX_DOCUMENT_LINES = 5_000


def _too_long(limit: int, unit: str) -> DocumentError:
    return DocumentError(
        f"Le document dépasse {limit:_} {unit} : est-ce bien le projet fédéral ? ".replace("_", "\u202f")
        + "Gardez seulement le texte du projet (sans annexes) puis importez-le à nouveau."
    )


def _check_size(text: str) -> None:
    if len(text) > MAX_DOCUMENT_CHARACTERS:
        raise _too_long(MAX_DOCUMENT_CHARACTERS, "caractères")
    if text.count("\n") >= MAX_DOCUMENT_LINES:
        raise _too_long(MAX_DOCUMENT_LINES, "lignes")


# What the plan's database columns take (toolkit.limits; this reader imports no Django):
# an objective or an action's title, and a section's text.
MAX_ITEM_LENGTH = 500
MAX_SECTION_LENGTH = 20_000


def _check_lengths(chapters: list[ParsedChapter]) -> None:
    """Refuse, naming the line, an item or a section longer than the plan can keep."""
    for chapter in chapters:
        for axis in chapter.axes:
            items = [(objective.text, objective.line) for objective in axis.objectives]
            items += [(action.title, action.line) for action in axis.previous_actions + axis.projects + axis.leads]
            for text, line in items:
                if len(text) > MAX_ITEM_LENGTH:
                    raise DocumentError(
                        f"Un objectif ou une action dépasse {MAX_ITEM_LENGTH} caractères : coupez-le en phrases "
                        "plus courtes ou mettez le détail sur une ligne à part",
                        line,
                    )
            for section in (axis.context, axis.stakes, axis.objectives_intro):
                if len(section) > MAX_SECTION_LENGTH:
                    raise DocumentError(
                        f"Une rubrique de l’axe « {_excerpt(axis.title)} » dépasse {MAX_SECTION_LENGTH:_} caractères".replace(
                            "_", "\u202f"
                        ),
                        axis.line,
                    )


def _parse(source: bytes | str) -> ParsedPlan:
    if isinstance(source, str):
        text = source
        _check_size(text)
        _check_is_text(text)
    else:
        if len(source) > 4 * MAX_DOCUMENT_CHARACTERS:  # UTF-8 takes at most 4 bytes a character
            raise _too_long(MAX_DOCUMENT_CHARACTERS, "caractères")
        text = decode_document(bytes(source))
        _check_size(text)
    lines = _read_lines(text)
    if all(line.kind == BLANK for line in lines):
        raise DocumentError("Le fichier est vide.")
    if not any(line.kind == HEADING for line in lines):
        raise DocumentError(
            f"Aucun axe reconnu : le document ne contient aucune des rubriques attendues ({_EXPECTED})."
        )
    start_year, end_year, title_lines = _read_period(lines)
    drafts = _Structure(lines).run()
    chapters = [ParsedChapter(title, number, [_build_axis(draft) for draft in axes]) for title, number, axes in drafts]
    _check_lengths(chapters)
    attached = _attach_export_notes(lines, chapters)
    dropped = [(line.number, line.text) for line in lines if line.kind == DEBRIS and line.number not in attached]
    return ParsedPlan(
        chapters=chapters,
        dropped=dropped,
        start_year=start_year,
        end_year=end_year,
        title_lines=title_lines,
    )


def _attach_export_notes(lines: list[_Line], chapters: list[ParsedChapter]) -> set[int]:
    """Give each status or partners note of the app's export to the item just above it (no
    heading between them); the numbers of the lines so used."""
    actions = sorted(
        (
            action
            for chapter in chapters
            for axis in chapter.axes
            for action in axis.previous_actions + axis.projects + axis.leads
        ),
        key=lambda action: action.line,
    )
    starts = [action.line for action in actions]
    headings = [line.number for line in lines if line.kind == HEADING]
    used = set()
    for line in lines:
        status = _STATUS_NOTE.match(line.text) if line.kind == DEBRIS else None
        partners = _PARTNERS_NOTE.match(line.text) if line.kind == DEBRIS else None
        index = bisect.bisect_left(starts, line.number) - 1
        if not (status or partners) or index < 0:
            continue
        action = actions[index]
        if any(action.line < heading < line.number for heading in headings):
            continue
        used.add(line.number)
        if status:
            action.status = status["status"].strip()
            progress = status["progress"]
            action.progress = int(progress) if progress is not None and int(progress) <= 100 else None
        if partners:
            named = {partner.name.casefold() for partner in action.partners}
            for piece in partners["partners"].split(" ; "):
                found = _NOTED_PARTNER.match(piece.strip())
                if found and found["name"].casefold() not in named:
                    named.add(found["name"].casefold())
                    action.partners.append(ParsedPartner(found["name"], (found["role"] or "").strip()))
    return used


def _build_axis(draft: _AxisDraft) -> ParsedAxis:
    axis = ParsedAxis(title=draft.title, line=draft.line)
    sections = draft.sections
    axis.context = _parse_text(sections.get(CONTEXT, []))
    axis.stakes = _parse_text(sections.get(STAKES, []))
    axis.objectives_intro, axis.objectives = _parse_objectives(sections.get(OBJECTIVES, []))
    axis.previous_actions, axis.previous_actions_note = _parse_actions(sections.get(PREVIOUS, []))
    axis.projects, axis.projects_note = _parse_actions(sections.get(PROJECTS, []))
    axis.leads, axis.leads_note = _parse_actions(sections.get(LEADS, []))
    return axis
