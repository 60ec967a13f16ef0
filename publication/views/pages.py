"""The public space: no login, the same page for everyone, kept rendered until the data changes.

Every page here shows only what `publication.selectors` lets the public read. A page is rendered
without the request's user (no menu, no CSRF token), so that it can be kept whole in the
"aggregates" cache until a write to the plan, its actions, indicators or the network, and served
with an ETag and Last-Modified (a browser or proxy that has it gets a 304).
"""

import functools
import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import conditional_page, require_safe

from toolkit import aggregates

from .. import opendata
from ..selectors import DEPENDS_ON, last_change, public_axis, public_axis_slug, public_summary

CACHE_SECONDS = 300  # what a browser or proxy may keep without asking again


def _templates_stamp() -> str:
    """The public templates as deployed: a page kept in a shared cache (Redis outlives a deploy)
    is not served from an older version of them."""
    from django.template.loader import get_template

    names = [
        "publication/base_public.html",
        "publication/home.html",
        "publication/summary.html",
        "publication/axis_detail.html",
        "publication/data.html",
        "publication/includes/_axis_objectives.html",
        "publication/includes/_key_indicators.html",
        "actions/includes/_progress.html",
        "axes/includes/_elapsed.html",
    ]
    sources = "".join(get_template(name).template.source for name in names)
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()


@functools.cache
def _stamp() -> str:
    return _templates_stamp()


def _cached_page(request, template: str, build_context) -> HttpResponse:
    """The page rendered once per data generation, day and host (the Open Graph links are absolute)."""
    today = timezone.localdate()

    def render():
        context = build_context()
        context.update(
            {
                "site_url": request.build_absolute_uri("/")[:-1],
                "page_url": request.build_absolute_uri(request.path),
                "og_image": request.build_absolute_uri(static("publication/og-image.png")),
                "today": today,
                "last_change": last_change(),
            }
        )
        return render_to_string(template, context)

    html = aggregates.cached(
        "public-page",
        _stamp(),
        request.get_host(),
        request.path,
        today.isoformat(),
        compute=render,
        depends_on=DEPENDS_ON,
    )
    response = HttpResponse(html)
    return _public(response)


def _public(response: HttpResponse) -> HttpResponse:
    """Cache-Control and Last-Modified; `conditional_page` adds the ETag and answers 304."""
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Last-Modified"] = http_date(last_change().timestamp())
    return response


public_page = [login_not_required, require_safe, conditional_page]


def _decorate(view):
    for decorator in reversed(public_page):
        view = decorator(view)
    return view


DEFAULT_DESCRIPTION = (
    "Le projet fédéral de la fédération des centres sociaux : ses axes, ses objectifs, leur avancement "
    "et ses indicateurs clés."
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _summary_context(title_prefix: str = "") -> dict:
    summary = public_summary()
    if summary.plan is None:
        return {"summary": summary, "page_title": "Projet fédéral", "page_description": DEFAULT_DESCRIPTION}
    description = (
        f"{summary.plan.title} : {_plural(len(summary.axes), 'axe')} et leurs objectifs, où ils en sont, "
        f"{_plural(len(summary.indicators), 'indicateur')} clé{'s' if len(summary.indicators) > 1 else ''} "
        "et les temps forts de l’année."
    )
    return {"summary": summary, "page_title": title_prefix + summary.plan.title, "page_description": description}


@_decorate
def home(request):
    return _cached_page(request, "publication/home.html", _summary_context)


@_decorate
def summary(request):
    """The one-page summary for partners, to print (or save as PDF from the browser)."""
    return _cached_page(request, "publication/summary.html", lambda: _summary_context("Synthèse : "))


@_decorate
def axis_detail(request, pk: int, slug: str):
    found = public_axis_slug(pk)
    if found is None:
        raise Http404("Cet axe n’est pas publié.")
    if found != slug:
        return redirect("publication:axis_detail", pk=pk, slug=found, permanent=True)

    def build_context():
        axis = public_axis(pk)
        plan = axis.chapter.plan
        return {
            "axis": axis,
            "plan": plan,
            "page_title": axis.title,
            "page_description": f"{axis.title} : objectifs, actions et avancement, dans le projet « {plan.title} ».",
        }

    return _cached_page(request, "publication/axis_detail.html", build_context)


@_decorate
def data_dictionary(request):
    return _cached_page(
        request,
        "publication/data.html",
        lambda: {
            "page_title": "Données ouvertes et API",
            "page_description": "Le projet fédéral en données ouvertes (CSV, JSON) sous Licence Ouverte 2.0, "
            "leur dictionnaire et l’API en lecture seule.",
            "datasets": list(opendata.DATASETS.values()),
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "api_docs_url": reverse("publication:api_docs"),
            "api_schema_url": reverse("publication:api_schema"),
        },
    )


@_decorate
def data_export(request, dataset: str, fmt: str):
    found = opendata.DATASETS.get(dataset)
    if found is None or fmt not in opendata.FORMATS:
        raise Http404("Ce jeu de données n’existe pas.")
    content = aggregates.cached(
        "public-data", dataset, fmt, compute=lambda: opendata.export(found, fmt), depends_on=DEPENDS_ON
    )
    response = HttpResponse(content, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="projet-federal-{dataset}.{fmt}"'
    return _public(response)
