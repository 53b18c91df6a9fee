import re

from django.core.management import call_command

from articles.models import Article, Reference
from articles.search import matching


def test_generate_articles_makes_realistic_linked_articles(db):
    call_command("generate_articles", count=30, batch_size=12, stdout=None)
    articles = Article.objects.prefetch_related("topics", "references")
    assert articles.count() == 30
    assert 25 <= Article.objects.published().count() <= 30
    words = [len(re.sub(r"<[^>]+>", " ", a.body).split()) for a in articles]
    assert 700 <= sum(words) / len(words) <= 1000
    for article in articles:
        assert 1 <= len(article.topics.all()) <= 3
        assert 1 <= len(article.references.all()) <= 3
        assert len(article.summary) <= 300
    assert len({a.title for a in articles}) > 20
    # Rendered for readers as a saved article is.
    assert not Article.objects.with_stale_body().exists()
    assert all(a.reading_minutes >= 3 and a.references_html for a in articles)


def test_generate_articles_again_adds_more_with_new_slugs(db):
    call_command("generate_articles", count=5, stdout=None)
    call_command("generate_articles", count=5, stdout=None)
    assert Article.objects.values("slug").distinct().count() == 10
    assert Reference.objects.filter(article__isnull=True).count() == 0


def test_generated_articles_are_searchable(db):
    call_command("generate_articles", count=10, stdout=None)
    assert matching(Article.objects.all(), "treatment").count() == 10
