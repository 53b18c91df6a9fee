"""Related articles: live ones sharing a topic, newest first, listed under
the article on its page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Status, Topic
from tests.test_body import Page


@pytest.fixture
def relapse_article(make_article, topic):
    article = make_article(title="Main article")
    article.topics.add(topic)
    return article


def on_page(article):
    """The related articles the article's page lists (Article.objects.for_page)."""
    return Article.objects.for_page().get(pk=article.pk).related_articles


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_related_articles_share_a_topic_newest_first(
    make_article, relapse_article, topic
):
    other_topic = Topic.objects.create(name="Treatment", slug="treatment")
    relapse_article.topics.add(other_topic)
    older = make_article(title="Older", published_at=days_ago(9))
    newer = make_article(title="Newer", published_at=days_ago(2))
    both = make_article(title="Shares both topics", published_at=days_ago(5))
    for related in (older, newer):
        related.topics.add(topic)
    both.topics.add(topic, other_topic)
    make_article(title="Unrelated")
    assert list(Article.objects.related_to(relapse_article)) == [newer, both, older]
    assert on_page(relapse_article) == [newer, both, older]


def test_related_articles_are_only_live_and_never_the_article_itself(
    make_article, relapse_article, topic
):
    live = make_article(title="Live")
    draft = make_article(title="Draft", status=Status.DRAFT)
    scheduled = make_article(
        title="Scheduled", published_at=timezone.now() + timedelta(days=1)
    )
    for article in (live, draft, scheduled):
        article.topics.add(topic)
    assert list(Article.objects.related_to(relapse_article)) == [live]
    assert on_page(relapse_article) == [live]


def test_related_articles_stop_at_the_limit(make_article, relapse_article, topic):
    for n in range(5):
        make_article(published_at=days_ago(n + 2)).topics.add(topic)
    assert len(Article.objects.related_to(relapse_article)) == 3
    assert len(Article.objects.related_to(relapse_article, limit=4)) == 4
    assert len(on_page(relapse_article)) == 3


def test_article_without_topics_has_no_related_and_no_query(
    make_article, django_assert_num_queries
):
    article = Article.objects.prefetch_related("topics").get(pk=make_article().pk)
    with django_assert_num_queries(0):
        assert list(Article.objects.related_to(article)) == []


def test_page_lists_related_articles(client, make_article, relapse_article, topic):
    related = make_article(title="What to ask at your next appointment")
    related.topics.add(topic)
    make_article(title="A draft on the same topic", status=Status.DRAFT).topics.add(
        topic
    )
    response = client.get(relapse_article.get_absolute_url())
    html = Page(response.content.decode())
    assert html.text("related-heading") == "Related articles"
    section = response.content.decode().split('id="related-heading"')[1]
    assert f'<a href="{related.get_absolute_url()}">' in section
    assert "A draft on the same topic" not in section
    assert relapse_article.get_absolute_url() not in section


def test_page_without_related_articles_has_no_section(client, relapse_article):
    html = client.get(relapse_article.get_absolute_url()).content.decode()
    assert "Related articles" not in html


@pytest.mark.usefixtures("page_cache_off")
def test_query_count_does_not_grow_with_related_articles(
    client, django_assert_max_num_queries, make_article, relapse_article, topic
):
    for _ in range(3):
        make_article().topics.add(topic)
    # As in tests/test_views.py: related articles come in the article's query.
    client.get(relapse_article.get_absolute_url())  # Keeps the page's parts.
    with django_assert_max_num_queries(2):
        response = client.get(relapse_article.get_absolute_url())
    assert response.content.decode().count("Living with myeloma, part") == 3
