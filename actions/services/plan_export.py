"""The plan back out as a document: Word (.docx), OpenDocument (.odt) or text (.txt), in the
federation's layout (chapters, axes, the six sections, objectives, projects with their years
and partners, leads), which the import reads back into the same plan.

Where an action goes: the previous plan's actions under « Actions du précédent projet »,
leads under « Pistes d'actions », every other status under « Projets déjà engagés ». Partners
are named in an action's title, as in the federation's document; those linked only in the app
follow the item in a note, « [Partenaires : Fonda (partenariat) ; Uniscité] ». Optionally
(`with_status`), each action's status and progress (« [Statut : Terminée, avancement 100 %] »)
and the date of the export follow. The import reads the notes back into the action above them
(a project planned, done or abandoned comes back so), and keeps them out of the plan's text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from actions.models import Action
from axes.models import Axis, Objective, Plan
from toolkit.french import long_date
from toolkit.text import fold

# Headings as the federation's document writes them (axes.document reads them back).
CONTEXT, STAKES, PREVIOUS, OBJECTIVES, PROJECTS, LEADS = (
    "CONTEXTE GLOBAL",
    "ENJEUX POUR LE RÉSEAU",
    "ACTIONS DU PRÉCÉDENT PROJET",
    "OBJECTIFS OPÉRATIONNELS",
    "Projets déjà engagés :",
    "PISTES D’ACTIONS :",
)
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
}
_PERIOD_NOTE = re.compile(r"^Période : (?P<period>.+)\.$")
_MARKER = "→"


@dataclass
class Block:
    role: str  # title | chapter | axis | section | text | item | status
    text: str


def plan_blocks(plan: Plan, *, with_status: bool = False, today: date | None = None) -> list[Block]:
    """The document, paragraph by paragraph."""
    blocks: list[Block] = []
    if plan.start_year and plan.end_year:
        # The import reads the plan's period from such a line (and only a line with years is not a chapter).
        blocks.append(Block("title", f"{plan.title} {plan.start_year}-{plan.end_year}"))
    if with_status:
        day = long_date(today or date.today())
        blocks.append(Block("status", f"[Exporté le {day}]"))
    # Five queries whatever the plan's size.
    axes_by_chapter: dict[int, list[Axis]] = {}
    for axis in Axis.objects.filter(chapter__plan=plan).order_by("order", "pk"):
        axes_by_chapter.setdefault(axis.chapter_id, []).append(axis)
    objectives_by_axis: dict[int, list[str]] = {}
    for axis_id, text in (
        Objective.objects.filter(axis__chapter__plan=plan).order_by("order", "pk").values_list("axis_id", "text")
    ):
        objectives_by_axis.setdefault(axis_id, []).append(text)
    actions_by_axis: dict[int, list[Action]] = {}
    for action in (
        Action.objects.filter(axis__chapter__plan=plan)
        .order_by("order", "pk")
        .prefetch_related("partner_links__partner")
    ):
        actions_by_axis.setdefault(action.axis_id, []).append(action)
    for chapter in plan.chapters.order_by("order", "pk"):
        blocks.append(Block("chapter", chapter.title))
        for axis in axes_by_chapter.get(chapter.pk, []):
            blocks += _axis_blocks(
                axis, objectives_by_axis.get(axis.pk, []), actions_by_axis.get(axis.pk, []), with_status
            )
    return blocks


def _axis_blocks(axis: Axis, objectives: list[str], actions: list[Action], with_status: bool) -> list[Block]:
    blocks = [Block("axis", axis.title)]

    def section(heading: str, lines: list[Block]) -> None:
        if lines:
            blocks.append(Block("section", heading))
            blocks.extend(lines)

    section(CONTEXT, _text_blocks(axis.context))
    section(STAKES, _text_blocks(axis.stakes))
    by_section = {PREVIOUS: [], PROJECTS: [], LEADS: []}
    for action in actions:
        if action.status == Action.Status.PREVIOUS_PLAN:
            by_section[PREVIOUS].append(action)
        elif action.status == Action.Status.LEAD:
            by_section[LEADS].append(action)
        else:
            by_section[PROJECTS].append(action)
    section(PREVIOUS, _action_blocks(axis.previous_actions_note, by_section[PREVIOUS], with_status))
    section(OBJECTIVES, _text_blocks(axis.objectives_intro) + [Block("item", text) for text in objectives])
    section(PROJECTS, _action_blocks(axis.projects_note, by_section[PROJECTS], with_status))
    section(LEADS, _action_blocks(axis.leads_note, by_section[LEADS], with_status))
    return blocks


def _text_blocks(text: str) -> list[Block]:
    return [Block("text", line.strip()) for line in (text or "").splitlines() if line.strip()]


def _action_blocks(note: str, actions: list[Action], with_status: bool) -> list[Block]:
    blocks = _text_blocks(note)
    intro = ""
    for action in actions:
        lines = [line for line in action.description.splitlines() if line.strip()]
        period = next((m.group("period") for line in lines if (m := _PERIOD_NOTE.match(line))), "")
        lead_in = next((line for line in lines if line.endswith(":")), "")
        if lead_in and lead_in != intro:
            blocks.append(Block("text", lead_in))  # the « … : » line its items follow
        intro = lead_in
        blocks.append(Block("item", action.title + _period(action, period)))
        if with_status:
            progress = f", avancement {action.progress} %" if action.progress is not None else ""
            blocks.append(Block("status", f"[Statut : {action.get_status_display()}{progress}]"))
        if partners := _partners_not_in_title(action):
            blocks.append(Block("status", f"[Partenaires : {' ; '.join(partners)}]"))
    return blocks


def _partners_not_in_title(action: Action) -> list[str]:
    """« Name (role) » of each partner linked in the app that the action's title does not name."""
    title = fold(action.title)
    return [
        f"{link.partner.name} ({link.role})" if link.role else link.partner.name
        for link in sorted(action.partner_links.all(), key=lambda link: link.partner.name)
        if fold(link.partner.name) not in title
    ]


