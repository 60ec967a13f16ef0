"""The French cell widgets of the indicator values' imports (`indicators.imports`): a period
(2024, 2024-S1, 2024-T2, 2024-M03) and a number written the French way."""

import re
from decimal import Decimal, InvalidOperation

from import_export import widgets

from toolkit.resources import ImportValueError

from .models import PERIOD_RE


class PeriodWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().upper()
        if not PERIOD_RE.match(text):
            raise ImportValueError(f"Période « {text[:20]} » invalide : écrivez 2024, 2024-S1, 2024-T2 ou 2024-M03.")
        return text


class FrenchDecimalWidget(widgets.DecimalWidget):
    """« 1 234,5 » or « 1234.5 »; refusals in French."""

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value if value is not None else ""))
        if not text:
            raise ImportValueError("La valeur est obligatoire.")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ImportValueError(f"« {text[:30]} » n'est pas un nombre.") from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ImportValueError(f"« {text[:30]} » n'est pas un nombre utilisable.")
        return number.quantize(Decimal("0.01"))
