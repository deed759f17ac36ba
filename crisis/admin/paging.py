"""Admin lists that count their matches up to a cap: "More than 10,000 events".

A list of a million events, or a search matching a fifth of them, was slow twice over:
counting every match, and finding the years of every match for the date drill-down.
Past the cap the count stops, and the drill-down offers the years of every record
(read from the index, ``PublishableQuerySet.dates``); a year may then hold no match.
"""

from functools import cached_property

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator

ADMIN_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap + 1`` rows; ``capped`` says when there were more."""

    cap = ADMIN_COUNT_CAP

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap

    @property
    def cap_label(self):
        return f"{self.cap:,}"


class CappedChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if self.paginator.capped and hasattr(self.queryset, "with_years_of_all_rows"):
            self.queryset = self.queryset.with_years_of_all_rows()


class CappedCountAdmin:
    """For a ModelAdmin of a table that grows without bound (events, quotes,
    citations). Its templates (``admin/crisis/search_form.html``, ``pagination.html``)
    say "More than 10,000" past the cap."""

    paginator = CappedPaginator

    def get_changelist(self, request, **kwargs):
        return CappedChangeList
