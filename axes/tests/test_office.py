"""Word, OpenDocument and PDF plan documents (axes.office), and the files refused.

The fixtures are the seed converted by LibreOffice and rebuilt with Word's heading styles
and list formatting (documents/make_documents.py); each must give exactly the seed's plan.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from axes.document import DocumentError, ParsedPlan, parse_plan_document
from axes.office import MAX_DOCUMENT_BYTES, document_format, document_text

DOCUMENTS = Path(__file__).parent / "documents"


def structure(plan: ParsedPlan) -> dict:
    """The plan without line numbers (a paragraph is not a line) nor the dropped web debris."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("line", "dropped", "title_lines")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(dataclasses.asdict(plan))


@pytest.fixture(scope="module")
def seed() -> dict:
    return structure(parse_plan_document((DOCUMENTS / "seed.txt").read_bytes()))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("seed.docx", "docx"),  # LibreOffice's conversion: one paragraph a line
        ("seed.odt", "odt"),
        ("seed.pdf", "pdf"),  # wrapped lines rejoined
        ("seed_headings.docx", "docx"),  # « Heading 1/2/3 », list paragraphs, no blank paragraph
        ("seed_titres.docx", "docx"),  # « Titre 1/2 » styles, section names in bold
    ],
)
def test_each_office_copy_of_the_seed_gives_exactly_the_seeds_plan(seed, name, kind):
    data = (DOCUMENTS / name).read_bytes()
    assert document_format(data) == kind
    plan = parse_plan_document(document_text(data))
    assert structure(plan) == seed
    assert [axis.title for axis in plan.axes] == ["Impact social", "Gouvernance", "Fonction accueil"]


def test_list_formatting_becomes_a_marker_and_headings_stand_apart():
    text = document_text((DOCUMENTS / "seed_headings.docx").read_bytes())
    lines = text.splitlines()
    assert (
        "→ à innover dans leurs pratiques et leurs partenariats en lien avec les nouvelles attentes sociales "
        "et sociétales" in lines
    )
    index = lines.index("Gouvernance")
    assert lines[index - 2 : index] == ["", ""] and lines[index + 1] == ""


def test_word_outline_level_and_bold_title_are_read():
    import docx

    document = docx.Document()
    document.add_paragraph("Un réseau ouvert", style="Title")
    document.add_paragraph("Jeunesse", style="Heading 1")
    title = document.add_paragraph()
    title.add_run("Contexte global").bold = True
    document.add_paragraph("Les jeunes s’engagent autrement.")
    document.add_paragraph("Pistes d’actions")
    document.add_paragraph("Créer un conseil de jeunes", style="List Number")
    document.add_paragraph("Soutenir les juniors associations", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)

    plan = parse_plan_document(document_text(buffer.getvalue()))

    assert [chapter.title for chapter in plan.chapters] == ["Un réseau ouvert"]
    (axis,) = plan.axes
    assert axis.title == "Jeunesse"
    assert axis.context == "Les jeunes s’engagent autrement."
    assert [lead.title for lead in axis.leads] == ["Créer un conseil de jeunes", "Soutenir les juniors associations"]


def test_odt_headings_and_lists():
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Des dynamiques de réseau"))
    document.text.addElement(H(outlinelevel=2, text="Communication"))
    document.text.addElement(H(outlinelevel=3, text="OBJECTIFS OPÉRATIONNELS"))
    items = List()
    for text in ("Faire connaître le réseau", "Outiller les centres"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    buffer = io.BytesIO()
    document.save(buffer)

    plan = parse_plan_document(document_text(buffer.getvalue()))

    assert [(chapter.title, [axis.title for axis in chapter.axes]) for chapter in plan.chapters] == [
        ("Des dynamiques de réseau", ["Communication"])
    ]
    assert [objective.text for objective in plan.axes[0].objectives] == [
        "Faire connaître le réseau",
        "Outiller les centres",
    ]


# --- Refusals: a French message, before anything is read further --------------------------


def zip_bytes(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_with(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    with zipfile.ZipFile(DOCUMENTS / "seed.docx") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    if content_types is not None:
        entries["[Content_Types].xml"] = content_types
    return zip_bytes({**entries, **extra})


def scanned_pdf() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "CONTEXTE GLOBAL", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()


def locked_pdf(user_password: str = "secret") -> bytes:
    """The seed's PDF encrypted; with an empty user password it opens without one."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(DOCUMENTS / "seed.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def locked_docx() -> bytes:
    """The start of an encrypted OOXML package: a compound file holding EncryptionInfo."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")


def locked_odt() -> bytes:
    manifest = (
        b'<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        b"</manifest:manifest>"
    )
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "META-INF/manifest.xml": manifest, "content.xml": b"x"}
    )


MACRO_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)

REFUSALS = {
    "too large": (lambda: b"CONTEXTE GLOBAL\n" + b"x" * MAX_DOCUMENT_BYTES, "au-delà des 20 Mo acceptés"),
    "zip bomb by size": (
        lambda: zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (120 * 1024 * 1024)}),
        "sans commune mesure avec un document",
    ),
    "zip bomb by entries": (
        lambda: zip_bytes({f"word/part{i}.xml": b"" for i in range(1500)}, zipfile.ZIP_STORED),
        "sans commune mesure avec un document",
    ),
    "scanned pdf": (scanned_pdf, "ne contient pas de texte lisible (c’est sans doute un document numérisé"),
    "locked pdf": (locked_pdf, "Le PDF est protégé par un mot de passe"),
    "locked docx": (locked_docx, "Le document est protégé par un mot de passe"),
    "locked odt": (locked_odt, "Le document est protégé par un mot de passe"),
    "docm": (lambda: docx_with({"word/vbaProject.bin": b"macro"}, MACRO_TYPES), "contient des macros"),
    "old word": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word 97-2003 (.doc)"),
    "damaged docx": (lambda: (DOCUMENTS / "seed.docx").read_bytes()[:3000], "archive endommagée"),
    "spreadsheet": (
        lambda: zip_bytes({"[Content_Types].xml": b"spreadsheetml.sheet.main+xml", "xl/workbook.xml": b"<x/>"}),
        "n’est pas un document Word",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_files_are_refused_in_french(case):
    make, message = REFUSALS[case]
    with pytest.raises(DocumentError) as refusal:
        document_text(make())
    assert message in refusal.value.message


def test_a_pdf_with_only_an_owner_password_is_read():
    assert [axis.title for axis in parse_plan_document(document_text(locked_pdf(user_password=""))).axes] == [
        "Impact social",
        "Gouvernance",
        "Fonction accueil",
    ]
