"""Reading a number as a French person writes it, and as the app itself prints it.

« 1 200 » (normal, no-break or narrow no-break space between thousands), « 1 200,5 »,
« 12,5 » and « 12.5 » are numbers; anything else is refused with a French message that says
how to write it. The one reader of the project: the value entry forms (`FrenchDecimalField`)
and the value imports call `parse_number`, so that what one accepts the other does too.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms

# Spaces people (and `format_number`) put between groups of thousands.
_SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(rf"^(?P<sign>[+-]?)(?P<whole>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)(?:[,.](?P<decimals>\d+))?$")
EXAMPLE = "par exemple 1 200 ou 12,5"
MAX_ABS = Decimal("1e12")


class NumberError(ValueError):
    """A French message saying why the text is not a usable number."""


def parse_number(text: str | None, *, max_decimals: int = 2) -> Decimal | None:
    """« 1 200,5 » → Decimal("1200.5"); empty → None; anything else → NumberError."""
    shown = str(text if text is not None else "").strip()
    if not shown:
        return None
    match = _NUMBER.match(shown)
    if not match:
        raise NumberError(f"« {shown[:30]} » n’est pas un nombre : écrivez {EXAMPLE}.")
    decimals = match["decimals"] or ""
    if len(decimals) > max_decimals:
        raise NumberError(f"« {shown[:30]} » : pas plus de {max_decimals} chiffres après la virgule.")
    whole = re.sub(f"[{_SPACES}]", "", match["whole"])
    try:
        number = Decimal(f"{match['sign']}{whole}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        raise NumberError(f"« {shown[:30]} » n’est pas un nombre : écrivez {EXAMPLE}.") from None
    if abs(number) >= MAX_ABS:
        raise NumberError(f"« {shown[:30]} » est trop grand.")
    return number


def check_count(number: Decimal | None, *, unit: str = "") -> None:
    """A count (people, partners…) is whole and not negative; NumberError otherwise."""
    if number is None:
        return
    number = Decimal(number)
    what = f"Un nombre de {unit}" if unit else "Ce nombre"
    if number < 0:
        raise NumberError(f"{what} ne peut pas être négatif.")
    if number != number.to_integral_value():
        raise NumberError(f"{what} se compte en entier : écrivez-le sans décimales.")


def number_input(value: Decimal | None) -> str:
    """A value as it goes back into a form field: « 1200,5 » (read back by `parse_number`)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


class FrenchDecimalField(forms.Field):
    """A decimal typed the French way; `count=True` also asks for a whole, non-negative number."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, count: bool = False, unit: str = "", **kwargs):
        self.count, self.unit = count, unit
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return number_input(Decimal(value))
        return value

    def to_python(self, value):
        try:
            number = parse_number(value)
            if self.count:
                check_count(number, unit=self.unit)
        except NumberError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        return number
