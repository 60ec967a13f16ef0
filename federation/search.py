"""Site-wide search: axes, objectives, actions, partners, structures and indicators.

Accent- and case-insensitive everywhere: « federation » finds « Fédération ».
- PostgreSQL: French full-text search through the `french_unaccent` configuration
  (unaccent, then the French stemmer; see migration 0003), every word of the query a
  prefix (« centr » finds « centres »), results ranked by SearchRank, titles weighing
  more than texts.
- SQLite: the same matching rules approximated in SQL: every word of the query must appear
  in the title or a text, accents and case aside, through glob() patterns of the word's
  accented and capital variants (C, fast), or, for a word with « oe » or « ae » (« cœur »),
  through `federation_fold`, a Python function registered on each connection
  (`register_sqlite_functions`); titles rank first.

One query per kind of result, whatever the number of results (each kind fetches its
related objects with select_related).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Concat
from django.urls import NoReverseMatch, reverse

from toolkit.text import fold, fold_char, words

CONFIG = "french_unaccent"
SQLITE_FOLD = "federation_fold"
MAX_TERMS = 8
MIN_LENGTH = 2


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite gets `federation_fold(text)` (see text.fold)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, fold, deterministic=True)


# ---------------------------------------------------------------------------- what is searched


@dataclass(frozen=True)
class Source:
    """One kind of result: which model, which fields, how to show and link a hit."""

    key: str
    label: str
    model: type[models.Model]
    title_field: str
    text_fields: tuple[str, ...]
    permission: str
    related: tuple[str, ...] = ()
    url: Callable[[models.Model], str | None] = lambda obj: None
    context: Callable[[models.Model], str] = lambda obj: ""


def _reverse(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _action_list_url(parameter: str) -> Callable[[models.Model], str | None]:
    def url(obj) -> str | None:
        base = _reverse("actions:action_list")
        return f"{base}?{parameter}={obj.pk}" if base else None

    return url


def _absolute_url(obj) -> str | None:
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


def sources() -> list[Source]:
    """Everything the search box looks in, in the order the results page shows it."""
    Axis = apps.get_model("axes", "Axis")
    Objective = apps.get_model("axes", "Objective")
    Action = apps.get_model("actions", "Action")
    Partner = apps.get_model("network", "Partner")
    Structure = apps.get_model("network", "Structure")
    found = [
        Source(
            "axes",
            "Axes",
            Axis,
            "title",
            ("context", "stakes"),
            "axes.view_axis",
            related=("chapter",),
            url=_absolute_url,
            context=lambda axis: axis.chapter.title,
        ),
        Source(
            "objectives",
            "Objectifs opérationnels",
            Objective,
            "text",
            (),
            "axes.view_objective",
            related=("axis",),
            url=_absolute_url,
            context=lambda objective: f"Axe : {objective.axis.title}",
        ),
        Source(
            "actions",
            "Actions",
            Action,
            "title",
            ("description",),
            "actions.view_action",
            related=("axis",),
            url=_absolute_url,
            context=lambda action: f"{action.get_status_display()} · Axe : {action.axis.title}",
        ),
        Source(
            "partners",
            "Partenaires",
            Partner,
            "name",
            (),
            "network.view_partner",
            url=_action_list_url("partner"),
            context=lambda partner: partner.get_kind_display(),
        ),
        Source(
            "structures",
            "Structures",
            Structure,
            "name",
            (),
            "network.view_structure",
            related=("territory",),
            url=_action_list_url("structure"),
            context=lambda structure: " · ".join(
                filter(
                    None,
                    [
                        structure.get_kind_display(),
                        structure.territory and structure.territory.name,
                    ],
                )
            ),
        ),
    ]
    indicator = _indicator_source()
    if indicator:
        found.append(indicator)
    return found


def _indicator_source() -> Source | None:
    # The indicators app may not have its Indicator model yet (or ever): search what exists.
    try:
        Indicator = apps.get_model("indicators", "Indicator")
    except LookupError:
        return None
    names = {f.name for f in Indicator._meta.get_fields()}
    if "name" not in names:
        return None
    return Source(
        "indicators",
        "Indicateurs",
        Indicator,
        "name",
        tuple(name for name in ("description",) if name in names),
        "indicators.view_indicator",
        url=_absolute_url,
        context=lambda indicator: getattr(indicator, "unit", "") and f"Unité : {indicator.unit}",
    )


# ---------------------------------------------------------------------------- results


@dataclass
class Hit:
    title: str
    url: str | None
    context: str
    snippet: list[tuple[str, bool]]  # (text, is a match), to render with <mark>


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit]
    more: bool  # more results than shown


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def query_terms(query: str) -> list[str]:
    """The folded words of a query worth searching for (« Fédération, la » → ['federation', 'la'])."""
    return [word for word in words(query) if len(word) >= MIN_LENGTH][:MAX_TERMS]


def site_search(*, query: str, user, limit: int = 20) -> SearchResults:
    """What `user` may read that matches `query`, grouped by kind, best first, at most `limit` per kind."""
    terms = query_terms(query)
    results = SearchResults(query=query, terms=terms)
    if not terms:
        return results
    for source in sources():
        if not user.has_perm(source.permission):
            continue
        objects = list(matching(source, terms)[: limit + 1])
        if objects:
            results.groups.append(
                Group(
                    source.key,
                    source.label,
                    [_hit(source, obj, terms) for obj in objects[:limit]],
                    more=len(objects) > limit,
                )
            )
    return results


def matching(source: Source, terms: list[str]) -> models.QuerySet:
    """`source`'s objects matching every term, best first."""
    queryset = source.model._default_manager.select_related(*source.related)
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql_matching(queryset, source, terms)
    return _fallback_matching(queryset, source, terms)


