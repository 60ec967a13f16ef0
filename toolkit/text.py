"""Comparing French text the way people expect: without accents and without case."""

import re
import unicodedata

# Letters that Unicode does not decompose but that people type without the ligature.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """« Fédération  Œuvre » → « federation  oeuvre »: no accents, no case, same spacing.

    Each character folds on its own, so that `fold` of a string has the same words, in
    the same places, as the string (useful to find where a match is in the original).
    """
    if not text:
        return ""
    return "".join(fold_char(char) for char in text)


def fold_char(char: str) -> str:
    char = char.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen.setdefault(word, None)
    return list(seen)
