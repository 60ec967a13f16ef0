"""The one way a list page is cut into pages: `?page=` in the address, links built by
`templates/includes/_pagination.html` with Django's `{% querystring %}`, which keeps the
other parameters of the address (filters, sort)."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts no further than `max_count` objects: `count` is at most `max_count`, and `more`
    says there were others. For lists whose full count costs more than the page itself (the
    audit reads every history table of the period); pages past the cap are not offered."""

    def __init__(self, object_list, per_page, *, max_count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = max_count

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, list | tuple):
            return len(self.object_list)
        # One query that stops at max_count + 1 rows, in no particular order.
        return self.object_list.order_by()[: self.max_count + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.max_count)

    @property
    def more(self) -> bool:
        return self._counted > self.max_count


def paginate(request, object_list, per_page: int, *, max_count: int | None = None) -> Page:
    """The page of `object_list` that `?page=` asks for: the first one when it is missing or
    not a number, the last one when it is past the end (past `max_count` objects, if given:
    CappedPaginator)."""
    if max_count is None:
        paginator = Paginator(object_list, per_page)
    else:
        paginator = CappedPaginator(object_list, per_page, max_count=max_count)
    return paginator.get_page(request.GET.get("page"))
