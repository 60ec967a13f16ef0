"""The one way a list page is cut into pages: `?page=` in the address, links built by
`templates/includes/_pagination.html` with Django's `{% querystring %}`, which keeps the
other parameters of the address (filters, sort)."""

from django.core.paginator import Page, Paginator


def paginate(request, object_list, per_page: int) -> Page:
    """The page of `object_list` that `?page=` asks for: the first one when it is missing or
    not a number, the last one when it is past the end."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
