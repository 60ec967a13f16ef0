"""The project's one folding of French text."""

import pytest

from toolkit.text import fold, fold_char, fold_key, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Fédération  Œuvre", "federation  oeuvre"),
        ("ÆSOPE, Straße", "aesope, strasse"),
        ("l’équipe", "l’equipe"),  # apostrophes are left as typed
        ("Centre social", "centre social"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_drops_case_accents_and_ligatures(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text",
    ["Fédération  Œuvre", "ÉVÈNEMENT à l'île", "İstanbul ǅ ﬁn", "e\u0301\u0327 ñ", "Ωμέγα ς", "ⅷ ① ｆｕｌｌ"],
)
def test_fold_is_each_character_folded_on_its_own(text):
    # The search finds where a match is in the original text through fold_char.
    assert fold(text) == "".join(fold_char(char) for char in text)


def test_fold_key_is_how_imports_compare_titles_and_names():
    assert fold_key(" Nom_de la  Œuvre ") == fold_key("nom de la oeuvre") == "nom de la oeuvre"
    assert fold_key(None) == ""
    assert fold_key("Piste d’action") == fold_key("Piste d'action") == "piste d'action"


def test_words_are_folded_and_unique():
    assert words("Œuvre, œuvres et OEUVRE") == ["oeuvre", "oeuvres", "et"]
