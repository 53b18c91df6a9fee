"""Searching articles: one interface, a backend for each kind of database.

    results = search("relapse -smouldering", page_number=1)
    results.page          # a Paginator page of articles, each with a safe .snippet
    results.count         # how many articles match
    results.suggestion    # "Did you mean …?" when few match and a respelling finds more
    results.corrected_from  # set when nothing matched and these are the respelling's

PostgreSQL ranks with full text search (articles.search.postgres); SQLite, the
embedded default, matches text (articles.search.simple). Both take the same
syntax: words, "exact phrases", `or` and -word.

Only what `queryset` holds is searched: by default Article.objects.published(),
so whatever rule decides what readers may see (an expiry time included) holds
here too without a change.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db import connection

from articles.models import Article
from articles.search import postgres, simple

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Fewer results than this, and a respelling of the query is tried.
FEW_RESULTS = 3


class MalformedQuery(ValueError):
    """A query that cannot be searched for; the message is for the reader."""


@dataclass
class SearchResults:
    query: str
    page: Page | None = None
    suggestion: str = ""
    corrected_from: str = ""

    @property
    def count(self):
        return self.page.paginator.count


def clean_query(raw):
    """The query with its whitespace tidied, or MalformedQuery.

    Whitespace alone is an empty query. NUL cannot be stored in PostgreSQL
    text, and no word is that long: both are refused rather than altered.
    """
    if "\x00" in raw:
        raise MalformedQuery(
            "The search contains a character that cannot be searched for."
        )
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise MalformedQuery(
            f"Searches can be up to {MAX_QUERY_LENGTH} characters long. "
            "Try a few key words instead."
        )
    return query


def backend():
    return postgres if connection.vendor == "postgresql" else simple


def matching(queryset, text):
    """The articles of `queryset` matching `text`, in no particular order."""
    return backend().matching(queryset, text)


def search(text, page_number=1, queryset=None):
    """One page of results for a cleaned query; raises InvalidPage for a bad page."""
    engine = backend()
    queryset = Article.objects.published() if queryset is None else queryset
    results = SearchResults(query=text)
    with engine.planned():
        found = engine.paginator(queryset, text, PER_PAGE)
        if found.count < FEW_RESULTS:
            respelled = engine.suggest(text)
            if respelled.lower() != text.lower():
                alternative = engine.paginator(queryset, respelled, PER_PAGE)
                if found.count == 0 and alternative.count:
                    # Nothing matched what was typed: show the respelling's results.
                    results = SearchResults(query=respelled, corrected_from=text)
                    found = alternative
                elif alternative.count > found.count:
                    results.suggestion = respelled
        results.page = engine.page(found, page_number, results.query)
    return results
