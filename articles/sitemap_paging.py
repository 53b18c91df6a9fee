"""Sitemap pages by ranges of ids, so that the index needs no count.

Page k of a section holds its items whose id is in ((k - 1) * limit, k * limit].
The number of pages is then the largest id over the limit: one step back along
the primary key, where Django's Paginator counts every item (at 100,000
articles the count was most of the index's time). An address never moves to
another page: new rows take ids past the last one, and a row that leaves the
section leaves only its own page.

A page may hold fewer than ``limit`` items: ids of drafts, scheduled and
deleted articles are not listed. It holds none only if a whole range of
``limit`` ids (50,000) has nothing to list; such a page is still in the index
and is an empty, valid sitemap, as the first page of an empty section is.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page
from django.utils.functional import cached_property

from articles.pagination import page_number


class IdRangePaginator:
    """What the sitemap views ask of a paginator: num_pages (the index) and
    page() (a section), whose errors they answer with a 404."""

    def __init__(self, items, limit, last_id):
        self.items = items
        self.limit = limit
        self.last_id = last_id

    @cached_property
    def num_pages(self):
        last = self.last_id() or 0
        # At least one, as Django's: an empty section is an empty sitemap.
        return max(1, -(-last // self.limit))

    def validate_number(self, number):
        return page_number(number)

    def page(self, number):
        number = self.validate_number(number)
        after = (number - 1) * self.limit
        object_list = list(self.items.filter(pk__gt=after, pk__lte=after + self.limit))
        # A page with items is in range; only an empty one costs the query
        # that tells a gap from a page past the end.
        if not object_list and number > self.num_pages:
            raise EmptyPage("That page contains no results")
        return Page(object_list, number, self)


class IdRangeSitemap(Sitemap):
    """A section paged by ids: items() is a queryset, and last_id() the
    largest id any page may hold."""

    # No alternate languages: each item is listed once, as items() has it.
    i18n = False

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit, self.last_id)

    def last_id(self):
        raise NotImplementedError
