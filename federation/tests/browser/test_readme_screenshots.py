"""The README's screenshots, one per role, taken on the demo data of `make run` (issue 15, item 6).

In the suite they land in artifacts/screenshots/ (not committed) and check that each page opens,
has its heading and fits the screen. `make screenshots` sets DOCS_SCREENSHOTS=1: they are then
written to docs/images/, reduced to 256 colours (Pillow, installed with WeasyPrint) so that the
committed files stay small.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS_IMAGES = Path(__file__).resolve().parents[3] / "docs" / "images"
# (file name, account, url name, what the page shows)
SHOTS = [
    ("equipe", "equipe", "actions:plan_current", "Projet fédéral"),
    ("direction", "direction", "centres:centre_home", "Mon centre"),
    ("conseil", "conseil", "board:dashboard", "Tableau de bord"),
    ("public", None, "publication:home", None),
]


def save(png: bytes, name: str) -> Path:
    if not os.environ.get("DOCS_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"readme-{name}.png"
        path.write_bytes(png)
        return path
    from PIL import Image

    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    path = DOCS_IMAGES / f"{name}.png"
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    return path


@pytest.mark.parametrize(("width", "height", "suffix"), [(1366, 800, ""), (390, 780, "-telephone")])
def test_readme_screenshots(live_server, browser, width, height, suffix):
    call_command("seed_demo", stdout=io.StringIO())
    for name, account, url_name, heading in SHOTS:
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
        page = context.new_page()
        if account:
            browser_login(page, live_server, account, password="demo")
        response = page.goto(f"{live_server.url}{reverse(url_name)}")
        assert response.status == 200, name
        if heading:
            assert heading in page.locator("h1").first.inner_text(), name
        assert save(page.screenshot(), f"{name}{suffix}").stat().st_size > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        context.close()
