"""Hostile files, as issue 16 found them: small to upload, huge or slow to read.

Each builder writes a file into a folder and returns its path; the files are built by
streaming (a 100 MB cell is never held in memory whole), so that building them costs
little more than the zip's compression.
"""

import io
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>nom</t></is></c></row>'


def _skeleton() -> bytes:
    workbook = Workbook()
    workbook.active.append(["nom"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx(path: Path, write_sheet) -> Path:
    """An XLSX file whose first sheet's XML `write_sheet(stream)` writes."""
    with zipfile.ZipFile(io.BytesIO(_skeleton())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename == SHEET:
                with target.open(SHEET, "w") as stream:
                    write_sheet(stream)
            else:
                target.writestr(entry, source.read(entry.filename))
    return path


def _big_cells(stream, *, cells: int, size: int) -> None:
    stream.write(f"{SHEET_HEAD}<sheetData>{HEADER_ROW}".encode())
    chunk = b"A" * (1024 * 1024)
    for number in range(cells):
        stream.write(f'<row r="{number + 2}"><c r="A{number + 2}" t="inlineStr"><is><t>'.encode())
        for _ in range(size // len(chunk)):
            stream.write(chunk)
        stream.write(b"</t></is></c></row>")
    stream.write(b"</sheetData></worksheet>")


def one_huge_cell(folder: Path) -> Path:
    """One 100 MB cell: about 100 kB zipped."""
    return _xlsx(folder / "une-cellule-de-100-mo.xlsx", lambda stream: _big_cells(stream, cells=1, size=100 << 20))


def several_huge_cells(folder: Path) -> Path:
    """Five 100 MB cells: about 500 kB zipped."""
    return _xlsx(folder / "cinq-cellules.xlsx", lambda stream: _big_cells(stream, cells=5, size=100 << 20))


def declared_as_wide_as_xfd(folder: Path) -> Path:
    """Two cells in a sheet that declares itself A1:XFD1048576 (a 2 kB file)."""

    def write(stream):
        stream.write(
            f'{SHEET_HEAD}<dimension ref="A1:XFD1048576"/><sheetData>{HEADER_ROW}'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>Caf</t></is></c></row>'
            "</sheetData></worksheet>".encode()
        )

    return _xlsx(folder / "large-comme-xfd.xlsx", write)


def cells_as_far_as_xfd(folder: Path) -> Path:
    """Rows with a cell in column XFD: really 16,384 columns wide."""

    def write(stream):
        stream.write(f"{SHEET_HEAD}<sheetData>{HEADER_ROW}".encode())
        for number in range(2, 2000):
            stream.write(f'<row r="{number}"><c r="XFD{number}"><v>1</v></c></row>'.encode())
        stream.write(b"</sheetData></worksheet>")

    return _xlsx(folder / "jusqu-a-xfd.xlsx", write)


def row_after_a_million_blank_rows(folder: Path) -> Path:
    """The header, then a data row on row 1,000,002 (the rows between are not even in the file)."""

    def write(stream):
        stream.write(
            f"{SHEET_HEAD}<sheetData>{HEADER_ROW}"
            '<row r="1000002"><c r="A1000002" t="inlineStr"><is><t>Caf de la Drôme</t></is></c></row>'
            "</sheetData></worksheet>".encode()
        )

    return _xlsx(folder / "apres-un-million-de-lignes.xlsx", write)


def blank_rows_written_out(folder: Path) -> Path:
    """The header, 300,000 blank rows each written in the file (with a height), then a data row."""

    def write(stream):
        stream.write(f"{SHEET_HEAD}<sheetData>{HEADER_ROW}".encode())
        stream.write(b"".join(f'<row r="{number}" ht="15"/>'.encode() for number in range(2, 300_002)))
        stream.write(
            b'<row r="300002"><c r="A300002" t="inlineStr"><is><t>Caf de la Dr\xc3\xb4me</t></is></c></row>'
            b"</sheetData></worksheet>"
        )

    return _xlsx(folder / "lignes-vides-ecrites.xlsx", write)


def lying_about_its_size(folder: Path) -> Path:
    """The 100 MB cell, its zip declaring the sheet to be 2 kB unpacked (in both its headers)."""
    data = bytearray(one_huge_cell(folder).read_bytes())
    name = SHEET.encode()
    # (signature, offset of the uncompressed size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = data.find(signature)
        while position != -1:
            (length,) = struct.unpack_from("<H", data, position + length_at)
            if data[position + name_at : position + name_at + length] == name:
                struct.pack_into("<I", data, position + size_at, 2048)
            position = data.find(signature, position + 4)
    path = folder / "taille-mensongere.xlsx"
    path.write_bytes(bytes(data))
    return path


def big_plan_document(folder: Path) -> Path:
    """A 1.9 MB plan document: the federation's own, repeated."""
    from django.conf import settings

    text = Path(settings.SEED_PLAN_DOCUMENT).read_text(encoding="utf-8")
    path = folder / "projet-federal-1-9-mo.txt"
    path.write_text(text * (1_900_000 // len(text.encode()) + 1), encoding="utf-8")
    return path


def read_as_the_site_would(kind: str, path: Path) -> str:
    """What the upload pages do with the file: the refusal's message, or what was read."""
    content = path.read_bytes()
    if kind == "table":
        from toolkit.tables import TableFileError, table_read

        try:
            dataset = table_read(content=content, filename=path.name)
        except TableFileError as error:
            return f"refusé : {error}"
        return f"lu : {[list(row) for row in dataset]}"
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actions.forms import PlanImportForm

    form = PlanImportForm(data={}, files={"document": SimpleUploadedFile(path.name, content)})
    if form.is_valid():
        return "lu"
    return f"refusé : {' '.join(form.errors.get('document', []))}"


if __name__ == "__main__":
    # python -m federation.tests.hostile table|document PATH: one file read in a fresh process.
    import json
    import os
    import sys
    import time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings.test")
    import django

    django.setup()
    started = time.perf_counter()
    outcome = read_as_the_site_would(sys.argv[1], Path(sys.argv[2]))
    print(json.dumps({"outcome": outcome, "seconds": round(time.perf_counter() - started, 2)}))
