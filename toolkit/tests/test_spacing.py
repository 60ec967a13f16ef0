"""French spacing and counts (toolkit.french): what the plan's texts look like when shown."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeData, mark_safe

from toolkit.french import count, french_spacing

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Une visée stratégique : agir", f"Une visée stratégique{NBSP}: agir"),
        ("la démarche « Mesure de l’impact »", f"la démarche «{NBSP}Mesure de l’impact{NBSP}»"),
        ("Pourquoi ? Parce que ; enfin !", f"Pourquoi{NNBSP}? Parce que{NNBSP}; enfin{NNBSP}!"),
        ("à 10:30, https://exemple.fr/?page=2", "à 10:30, https://exemple.fr/?page=2"),
        ("Titre :", f"Titre{NBSP}:"),
        ("", ""),
    ],
)
def test_spacing_puts_no_break_spaces_where_french_wants_them(text, expected):
    assert french_spacing(text) == expected


def test_spacing_keeps_safe_html_safe_and_plain_text_escaped():
    html = french_spacing(mark_safe('<a href="/x?a=1">Lien</a> : suite'))
    assert isinstance(html, SafeData) and html == f'<a href="/x?a=1">Lien</a>{NBSP}: suite'
    rendered = Template("{{ text|french_spacing }}").render(Context({"text": "<b> : x"}))
    assert rendered == f"&lt;b&gt;{NBSP}: x"
    # A paragraph of the plan's Markdown that ends on a colon: the sign before the closing tag.
    assert french_spacing(mark_safe("<li>qui les amènent :</li><li>Pourquoi ?</li>")) == (
        f"<li>qui les amènent{NBSP}:</li><li>Pourquoi{NNBSP}?</li>"
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 piste"), (1, "1 piste"), (1.5, "1,5 piste"), (2, "2 pistes"), (1200, "1\u202f200 pistes")],
)
def test_count_takes_the_french_plural_and_writes_the_number_in_french(number, expected):
    assert count(number, "piste", "pistes") == expected.replace(" ", NBSP)
