"""The hostile files of issue 16 are refused (or read) early and cheaply.

Each file is read in a fresh process, as a worker would read an upload; the process's peak
memory is measured by its parent (getrusage(RUSAGE_CHILDREN).ru_maxrss, in a small runner
process so that nothing else this test session started counts). Before the limits, the
100 MB cell cost 1.3 GB, five of them 9.9 GB, a sheet declared as wide as XFD 800 MB, and
the data row after a million blank rows was reported as « only the header row ».
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from toolkit.tables import MAX_CELL_LENGTH, MAX_COLUMNS, TableFileError, table_read

from . import hostile

MAX_WORKER_MEMORY_MB = 300

# The runner starts the worker, waits for it, and reports the worker's peak memory.
RUNNER = (
    "import json, resource, subprocess, sys\n"
    "done = subprocess.run([sys.executable, '-m', 'federation.tests.hostile', *sys.argv[1:]],"
    " capture_output=True, text=True, timeout=120)\n"
    "print(json.dumps({'stdout': done.stdout, 'stderr': done.stderr[-3000:],"
    " 'peak_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


def read_in_a_fresh_process(kind: str, path) -> tuple[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, kind, str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "federation.settings.test"},
    )
    report = json.loads(done.stdout)
    assert report["stdout"], report["stderr"]
    outcome = json.loads(report["stdout"].strip().splitlines()[-1])
    peak_mb = report["peak_kb"] / 1024
    print(f"{path.name}: {outcome['seconds']} s, {peak_mb:.0f} MB: {outcome['outcome'][:120]}")
    return outcome["outcome"], peak_mb


@pytest.mark.parametrize(
    ("builder", "kind", "expected"),
    [
        (hostile.one_huge_cell, "table", "refusé : Ce classeur dépasse 10 Mo une fois décompressé"),
        (hostile.several_huge_cells, "table", "refusé : Ce classeur dépasse 10 Mo une fois décompressé"),
        (hostile.lying_about_its_size, "table", "refusé : Ce classeur Excel est illisible"),
        (hostile.declared_as_wide_as_xfd, "table", "lu : [['Caf']]"),
        (hostile.cells_as_far_as_xfd, "table", "refusé : Le fichier a des cellules au-delà de la colonne 50"),
        (hostile.row_after_a_million_blank_rows, "table", "lu : [['Caf de la Drôme']]"),
        (hostile.blank_rows_written_out, "table", "refusé : Ce classeur a plus de 20\u202f000 lignes, vides comprises"),
        (hostile.big_plan_document, "document", "refusé : Le document dépasse 150\u202f000 caractères"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_hostile_file_costs_little_and_gets_a_french_answer(folder, builder, kind, expected):
    outcome, peak_mb = read_in_a_fresh_process(kind, builder(folder))
    assert outcome.startswith(expected)
    assert peak_mb < MAX_WORKER_MEMORY_MB


# ---------------------------------------------------------------------------- the same limits, CSV


def test_a_csv_cell_longer_than_the_limit_is_refused_naming_it():
    content = ("nom\n" + "A" * (MAX_CELL_LENGTH + 1) + "\n").encode()
    with pytest.raises(TableFileError, match="Une cellule dépasse 50\u202f000 caractères"):
        table_read(content=content, filename="liste.csv")
    with pytest.raises(TableFileError, match="Une cellule dépasse 50\u202f000 caractères"):
        table_read(content=content.replace(b"\n", b'"\n', 1).replace(b"nom", b'nom\n"', 1), filename="liste.csv")


def test_a_csv_wider_than_the_limit_is_refused_naming_it():
    content = ("nom;type\n" + "x;" * MAX_COLUMNS + "de trop\n").encode()
    with pytest.raises(TableFileError, match="au-delà de la colonne 50"):
        table_read(content=content, filename="liste.csv")


def test_blank_lines_do_not_hide_the_rows_after_them():
    content = ("nom\n" + "\n" * 100_000 + "Caf de la Drôme\n").encode()
    assert [list(row) for row in table_read(content=content, filename="liste.csv")] == [["Caf de la Drôme"]]
