"""Indicators' definitions for staff (issue 14): create, edit, archive; the targets grid
(periods × network and structures, with a paste from a spreadsheet); the classification lists."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from axes.services import ConflictError
from network.models import Structure
from toolkit.numbers import NumberError, check_count, number_input, parse_number

from ..definitions import (
    ADD,
    CHANGE,
    CHANGE_TARGET,
    NETWORK_COLUMN,
    indicator_archive,
    indicator_create,
    indicator_update,
    read_target_paste,
    targets_save,
)
from ..forms import ClassificationEntryForm, IndicatorForm, TargetPasteForm
from ..models import PERIOD_RE, ImpactDimension, Indicator, ValueChainStage, period_label


def _report(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@permission_required(ADD, raise_exception=True)
def indicator_create_view(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(
                user=request.user,
                data=form.cleaned_data,
                objectives=form.cleaned_data["objectives"],
                actions=form.cleaned_data["actions"],
            )
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, f"Indicateur « {indicator} » créé : fixez maintenant ses cibles.")
            return redirect("indicators:target_grid", pk=indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": None})


@permission_required(CHANGE, raise_exception=True)
def indicator_edit(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            indicator_update(
                user=request.user,
                indicator=Indicator.objects.get(pk=pk),
                data=form.cleaned_data,
                objectives=form.cleaned_data["objectives"],
                actions=form.cleaned_data["actions"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            conflict = error
            form.add_error(None, str(error))
            # The next save confirms this version over the other person's.
            form.data = form.data.copy()
            form.data["version"] = error.obj.version
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, "Indicateur enregistré.")
            return redirect(indicator.get_absolute_url())
    return render(
        request, "indicators/indicator_form.html", {"form": form, "indicator": indicator, "conflict": conflict}
    )


@require_POST
@permission_required(CHANGE, raise_exception=True)
def indicator_archive_view(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    indicator_archive(user=request.user, indicator=indicator, archived=archived)
    messages.success(
        request,
        "Indicateur archivé : il n’est plus proposé à la saisie ; ses valeurs et cibles restent."
        if archived
        else "Indicateur sorti des archives.",
    )
    return redirect(indicator.get_absolute_url())


def _ids(values) -> list[int]:
    return [int(value) for value in values if str(value).isdecimal()][:200]


@permission_required(CHANGE_TARGET, raise_exception=True)
def target_grid(request, pk: int):
    """Targets of one indicator: a row per period, a column for the network and one per structure.
    A paste fills the grid without saving; « Enregistrer » saves every cell or, if one is wrong,
    nothing (each wrong cell says why, every typed value stays)."""
    indicator = get_object_or_404(Indicator, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    targets = list(indicator.targets.select_related("structure"))
    structure_ids = {t.structure_id for t in targets if t.structure_id} | set(_ids(source.getlist("colonne")))
    periods = {t.period for t in targets} | {
        p for p in source.get("periodes", "").split() + source.getlist("periode") if PERIOD_RE.match(p)
    }
    cells: dict[tuple[str, str | int], str] = {
        (t.period, t.structure_id or NETWORK_COLUMN): number_input(t.value) for t in targets
    }
    paste_form, errors, cell_errors = TargetPasteForm(), [], {}
    action = request.POST.get("action")
    if action == "coller":
        paste_form = TargetPasteForm(request.POST)
        if paste_form.is_valid():
            candidates = Structure.objects.only("name").order_by("name")
            pasted_periods, pasted, errors = read_target_paste(paste_form.cleaned_data["paste"], candidates)
            periods |= set(pasted_periods)
            structure_ids |= {column for (_, column) in pasted if column != NETWORK_COLUMN}
            cells.update(pasted)
            if pasted:
                messages.info(request, "Le tableau collé remplit la grille : vérifiez, puis enregistrez.")
    elif action == "enregistrer":
        for key in list(cells):
            cells.pop(key)
        for name, value in request.POST.items():
            if name.startswith("c|"):
                _, period, column = name.split("|", 2)
                if PERIOD_RE.match(period) and (column == NETWORK_COLUMN or column.isdecimal()):
                    key = column if column == NETWORK_COLUMN else int(column)
                    cells[(period, key)] = value.strip()
                    periods.add(period)
                    if key != NETWORK_COLUMN:
                        structure_ids.add(key)
    if not periods:
        year = timezone.localdate().year
        periods = {str(year), str(year + 1), str(year + 2)}
    structures = list(Structure.objects.filter(pk__in=structure_ids).order_by("name"))
    columns = [{"key": NETWORK_COLUMN, "label": "Réseau"}] + [{"key": s.pk, "label": s.name} for s in structures]
    ordered_periods = sorted(periods)
    if action == "enregistrer":
        by_pk = {s.pk: s for s in structures}
        grid = {}
        for period in ordered_periods:
            for column in columns:
                text = cells.get((period, column["key"]), "")
                try:
                    value = parse_number(text)
                    if indicator.is_count:
                        check_count(value, unit=indicator.unit)
                except NumberError as error:
                    cell_errors[(period, column["key"])] = str(error)
                    continue
                grid[(period, by_pk.get(column["key"]))] = value
        if cell_errors:
            errors.append(
                f"{len(cell_errors)} case{'s' if len(cell_errors) > 1 else ''} à corriger : rien n’est enregistré."
            )
        else:
            try:
                written, removed = targets_save(user=request.user, indicator=indicator, grid=grid)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    f"Cibles enregistrées : {written} fixée{'s' if written > 1 else ''} ou modifiée{'s' if written > 1 else ''}, "
                    f"{removed} retirée{'s' if removed > 1 else ''}.",
                )
                return redirect("indicators:target_grid", pk=indicator.pk)
    rows = [
        {
            "period": period,
            "label": period_label(period),
            "cells": [
                {
                    "name": f"c|{period}|{column['key']}",
                    "label": f"Cible {period_label(period)}, {column['label']}",
                    "value": cells.get((period, column["key"]), ""),
                    "error": cell_errors.get((period, column["key"]), ""),
                }
                for column in columns
            ],
        }
        for period in ordered_periods
    ]
    return render(
        request,
        "indicators/target_grid.html",
        {
            "indicator": indicator,
            "columns": columns,
            "rows": rows,
            "periods": ordered_periods,
            "paste_form": paste_form,
            "errors": errors,
        },
    )


CLASSIFICATIONS = {
    "chaine-de-valeur": (ValueChainStage, "Étapes de la chaîne de valeur"),
    "dimensions-d-impact": (ImpactDimension, "Dimensions d’impact"),
}


@permission_required("indicators.change_valuechainstage", raise_exception=True)
def classification_list(request, kind: str):
    """Edit one of the two lists in one form: rename, reorder, describe, add an entry."""
    if kind not in CLASSIFICATIONS:
        raise Http404
    model, title = CLASSIFICATIONS[kind]
    formset_class = modelformset_factory(model, form=ClassificationEntryForm, extra=1, max_num=50, validate_max=True)
    formset = formset_class(request.POST or None, queryset=model.objects.order_by("order", "pk"))
    if request.method == "POST" and formset.is_valid():
        for form in formset.forms:
            if form.has_changed():
                form.instance._history_user = request.user
        formset.save()
        messages.success(request, f"Liste « {title} » enregistrée.")
        return redirect("indicators:classification_list", kind=kind)
    return render(
        request,
        "indicators/classification_list.html",
        {"formset": formset, "title": title, "kind": kind, "kinds": CLASSIFICATIONS},
    )
