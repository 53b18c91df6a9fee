"""Pages of a long list of articles without counting the list.

A count of every live article (or every article of a topic) reads one row or
index entry per article, so it grows with the site: at 100,000 articles it
was most of the cost of the home page. Readers move through these lists with
"Newer" and "Older" links, which need only to know whether a next page
exists: one more row than a page holds answers that.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


def page_number(number):
    """``number`` as a page number, checked without knowing how many pages
    there are: a page past the end shows itself by being empty."""
    try:
        number = int(number)
    except (TypeError, ValueError) as error:
        raise PageNotAnInteger("That page number is not an integer") from error
    if number < 1:
        raise EmptyPage("That page number is less than 1")
    return number


class UncountedPaginator(Paginator):
    # Templates say "Page 3" rather than "Page 3 of 12".
    counted = False

    def validate_number(self, number):
        return page_number(number)

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and not (number == 1 and self.allow_empty_first_page):
            raise EmptyPage("That page contains no results")
        return UncountedPage(
            rows[: self.per_page], number, self, len(rows) > self.per_page
        )


class UncountedPage(Page):
    def __init__(self, object_list, number, paginator, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def start_index(self):
        return (
            (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0
        )

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1
