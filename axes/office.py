"""Word (.docx), OpenDocument (.odt) and PDF plan documents, read as the import's text.

A federation writes its plan in a word processor. This module turns such a file into the
plain text that ``axes.document`` reads (one paragraph a line), so that every format goes
through the same rules, the same preview and the same report of dropped lines:

- heading styles and outline levels (Word's « Titre 1/2/3 » as well as « Heading 1/2/3 »,
  OpenDocument's ``text:h``) and bold short paragraphs are set apart by blank lines: a
  section name (« Contexte global », …) stays a section heading, another heading followed
  by one is an axis title, and one standing alone above an axis title is a chapter title;
- list paragraphs whose bullet is formatting, not a character, get a "→ " marker;
- a PDF's lines are rejoined where the text wrapped at the right margin, and a taller gap
  between lines is a blank line.

What cannot be read is refused with a French message (``DocumentError``), before anything
is written: a file over 20 MB, a zip bomb, a password-protected or macro-enabled file, a
PDF without a text layer (scanned). Like ``axes.document``, this imports nothing from Django.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from axes.document import DocumentError, decode_document, match_section_heading

__all__ = ["MAX_DOCUMENT_BYTES", "document_format", "document_text"]

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# An office file is a zip archive: out of proportion, it is a zip bomb, not a plan.
MAX_ARCHIVE_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # uncompressed / compressed, over the whole archive
_RATIO_CHECKED_ABOVE = 10 * 1024 * 1024  # small archives may compress well (XML does)

DOCX, ODT, PDF, TEXT = "docx", "odt", "pdf", "txt"

_BULLET_START = re.compile(r"^\s*(?:[→•▪◦●○■□►▸▶➢➤➔✓✔–—·\ue000-\uf8ff]|->|=>|[-*+]\s)")
_SAVE_AS = "enregistrez-le au format Word (.docx), OpenDocument (.odt), PDF ou texte (.txt)"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def document_format(data: bytes) -> str:
    """The format a file's first bytes give: docx, odt, pdf or txt; refuses what is none."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        with _open_archive(data) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return DOCX
            if "mimetype" in names:
                return ODT
        raise DocumentError(f"Le fichier est une archive, pas un document : {_SAVE_AS}.")
    if data.lstrip()[:5] == b"%PDF-":
        return PDF
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # Compound file: Word 97-2003, or a password-protected Word/OpenXML file (encrypted
        # packages are stored in one, with an EncryptionInfo stream).
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            raise DocumentError(
                "Le document est protégé par un mot de passe : enregistrez-en une copie sans mot de passe, "
                "puis importez cette copie."
            )
        raise DocumentError(f"Le document est au format Word 97-2003 (.doc), qui n’est pas lu : {_SAVE_AS}.")
    return TEXT


def document_text(data: bytes) -> str:
    """The document as the text ``axes.document.parse_plan_document`` reads.

    Raises DocumentError, with a French message, for a file it refuses or cannot read.
    """
    data = bytes(data)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"Le fichier pèse {_mb(len(data))} Mo, au-delà des 20 Mo acceptés : enregistrez le document sans ses "
            "images (ou au format texte) puis importez-le à nouveau."
        )
    kind = document_format(data)
    if kind == TEXT:
        return decode_document(data)
    reader = {DOCX: _docx_paragraphs, ODT: _odt_paragraphs, PDF: _pdf_paragraphs}[kind]
    try:
        paragraphs = reader(data)
    except DocumentError:
        raise
    except Exception as error:  # a damaged file: whatever the library raises
        raise DocumentError(
            f"Le fichier {_FORMAT_NAMES[kind]} est endommagé ou illisible : ouvrez-le dans votre traitement de texte, "
            f"{_SAVE_AS}, puis importez ce fichier."
        ) from error
    return _layout(paragraphs)


_FORMAT_NAMES = {DOCX: "Word", ODT: "OpenDocument", PDF: "PDF"}


# --- The common layout ---------------------------------------------------------------------


@dataclass
class _Paragraph:
    text: str
    level: int | None = None  # heading level (0: the document's title), None: body text
    bullet: bool = False  # a list paragraph whose marker is formatting
    bold: bool = False  # every character bold
    blank_before: bool = False  # (PDF) a taller gap above it