def _period(action: Action, written: str) -> str:
    if written:
        return f" ({written})"
    start, end = action.start_year, action.end_year
    if start and end:
        return f" ({start})" if start == end else f" ({start}-{end})"
    if start:
        return f" (depuis {start})"
    if end:
        return f" (jusqu’en {end})"
    return ""


# --- Formats --------------------------------------------------------------------------------


def plan_export(plan: Plan, fmt: str, *, with_status: bool = False, today: date | None = None) -> bytes:
    blocks = plan_blocks(plan, with_status=with_status, today=today)
    return {"txt": _as_text, "docx": _as_docx, "odt": _as_odt}[fmt](blocks)


def _as_text(blocks: list[Block]) -> bytes:
    lines: list[str] = []
    for block in blocks:
        if block.role in ("title", "chapter"):
            lines += ["", "", block.text, ""] if lines else [block.text, ""]
        elif block.role == "axis":
            lines += ["", "", f"{block.text} :", ""] if lines else [f"{block.text} :", ""]
        elif block.role == "item":
            lines.append(f"{_MARKER} {block.text}")
        else:
            lines.append(block.text)
    return ("\n".join(lines).strip("\n") + "\n").encode("utf-8")


def _as_docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    styles = {"title": "Title", "chapter": "Heading 1", "axis": "Heading 2", "section": "Heading 3"}
    for block in blocks:
        if block.role in styles:
            document.add_paragraph(block.text.rstrip(" :"), style=styles[block.role])
        elif block.role == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.role == "status":
            document.add_paragraph().add_run(block.text).italic = True
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _as_odt(blocks: list[Block]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    for level, size in ((1, "18pt"), (2, "15pt"), (3, "12pt")):
        style = Style(name=f"Heading_20_{level}", displayname=f"Heading {level}", family="paragraph")
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        document.styles.addElement(style)
    levels = {"title": 1, "chapter": 1, "axis": 2, "section": 3}
    current_list = None
    for block in blocks:
        if block.role == "item":
            if current_list is None:
                current_list = List()
                document.text.addElement(current_list)
            item = ListItem()
            item.addElement(P(text=block.text))
            current_list.addElement(item)
            continue
        current_list = None
        if block.role in levels:
            level = levels[block.role]
            document.text.addElement(
                H(outlinelevel=level, stylename=f"Heading_20_{level}", text=block.text.rstrip(" :"))
            )
        else:
            document.text.addElement(P(text=block.text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