def _postgresql_matching(queryset, source: Source, terms: list[str]):
    vector = SearchVector(source.title_field, weight="A", config=CONFIG)
    if source.text_fields:
        vector = vector + SearchVector(*source.text_fields, weight="B", config=CONFIG)
    # Terms are \w+ words (no tsquery syntax can slip in); each is a prefix.
    query = SearchQuery(" & ".join(f"'{term}':*" for term in terms), search_type="raw", config=CONFIG)
    return (
        queryset.annotate(search_document=vector)
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", source.title_field, "pk")
    )


def _folded(*field_names: str):
    if len(field_names) == 1:
        expression = Coalesce(F(field_names[0]), Value(""))
    else:
        expression = Concat(*[part for name in field_names for part in (F(name), Value(" "))])
    return models.Func(expression, function=SQLITE_FOLD, output_field=models.TextField())


def _variants() -> tuple[dict[str, str], tuple[str, ...]]:
    """For each folded character, every Latin character that folds to it (« e » ← « eEéÉèÈ… »);
    and the folds of more than one character (« œ » → « oe »), which a GLOB class cannot match."""
    variants: dict[str, list[str]] = {}
    several: set[str] = set()
    for code in [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1:
            variants.setdefault(folded, []).append(char)
        elif len(folded) > 1 and char.lower() in "œæ":  # French ligatures; « ß », « ĳ »: not French
            several.add(folded)
    return {key: "".join(chars) for key, chars in variants.items()}, tuple(several)


_VARIANTS, _SEVERAL = _variants()


def _glob(stem: str) -> str | None:
    """A GLOB pattern matching the texts whose fold contains `stem`, evaluated by SQLite in C
    (« jeune » → « *[jJ…][eEéÉèÈêÊëË…][uUùÙ…][nNñÑ…][eE…]* »); None when a character folds
    from more than one (« coeur » is also written « cœur »), so the stem cannot be a pattern."""
    if any(ligature in stem for ligature in _SEVERAL):
        return None
    classes = []
    for char in stem:
        chars = _VARIANTS.get(char)
        if chars is None or "]" in chars or "[" in chars:
            return None
        classes.append(f"[{chars}]" if len(chars) > 1 else chars)
    return "*" + "".join(classes) + "*"


def _fallback_matching(queryset, source: Source, terms: list[str]):
    # Each stem is matched by SQLite's glob() in C with a pattern of accent and case variants
    # (`_glob`); folding every title and text in Python instead cost 0.5 s on 3,000 actions.
    # A stem that no pattern can match (a ligature) is compared with the folded texts.
    condition = Q()
    rank = Value(0)
    for stem in (_stem(term) for term in terms):
        pattern = _glob(stem)
        if pattern is None:
            queryset = _with_folded_texts(queryset, source)
            in_title = Q(search_title__contains=stem)
            in_text = Q(search_text__contains=stem) if source.text_fields else None
        else:
            in_title = _any_glob((source.title_field,), pattern)
            in_text = _any_glob(source.text_fields, pattern) if source.text_fields else None
        if in_text is None:
            condition &= in_title
            rank = rank + Case(When(in_title, then=Value(2)), default=Value(0))
        else:
            condition &= in_title | in_text
            rank = rank + Case(When(in_title, then=Value(2)), When(in_text, then=Value(1)), default=Value(0))
    return (
        queryset.filter(condition)
        .annotate(search_rank=models.ExpressionWrapper(rank, output_field=IntegerField()))
        .order_by("-search_rank", source.title_field, "pk")
    )


def _with_folded_texts(queryset, source: Source):
    if "search_title" in queryset.query.annotations:
        return queryset
    annotations = {"search_title": _folded(source.title_field)}
    if source.text_fields:
        annotations["search_text"] = _folded(*source.text_fields)
    return queryset.annotate(**annotations)


def _any_glob(fields: tuple[str, ...], pattern: str) -> Q:
    """SQLite's glob(pattern, text): whether one of `fields` matches `pattern`."""
    condition = Q()
    for name in fields:
        condition |= Q(models.Func(Value(pattern), F(name), function="glob", output_field=models.BooleanField()))
    return condition


def _stem(term: str) -> str:
    """A crude French stem for SQLite: plural endings off (« centres » finds « centre »)."""
    if len(term) > 3 and term[-1] in "sx":
        return term[:-1]
    return term


# ---------------------------------------------------------------------------- snippets

SNIPPET_WIDTH = 180


def _hit(source: Source, obj, terms: list[str]) -> Hit:
    title = getattr(obj, source.title_field) or ""
    texts = [getattr(obj, name) or "" for name in source.text_fields]
    stems = [_stem(term) for term in terms]
    snippet: list[tuple[str, bool]] = []
    for text in texts:
        if _spans(text, stems):
            snippet = highlight(text, stems)
            break
    return Hit(
        title=title if len(title) <= 200 else f"{title[:199]}…",
        url=source.url(obj),
        context=source.context(obj),
        snippet=snippet,
    )


def _spans(text: str, stems: list[str]) -> list[tuple[int, int]]:
    """Where the stems occur in `text`, as (start, end) in `text`, accents and case aside."""
    folded_parts, origin = [], []
    for index, char in enumerate(text):
        folded = fold_char(char)
        folded_parts.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(folded_parts)
    spans = []
    for stem in stems:
        start = folded_text.find(stem)
        while start != -1:
            end = start + len(stem)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded_text.find(stem, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, stems: list[str], width: int = SNIPPET_WIDTH) -> list[tuple[str, bool]]:
    """An extract of `text` around its first match, as (text, is a match) parts."""
    spans = _spans(text, stems)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            parts.append((text[cursor:span_start], False))
        parts.append((text[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append(("…", False))
    return parts
