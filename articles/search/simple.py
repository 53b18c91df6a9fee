"""Search on databases without PostgreSQL's full text search (SQLite).

The same query syntax, read the way PostgreSQL's websearch_to_tsquery reads
it: words and "quoted phrases" must all appear, -word must not, and `or`
splits the query into alternatives. Each term is a case-insensitive substring
of the title, summary, body, a topic or tag name or a reference title, so
"relapse" also finds "relapsed"; there is no stemming and no stop-word list.
Title matches come first, then summary matches, then the newest.
"""

import difflib
import re
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from articles.models import Article, Reference, Tag, Topic
from articles.search.text import WORD, highlight, plain_text, query_words, respell

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Punctuation around a word is not part of it ("relapse," or "(CAR-T)").
EDGE_PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~-"


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False


def parse(text):
    """The query as alternatives (split at `or`), each a list of Terms."""
    alternatives, current = [], []
    for match in TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        negated = minus == "-"
        if word is not None:
            if word.lower() == "or":
                if current:
                    alternatives.append(current)
                current = []
                continue
            negated = word.startswith("-")
            phrase = word
        words = " ".join(phrase.split()).strip(EDGE_PUNCTUATION)
        if words:
            current.append(Term(words, negated))
    if current:
        alternatives.append(current)
    return alternatives


def planned():
    """Nothing to tune here; PostgreSQL's backend steers its planner."""
    return nullcontext()


def contains(term):
    words = term.text
    return (
        Q(title__icontains=words)
        | Q(summary__icontains=words)
        | Q(body__icontains=words)
        | Q(
            Exists(Topic.objects.filter(articles=OuterRef("pk"), name__icontains=words))
        )
        | Q(Exists(Tag.objects.filter(articles=OuterRef("pk"), name__icontains=words)))
        | Q(
            Exists(
                Reference.objects.filter(article=OuterRef("pk"), title__icontains=words)
            )
        )
    )


def positive_terms(text):
    return [
        term for alternative in parse(text) for term in alternative if not term.negated
    ]


def matching(queryset, text):
    alternatives = parse(text)
    if not alternatives:
        return queryset.none()
    condition = Q()
    for alternative in alternatives:
        required = Q()
        for term in alternative:
            required &= ~contains(term) if term.negated else contains(term)
        condition |= required
    return queryset.filter(condition)


def paginator(queryset, text, per_page):
    in_title, in_summary = Q(pk__in=[]), Q(pk__in=[])
    for term in positive_terms(text):
        in_title |= Q(title__icontains=term.text)
        in_summary |= Q(summary__icontains=term.text)
    ranked = (
        matching(queryset, text)
        .annotate(
            rank=Case(
                When(in_title, then=Value(2)),
                When(in_summary, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .only("title", "slug", "summary", "body", "published_at")
        .order_by("-rank", "-published_at", "-pk")
    )
    return Paginator(ranked, per_page)


def page(paginator, number, text):
    page = paginator.page(number)
    patterns = [
        re.compile(
            r"\s+".join(map(re.escape, term.text.split())) + r"\w*", re.IGNORECASE
        )
        for term in positive_terms(text)
    ]
    page.object_list = list(page.object_list)
    for article in page.object_list:
        article.snippet = highlight(
            f"{article.summary} {plain_text(article.body)}", patterns
        )
    return page


def suggest(text):
    """The query with unknown words replaced by close known ones (difflib).

    Known words come from the titles and summaries of live articles and the
    topic and tag names: reading them all is fine on a small embedded database.
    """
    words = query_words(text)
    if not words:
        return text
    sources = [
        *Article.objects.published().values_list("title", "summary"),
        *Topic.objects.values_list("name"),
        *Tag.objects.values_list("name"),
    ]
    known = {
        word.lower() for row in sources for value in row for word in WORD.findall(value)
    }
    corrections = {}
    for word in set(words) - known:
        if close := difflib.get_close_matches(word, known, n=1, cutoff=0.75):
            corrections[word] = close[0]
    return respell(text, corrections)
