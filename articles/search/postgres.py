"""Search on PostgreSQL: the trigger-kept search document, ranked, with headlines.

Migration 0004 keeps, on each article row, search_document (title A, summary
B, body C, topic and tag names and reference titles D) with its GIN index, and
search_head, the same without the body's words.

Ranking reads one vector per matching article. Documents are a few kilobytes
and live in TOAST storage: reading 48,000 of them to rank a word nearly every
article uses ("treatment") takes 300 ms on the benchmark machine. So up to
FULL_RANK_LIMIT matches are ranked on the whole document, and beyond that on
search_head, which sits in the table row: the title, summary and topics decide
the order, and the body only whether an article matches. Either way a title
match outranks a summary match, which outranks a body match, and ties go to
the newest article.
"""

from contextlib import contextmanager
from functools import cached_property

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Expression, F, Func, TextField

from articles.models import Article
from articles.search.text import START, STOP, marked_headline, query_words, respell

CONFIG = "english"
FULL_RANK_LIMIT = 2000

# The closest known word to each unknown one, by trigram similarity; `%` is
# pg_trgm's "similar enough" operator, which the trigram index serves.
SUGGEST_SQL = """
SELECT typed.word, (
    SELECT known.word FROM articles_searchword AS known
     WHERE known.word %% typed.word
     ORDER BY similarity(known.word, typed.word) DESC, known.word
     LIMIT 1)
  FROM unnest(%s::text[]) AS typed(word)
 WHERE NOT EXISTS (
    SELECT 1 FROM articles_searchword AS known WHERE known.word = typed.word)
"""


class SearchColumn(Expression):
    """search_document or search_head, of the query's own article table.

    Neither is a model field: Django must never load them (kilobytes per
    article, and lists, feeds and the sitemap load many) or save stale copies.
    """

    output_field = SearchVectorField()
    contains_column_references = True

    def __init__(self, column, alias=None):
        super().__init__()
        self.column, self.alias = column, alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return SearchColumn(self.column, query.get_initial_alias())

    def relabeled_clone(self, relabels):
        # A subquery renames its tables (U0, U1, …).
        return SearchColumn(self.column, relabels.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{self.column}", []

    def get_group_by_cols(self):
        return [self]


@contextmanager
def planned():
    """Run the search's queries on bitmap index scans: the GIN indexes.

    The planner does not count the cost of reading documents out of TOAST
    storage. For a common word it prefers a sequential scan, or a walk along
    the publish-time index, that reads every document (300 ms at 50,000
    articles) to the GIN index and a look at each row (20 ms); and it guesses
    trigram matches so badly that it scans the whole word list. Only bitmap
    scans left, each query takes its GIN index (and primary keys still work).
    SET LOCAL lasts until the end of the transaction.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
            )
        yield


def web_query(text):
    """Web-search syntax: "exact phrase", or, -word. It never raises on input."""
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def matching(queryset, text):
    """The articles of `queryset` that match, unordered: the admin's search."""
    return queryset.alias(search_document=SearchColumn("search_document")).filter(
        search_document=web_query(text)
    )


def ranked(queryset, text, column):
    rank = SearchRank(SearchColumn(column), web_query(text))
    return (
        matching(queryset, text)
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-pk")
    )


class SearchPaginator(Paginator):
    """Pages of the ids of matching articles, best first.

    Counting first decides how to rank (see the module docstring). Only ids:
    the page's own rows, with their headlines, are read afterwards, so however
    many articles match, only ten headlines are made.
    """

    def __init__(self, queryset, text, per_page):
        self.matches = matching(queryset, text).count()
        self.rank_column = (
            "search_document" if self.matches <= FULL_RANK_LIMIT else "search_head"
        )
        ids = ranked(queryset, text, self.rank_column).values_list("pk", flat=True)
        super().__init__(ids, per_page)

    @cached_property
    def count(self):
        return self.matches


def paginator(queryset, text, per_page):
    return SearchPaginator(queryset, text, per_page)


def page(paginator, number, text):
    page = paginator.page(number)
    # The summary and the body's words: a match in either is shown; a match in
    # the title or a topic alone shows the start of the summary.
    plain_text = Func(
        F("summary"),
        Func(F("body"), function="articles_html_text"),
        template="concat_ws(' ', %(expressions)s)",
        output_field=TextField(),
    )
    headline = SearchHeadline(
        plain_text,
        web_query(text),
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    rows = Article.objects.filter(pk__in=page.object_list)
    page.object_list = list(
        ranked(rows, text, paginator.rank_column)
        .annotate(headline=headline)
        .only("title", "slug", "summary", "published_at")
    )
    for article in page.object_list:
        article.snippet = marked_headline(article.headline)
    return page


def suggest(text):
    """The query with unknown words replaced by the closest known ones."""
    words = query_words(text)
    if not words:
        return text
    with connection.cursor() as cursor:
        cursor.execute(SUGGEST_SQL, [words])
        corrections = {typed: known for typed, known in cursor.fetchall() if known}
    return respell(text, corrections)
