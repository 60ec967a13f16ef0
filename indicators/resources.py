"""The French cell widgets of the indicator values' imports (`indicators.imports`): a period
(2024, 2024-S1, 2024-T2, 2024-M03) and a number written the French way."""

from decimal import Decimal

from import_export import widgets

from toolkit.numbers import NumberError, parse_number
from toolkit.resources import ImportValueError

from .models import PERIOD_RE


class PeriodWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().upper()
        if not PERIOD_RE.match(text):
            raise ImportValueError(f"Période « {text[:20]} » invalide : écrivez 2024, 2024-S1, 2024-T2 ou 2024-M03.")
        return text


class FrenchDecimalWidget(widgets.DecimalWidget):
    """« 1 234,5 » or « 1234.5 »; refusals in French."""

    def clean(self, value, row=None, **kwargs):
        # A spreadsheet's number cell arrives as a number: read as it is (its decimals rounded
        # to the cent); text is read as a person writes it (toolkit.numbers).
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) >= Decimal("1e12"):
                raise ImportValueError(f"« {str(value)[:30]} » n’est pas un nombre utilisable.")
            return number.quantize(Decimal("0.01"))
        try:
            number = parse_number(value if value is not None else "", max_decimals=10)
        except NumberError as error:
            raise ImportValueError(str(error)) from None
        if number is None:
            raise ImportValueError("La valeur est obligatoire.")
        return number.quantize(Decimal("0.01"))
