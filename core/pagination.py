"""Pages of a long list without counting all of it: "hơn 10.000 hoạt động".

A province's activity list holds hundreds of thousands of rows; an exact COUNT(*) scans
them all on every page view. The count stops at `cap` (a LIMIT inside the count), which is
what a reader needs to know: there are many, narrow the filter.
"""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = 10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        head = self.object_list[: self.cap + 1]
        return len(head) if isinstance(head, list) else head.count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the count says: the list says «hơn» (more than)."""
        return self._counted > self.cap

    def page(self, number):
        """Every page full when the list goes on past the cap (Django would cut the last
        counted page short at the capped count)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)
