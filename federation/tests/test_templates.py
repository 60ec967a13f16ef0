"""Template hygiene that a page test would only catch by luck."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def project_templates():
    for path in ROOT.rglob("*.html"):
        if not {".venv", "node_modules", "artifacts", "staticfiles"} & set(path.parts):
            yield path


def test_no_multiline_single_line_comment():
    # Django's {# … #} ends at the end of its line: a multi-line one is printed on the page.
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert not offenders, f"Commentaires {{# #}} sur plusieurs lignes (utiliser {{% comment %}}) : {offenders}"
