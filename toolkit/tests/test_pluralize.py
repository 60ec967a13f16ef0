"""French plurals in every template: 0 and 1 take the singular (`pluralize`, a builtin)."""

import pytest
from django.template import engines


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 terminée"), (1, "1 terminée"), (2, "2 terminées"), (1.5, "1,5 terminée"), (12, "12 terminées")],
)
def test_pluralize_follows_the_french_rule(count, expected):
    template = engines["django"].from_string("{{ n }} terminée{{ n|pluralize }}")
    assert template.render({"n": count}) == expected


def test_pluralize_takes_suffixes_and_lists_as_djangos():
    template = engines["django"].from_string("{{ n }} journa{{ n|pluralize:'l,ux' }} · action{{ items|pluralize }}")
    assert template.render({"n": 0, "items": [1, 2]}) == "0 journal · actions"
    assert template.render({"n": 3, "items": [1]}) == "3 journaux · action"
