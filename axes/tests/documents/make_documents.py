"""Make the office copies of the seed document that the import tests read.

    .venv/bin/python axes/tests/documents/make_documents.py

- seed.docx, seed.odt, seed.pdf: seed.txt converted by LibreOffice
  (``soffice --headless --convert-to …``, Debian's libreoffice-writer-nogui), one paragraph a line;
- seed_headings.docx: the seed rebuilt with python-docx as Word writes it: « Heading 1/2/3 »
  for chapter, axes and sections, list paragraphs (style « List Bullet ») without bullet
  characters, no blank paragraphs;
- seed_titres.docx: the same with French style names (« Titre 1 », « Titre 2 ») and the
  section names as bold plain paragraphs.

The files are committed, so that the tests (and CI) need no LibreOffice; run this again
when seed.txt changes. Hostile files (zip bomb, scanned or locked PDF, .docm) are made by
the tests themselves.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from axes.document import match_section_heading, parse_plan_document  # noqa: E402

SEED = HERE / "seed.txt"


def convert_with_libreoffice() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as work:
        for extension in ("docx", "odt", "pdf"):
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{work}/profile",
                    "--headless",
                    "--infilter=Text (encoded):UTF8,LF,,,",
                    "--convert-to",
                    extension,
                    "--outdir",
                    work,
                    str(SEED),
                ],
                check=True,
                capture_output=True,
            )
            shutil.copy(Path(work) / f"seed.{extension}", HERE / f"seed.{extension}")


def seed_blocks() -> list[tuple[str, str]]:
    """(role, text) for each paragraph of the seed: chapter, axis, section, item or text."""
    text = SEED.read_text(encoding="utf-8")
    plan = parse_plan_document(text)
    chapters = {chapter.line for chapter in plan.chapters}
    axes = {axis.line for axis in plan.axes}
    blocks: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.replace("\u00a0", " ").strip()
        if not line:
            continue
        if number in chapters:
            blocks.append(("chapter", line))
        elif number in axes:
            blocks.append(("axis", line.rstrip(" :")))
        elif match_section_heading(line):
            blocks.append(("section", line))
        elif line.startswith("→ "):
            blocks.append(("item", line[2:]))
        elif blocks and blocks[-1][0] == "item" and line[0].islower():
            blocks[-1] = ("item", f"{blocks[-1][1]} {line}")  # the wrapped item: one paragraph in Word
        else:
            blocks.append(("text", line))
    return blocks


def build_docx(path: Path, *, french: bool) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    if french:
        # Custom styles named as a French Word names them; no outline level: the name says it.
        for level in (1, 2):
            style = document.styles.add_style(f"Titre {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style.font.size = docx.shared.Pt(18 - 3 * level)
    for role, text in seed_blocks():
        if role in ("chapter", "axis"):
            level = 1 if role == "chapter" else 2
            document.add_paragraph(text, style=f"Titre {level}" if french else f"Heading {level}")
        elif role == "section":
            if french:
                document.add_paragraph().add_run(text).bold = True
            else:
                document.add_paragraph(text, style="Heading 3")
        elif role == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.core_properties.created = document.core_properties.modified = datetime(2026, 1, 1)
    document.save(path)


if __name__ == "__main__":
    convert_with_libreoffice()
    build_docx(HERE / "seed_headings.docx", french=False)
    build_docx(HERE / "seed_titres.docx", french=True)
    for name in ("seed.docx", "seed.odt", "seed.pdf", "seed_headings.docx", "seed_titres.docx"):
        print(name, (HERE / name).stat().st_size, "bytes")
