"""Queries compiled once per process (articles.prepared) give what the same
queryset built afresh gives, for every value bound, on every database."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Status
from articles.prepared import PreparedQuery
from tests.conftest import T0


def by_slug():
    built = []

    def build(slug, now):
        built.append(slug)
        return Article.objects.published(now).filter(slug=slug)

    return PreparedQuery(Article, build), built


def test_each_call_binds_its_own_values_and_builds_once(make_article, clock):
    first = make_article(title="First", slug="first")
    second = make_article(title="Second", slug="second")
    prepared, built = by_slug()
    now = T0 + timedelta(days=1)

    assert prepared.list(slug="first", now=now) == [first]
    assert prepared.list(slug="second", now=now) == [second]
    assert prepared.list(slug="none-such", now=now) == []
    assert len(built) == 1


def test_the_time_bound_decides_what_is_live(make_article, clock):
    later = make_article(slug="later", published_at=T0 + timedelta(hours=1))
    prepared, _ = by_slug()

    assert prepared.list(slug="later", now=T0) == []
    assert prepared.list(slug="later", now=T0 + timedelta(hours=1)) == [later]


def test_it_is_one_query_of_the_sql_django_would_write(make_article, clock):
    make_article(slug="first")
    prepared, _ = by_slug()
    now = T0 + timedelta(days=1)
    prepared.list(slug="first", now=now)
    expected = str(Article.objects.published(now).filter(slug="first").query)

    with CaptureQueriesContext(connection) as queries:
        prepared.list(slug="first", now=now)

    assert len(queries) == 1
    # The same statement up to how each driver quotes the values it was given.
    assert queries[0]["sql"].split(" WHERE ")[0] == expected.split(" WHERE ")[0]


def test_a_value_a_lookup_changes_is_refused_rather_than_misbound(make_article):
    prepared = PreparedQuery(
        Article, lambda slug: Article.objects.filter(slug__contains=slug)
    )
    with pytest.raises(ValueError, match="does not reach the SQL"):
        prepared.list(slug="first")


def test_only_strings_and_times_can_be_bound(db):
    prepared = PreparedQuery(Article, lambda pk: Article.objects.filter(pk=pk))
    with pytest.raises(TypeError, match="only strings and datetimes"):
        prepared.list(pk=1)


def test_the_live_page_loads_what_for_page_loads(make_full_article, clock):
    article = make_full_article()
    fresh = Article.objects.published().for_page().get(pk=article.pk)

    page = Article.live_page(article.slug)

    for name in ("page_topics", "page_tags", "page_reviews", "page_related"):
        assert getattr(page, name) == getattr(fresh, name)
    assert page.author == fresh.author
    assert (
        page.featured_image.renditions.all()[0]
        == (fresh.featured_image.renditions.all()[0])
    )
    assert list(page.topics.all()) == list(fresh.topics.all())


def test_the_live_page_is_none_for_a_draft(make_article):
    draft = make_article(slug="draft", status=Status.DRAFT)
    assert Article.live_page(draft.slug) is None


def test_a_query_without_values_reads_fresh_rows_each_time(db):
    from articles.pages.context_processors import SITE_PAGES
    from articles.pages.models import Page

    before = SITE_PAGES.list()
    Page.objects.create(title="About us", slug="about-us", is_published=True)
    Page.objects.create(title="Drafted", slug="drafted", is_published=False)

    assert [page.slug for page in SITE_PAGES.list()] == [
        page.slug for page in before
    ] + ["about-us"]