def _layout(paragraphs: list[_Paragraph]) -> str:
    """One paragraph a line; headings and bold titles set apart by blank lines."""
    lines: list[str] = []

    def blanks(count: int) -> None:
        trailing = len(lines) - len(_rstrip_blank(lines))
        lines.extend([""] * max(0, count - trailing))

    for paragraph in paragraphs:
        for index, piece in enumerate(paragraph.text.split("\n")):
            text = re.sub(r"[ \t\u00a0]+", " ", piece).strip()
            if not text:
                lines.append("")
                continue
            if paragraph.blank_before and index == 0:
                blanks(1)
            if index == 0 and paragraph.bullet and not _BULLET_START.match(text):
                text = f"→ {text}"
            titled = paragraph.level is not None or (paragraph.bold and _reads_as_title(text))
            if titled and index == 0 and not _is_section_name(text):
                blanks(2 if lines else 0)
                lines.append(text)
                lines.append("")
            else:
                lines.append(text)
    return "\n".join(_rstrip_blank(lines)) + "\n"


def _rstrip_blank(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    return lines[:end]


def _reads_as_title(text: str) -> bool:
    return len(text) <= 150 and text[-1] not in ".!?…;," and not _BULLET_START.match(text)


def _is_section_name(text: str) -> bool:
    heading = match_section_heading(text)  # the parser's own rule
    return heading is not None and not heading[1]


# --- Zip archives (.docx, .odt) ------------------------------------------------------------


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise DocumentError(f"Le fichier est une archive endommagée : {_SAVE_AS}.") from error
    entries = archive.infolist()
    uncompressed = sum(entry.file_size for entry in entries)
    if (
        len(entries) > MAX_ARCHIVE_ENTRIES
        or uncompressed > MAX_UNCOMPRESSED_BYTES
        or (uncompressed > _RATIO_CHECKED_ABOVE and uncompressed > MAX_COMPRESSION_RATIO * len(data))
    ):
        archive.close()
        raise DocumentError(
            f"Le fichier est refusé : une fois décompressé, il compterait {len(entries)} éléments et "
            f"{_mb(uncompressed)} Mo, sans commune mesure avec un document (c’est peut-être un fichier piégé). "
            f"Ouvrez-le dans votre traitement de texte et {_SAVE_AS}."
        )
    return archive


_MACRO_REFUSAL = (
    "Le document contient des macros (.docm ou fichier à macros) : elles ne sont pas acceptées. "
    "Enregistrez-le au format Word sans macros (.docx), OpenDocument (.odt) ou texte (.txt)."
)


# --- Word ---------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift|titolo)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|titre|titre du document)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^(?:list|liste|paragraphe de liste|puce)", re.IGNORECASE)


def _docx_paragraphs(data: bytes) -> list[_Paragraph]:
    with _open_archive(data) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        names = archive.namelist()
    if "macroEnabled" in types or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise DocumentError(_MACRO_REFUSAL)
    if "wordprocessingml.document.main" not in types and "wordprocessingml.template.main" not in types:
        raise DocumentError(f"Le fichier n’est pas un document Word (tableur ou présentation ?) : {_SAVE_AS}.")

    import docx  # python-docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    paragraphs: list[_Paragraph] = []

    def visit(block) -> None:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    for inner in cell.iter_inner_content():
                        visit(inner)
            return
        paragraphs.append(
            _Paragraph(
                text=block.text,
                level=_docx_level(block),
                bullet=_docx_is_list(block),
                bold=_docx_is_bold(block),
            )
        )

    for block in document.iter_inner_content():
        visit(block)
    return paragraphs


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _outline_level(element) -> int | None:
    ppr = element.find(f"{_W}pPr")
    level = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if level is None:
        return None
    value = int(level.get(f"{_W}val"))
    return value + 1 if value < 9 else None  # 9: body text


def _docx_level(paragraph) -> int | None:
    level = _outline_level(paragraph._p)
    if level is not None:
        return level
    for style in _style_chain(paragraph.style):
        for name in (style.name or "", style.style_id or ""):
            if match := _HEADING_STYLE.match(name.strip()):
                return int(match.group(1))
            if _TITLE_STYLE.match(name.strip()):
                return 0
        level = _outline_level(style.element)
        if level is not None:
            return level
    return None


def _docx_is_list(paragraph) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        num_id = ppr.numPr.numId
        return num_id is None or num_id.val != 0  # numId 0: numbering switched off
    for style in _style_chain(paragraph.style):
        if _LIST_STYLE.match(style.name or "") or style.element.find(f"{_W}pPr/{_W}numPr") is not None:
            return True
    return False


def _docx_is_bold(paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    style_bold = any(style.font.bold for style in _style_chain(paragraph.style))
    return all(run.bold or (run.bold is None and (style_bold or _run_style_bold(run))) for run in runs)


def _run_style_bold(run) -> bool:
    style = run.style
    return bool(style is not None and any(s.font.bold for s in _style_chain(style)))


# --- OpenDocument -------------------------------------------------------------------------

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odt_paragraphs(data: bytes) -> list[_Paragraph]:
    with _open_archive(data) as archive:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        names = archive.namelist()
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    if b"encryption-data" in manifest:
        raise DocumentError(
            "Le document est protégé par un mot de passe : enregistrez-en une copie sans mot de passe, "
            "puis importez cette copie."
        )
    if any(name.startswith(("Basic/", "Scripts/")) and not name.endswith("/") for name in names):
        raise DocumentError(_MACRO_REFUSAL)
    if mimetype not in ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template"):
        raise DocumentError(f"Le fichier n’est pas un texte OpenDocument (tableur ou présentation ?) : {_SAVE_AS}.")

    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    styles = _OdtStyles(document)
    paragraphs: list[_Paragraph] = []

    def visit(node, in_list: bool) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            name = child.qname
            if name == (TEXTNS, "h"):
                level = child.getAttrNS(TEXTNS, "outline-level")
                paragraphs.append(_Paragraph(teletype.extractText(child), level=int(level or 1), bold=True))
            elif name == (TEXTNS, "p"):
                style = child.getAttrNS(TEXTNS, "style-name") or ""
                paragraphs.append(
                    _Paragraph(
                        teletype.extractText(child),
                        level=styles.heading_level(style),
                        bullet=in_list,
                        bold=styles.is_bold(style) or _odt_spans_bold(child, styles),
                    )
                )
                in_list = False  # only a list item's first paragraph gets the marker
            elif name == (TEXTNS, "list-item"):
                visit(child, True)
            elif name[0] in (TEXTNS, _TABLE_NS) or name[1] in ("section", "table", "table-row", "table-cell"):
                visit(child, in_list)

    visit(document.text, False)
    return paragraphs


def _odt_spans_bold(paragraph, styles: _OdtStyles) -> bool:
    from odf.namespaces import TEXTNS

    spans = [node for node in paragraph.childNodes if node.nodeType == node.ELEMENT_NODE]
    text_outside = any(node.nodeType == node.TEXT_NODE and node.data.strip() for node in paragraph.childNodes)
    if text_outside or not spans:
        return False
    return all(
        node.qname == (TEXTNS, "span") and styles.is_bold(node.getAttrNS(TEXTNS, "style-name") or "")
        for node in spans
        if str(node).strip()
    )


class _OdtStyles:
    """Named and automatic styles: which are headings (by outline level or name) and which bold."""

    def __init__(self, document):
        from odf.namespaces import STYLENS

        self.parents: dict[str, str] = {}
        self.bold: set[str] = set()
        self.levels: dict[str, int] = {}
        for root in (document.styles, document.automaticstyles, document.masterstyles):
            for style in root.getElementsByType(_style_class()):
                name = style.getAttrNS(STYLENS, "name")
                self.parents[name] = style.getAttrNS(STYLENS, "parent-style-name") or ""
                level = style.getAttrNS(STYLENS, "default-outline-level")
                if level:
                    self.levels[name] = int(level)
                for child in style.childNodes:
                    if child.nodeType == child.ELEMENT_NODE and child.getAttrNS(_FO_NS, "font-weight") in (
                        "bold",
                        "700",
                    ):
                        self.bold.add(name)

    def _chain(self, name: str):
        seen = set()
        while name and name not in seen:
            seen.add(name)
            yield name
            name = self.parents.get(name, "")

    def heading_level(self, name: str) -> int | None:
        for style in self._chain(name):
            if style in self.levels:
                return self.levels[style]
            if match := re.match(r"^Heading_20_(\d)$", style):
                return int(match.group(1))
            if style == "Title":
                return 0
        return None

    def is_bold(self, name: str) -> bool:
        return any(style in self.bold for style in self._chain(name))


def _style_class():
    from odf.style import Style

    return Style


# --- PDF ----------------------------------------------------------------------------------

_MIN_TEXT_CHARACTERS = 40  # fewer than this in the whole file: no text layer


def _pdf_paragraphs(data: bytes) -> list[_Paragraph]:
    _refuse_locked_pdf(data)
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    rows: list[dict] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages):
            for row in page.extract_text_lines(return_chars=True, strip=True):
                if row["text"].strip():
                    row["page"] = number
                    rows.append(row)
    if sum(len(row["text"].replace(" ", "")) for row in rows) < _MIN_TEXT_CHARACTERS:
        raise DocumentError(
            "Le PDF ne contient pas de texte lisible (c’est sans doute un document numérisé, une image) : "
            "importez plutôt le document d’origine (.docx, .odt ou .txt)."
        )
    return _pdf_rows_to_paragraphs(rows)


def _refuse_locked_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
    except PdfReadError as error:
        raise DocumentError(f"Le PDF est endommagé ou illisible : {_SAVE_AS}.") from error
    if locked:
        raise DocumentError(
            "Le PDF est protégé par un mot de passe : enregistrez-en une copie sans mot de passe, "
            "puis importez cette copie."
        )


def _row_size(row: dict) -> float:
    return round(max(char["size"] for char in row["chars"]), 1)


def _row_bold(row: dict) -> bool:
    chars = [char for char in row["chars"] if char["text"].strip()]
    return bool(chars) and all(re.search(r"bold|black|heavy|semibold", char["fontname"], re.I) for char in chars)


def _pdf_rows_to_paragraphs(rows: list[dict]) -> list[_Paragraph]:
    body_size = Counter(round(char["size"], 1) for row in rows for char in row["chars"]).most_common(1)[0][0]
    right = {page: max(row["x1"] for row in rows if row["page"] == page) for page in {row["page"] for row in rows}}
    steps = [
        round(following["top"] - row["top"], 1)
        for row, following in zip(rows, rows[1:], strict=False)
        if following["page"] == row["page"] and following["top"] > row["top"]
    ]
    step = Counter(steps).most_common(1)[0][0] if steps else body_size * 1.2
    paragraphs: list[_Paragraph] = []
    previous: dict | None = None
    for row in rows:
        text = row["text"].strip()
        size = _row_size(row)
        heading = size >= body_size * 1.15
        gap = previous is not None and row["page"] == previous["page"] and row["top"] - previous["top"] > step * 1.5
        if previous is not None and not gap and not heading and paragraphs and _wrapped(previous, row, right):
            last = paragraphs[-1]
            joiner = "" if re.search(r"\w-$", last.text) and text[:1].islower() else " "
            last.text += joiner + text
        else:
            paragraphs.append(
                _Paragraph(text, level=1 if heading else None, bold=_row_bold(row), blank_before=bool(gap))
            )
        previous = row
    return paragraphs


def _wrapped(row: dict, following: dict, right: dict[int, float]) -> bool:
    """Whether the line break after row is the text wrapping at the margin: the next line's
    first word would not have fitted in the room left on this line."""
    if _BULLET_START.match(following["text"]) or _row_size(following) != _row_size(row):
        return False
    if _is_section_name(following["text"].strip()):
        return False
    space = _row_size(row) * 0.25
    first_word: list[dict] = []
    for char in following["chars"]:
        # PDFs seldom hold the spaces themselves: a word ends at a space or a gap.
        if not char["text"].strip() or (first_word and char["x0"] - first_word[-1]["x1"] > space * 0.6):
            break
        first_word.append(char)
    if not first_word:
        return False
    width = first_word[-1]["x1"] - first_word[0]["x0"]
    room = right[row["page"]] - row["x1"]
    return width + space > room
