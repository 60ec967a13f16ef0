"""Numbers as a French person writes them (issue 14, item 7): accepted and refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from toolkit.numbers import FrenchDecimalField, NumberError, check_count, number_input, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", Decimal("1200")),
        ("1 200", Decimal("1200")),  # normal space
        ("1\u00a0200", Decimal("1200")),  # no-break space
        ("1\u202f200", Decimal("1200")),  # narrow no-break space, as format_number prints it
        ("1 200,5", Decimal("1200.5")),
        ("12 345 678,25", Decimal("12345678.25")),
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("  7 ", Decimal("7")),
        ("-3", Decimal("-3")),
        ("+4,25", Decimal("4.25")),
        ("0,5", Decimal("0.5")),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_accepted(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "n’est pas un nombre"),
        ("12 €", "n’est pas un nombre"),
        ("1 2", "n’est pas un nombre"),  # a space that is no thousands separator
        ("12 34", "n’est pas un nombre"),
        ("1 200 00", "n’est pas un nombre"),
        ("12,5,3", "n’est pas un nombre"),
        ("1.200,5", "n’est pas un nombre"),
        ("--3", "n’est pas un nombre"),
        ("1e5", "n’est pas un nombre"),
        ("NaN", "n’est pas un nombre"),
        ("Infinity", "n’est pas un nombre"),
        (",5", "n’est pas un nombre"),
        ("12,555", "pas plus de 2 chiffres après la virgule"),
        ("1000000000000", "trop grand"),
    ],
)
def test_refused_with_a_french_message(text, message):
    with pytest.raises(NumberError, match=message):
        parse_number(text)


@pytest.mark.parametrize(
    ("number", "message"),
    [(Decimal("-3"), "ne peut pas être négatif"), (Decimal("12.5"), "se compte en entier")],
)
def test_a_count_is_whole_and_not_negative(number, message):
    with pytest.raises(NumberError, match=f"Un nombre de partenaires {message}"):
        check_count(number, unit="partenaires")


@pytest.mark.parametrize("number", [None, Decimal("0"), Decimal("1200"), Decimal("12.00")])
def test_a_count_accepts_whole_numbers(number):
    check_count(number, unit="personnes")


@pytest.mark.parametrize(
    ("value", "count", "valid"),
    [("1 200", True, True), ("-3", True, False), ("12,5", True, False), ("12,5", False, True), ("x", False, False)],
)
def test_form_field(value, count, valid):
    field = FrenchDecimalField(required=False, count=count, unit="personnes")
    if valid:
        assert field.clean(value) == parse_number(value)
    else:
        with pytest.raises(ValidationError, match="nombre|négatif|entier"):
            field.clean(value)


def test_a_stored_value_goes_back_into_the_form_as_it_is_read():
    for value in (Decimal("1200.00"), Decimal("12.50"), Decimal("-3")):
        assert parse_number(number_input(value)) == value
    assert number_input(Decimal("1200.50")) == "1200,5"
