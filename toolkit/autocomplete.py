"""Choosing among thousands: a plain <select> that the browser turns into a searchable combobox.

The network counts 4,000 structures, 300 partners, 3,000 actions and hundreds of accounts at
national scale: a form that wrote them all as <option>s (or checkboxes) cost seconds and
megabytes. `AutocompleteSelect` and `AutocompleteSelectMultiple` write only the options that
are selected (one query, whatever the size of the network) and name a JSON endpoint in
`data-autocomplete-url`; static/js/autocomplete.js turns the <select> into Tom Select's
ARIA combobox (fetched from npm by tools/fetch_assets.py into static/vendor/, no CDN), which asks the endpoint as
the user types. The form still submits the <select>'s values: without JavaScript the
selected options stay as they are, and the server validates every submitted id against the
field's whole queryset as before.

`search_response` answers those endpoints: {"results": [{"value", "text"}], "more"}.
The views that call it check the permission themselves (federation/autocomplete.py).
"""

from django import forms
from django.db.models import Q, QuerySet
from django.http import JsonResponse
from django.urls import reverse

MAX_RESULTS = 20


class _SelectedOnly:
    """Renders the selected choices only, read with one query on the field's queryset."""

    def __init__(self, url_name: str, attrs=None, *, query: str = "", placeholder: str = "Tapez pour chercher…"):
        super().__init__(attrs)
        self.url_name, self.query, self.placeholder = url_name, query, placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        url = reverse(self.url_name)
        widget_attrs["data-autocomplete-url"] = f"{url}?{self.query}" if self.query else url
        widget_attrs["data-placeholder"] = self.placeholder
        return context

    def optgroups(self, name, value, attrs=None):
        ids = [str(v) for v in value if str(v).isdecimal()]  # a bound form may carry anything
        choices = getattr(self.choices, "queryset", None)
        field = getattr(self.choices, "field", None)
        groups = []
        if not self.allow_multiple_selected:
            # The empty choice, so that nothing chosen submits "" (and a cleared field stays clear).
            empty = getattr(field, "empty_label", None) or ""
            groups.append((None, [self.create_option(name, "", empty, not ids, 0)], 0))
        if choices is None or not ids:
            return groups
        for index, obj in enumerate(choices.filter(pk__in=ids), start=len(groups)):
            option = self.create_option(name, obj.pk, field.label_from_instance(obj), True, index)
            groups.append((None, [option], index))
        return groups


class AutocompleteSelect(_SelectedOnly, forms.Select):
    pass


class AutocompleteSelectMultiple(_SelectedOnly, forms.SelectMultiple):
    pass


def search_response(request, queryset: QuerySet, *, fields: list[str], label=str) -> JsonResponse:
    """The first MAX_RESULTS objects of `queryset` whose `fields` contain every word of `?q=`
    (case ignored; a number also finds the object with that id), as {"value", "text"} pairs."""
    words = (request.GET.get("q") or "").split()[:5]
    for word in words:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        if word.isdecimal():
            match |= Q(pk=int(word))
        queryset = queryset.filter(match)
    found = list(queryset[: MAX_RESULTS + 1])
    results = [{"value": obj.pk, "text": label(obj)} for obj in found[:MAX_RESULTS]]
    return JsonResponse({"results": results, "more": len(found) > MAX_RESULTS})
