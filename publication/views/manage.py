"""Staff pages: partners' API tokens, and what each indicator publishes."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from indicators.models import Indicator

from ..forms import IndicatorPublicationForm, PartnerTokenForm
from ..models import PartnerToken
from ..selectors import PUBLIC, visible_actions, visible_axes, visible_objectives
from ..services import indicator_publication_update, partner_token_create, partner_token_revoke


@permission_required("publication.add_partnertoken", raise_exception=True)
def token_list(request):
    """The tokens, and the form that creates one; a new token's key is shown once, on this answer."""
    form = PartnerTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        token, key = partner_token_create(name=form.cleaned_data["name"], user=request.user)
        messages.success(request, f"Jeton créé pour « {token.name} ».")
        form = PartnerTokenForm()
    tokens = PartnerToken.objects.select_related("created_by", "revoked_by")
    return render(request, "publication/token_list.html", {"form": form, "tokens": tokens, "new_key": key})


@require_POST
@permission_required("publication.change_partnertoken", raise_exception=True)
def token_revoke(request, pk: int):
    token = partner_token_revoke(token=get_object_or_404(PartnerToken, pk=pk), user=request.user)
    messages.success(request, f"Le jeton de « {token.name} » est révoqué : il ne donne plus accès à l’API.")
    return redirect("publication:token_list")


@require_safe
@permission_required("indicators.change_indicator", raise_exception=True)
def publication_overview(request):
    """What is published: counts, and each indicator with its switch (indicators are edited here:
    axes, objectives and actions have the switch on their own edit forms)."""
    indicators = Indicator.objects.order_by("name", "pk").prefetch_related("published_structures")
    return render(
        request,
        "publication/publication_overview.html",
        {
            "indicators": indicators,
            "counts": {
                "axes": visible_axes(PUBLIC).count(),
                "objectives": visible_objectives(PUBLIC).count(),
                "actions": visible_actions(PUBLIC).count(),
            },
        },
    )


@permission_required("indicators.change_indicator", raise_exception=True)
def indicator_publication(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorPublicationForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        indicator_publication_update(
            indicator=indicator,
            is_published=form.cleaned_data["is_published"],
            structures=form.cleaned_data["published_structures"],
            user=request.user,
        )
        messages.success(request, f"Publication de « {indicator.name} » enregistrée.")
        return redirect("publication:publication_overview")
    return render(request, "publication/indicator_publication.html", {"form": form, "indicator": indicator})
