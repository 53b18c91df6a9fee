"""Reader pages cost the same number of queries however many articles there are.

Counted with no cache in front, on a site filled by generate_articles (each
article with topics, tags and references) and one article with everything a
reader can see: image, author, review, "What changed" notes, related articles.
"""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ChangeNote, MedicalReview, Topic

# What the views themselves ask, not what a page from the cache costs (none).
pytestmark = pytest.mark.usefixtures("page_cache_off")

# Each page's queries, all counted below. Every reader page has one for the
# site pages its footer links.
QUERIES = {
    # The article with its author, image and stored page parts, and as JSON
    # its image's renditions, topics, tags, notes, latest review and related
    # articles.
    "article": 2,
    # The page of articles (no count: articles.pagination), their renditions.
    "home": 3,
    # The topic, then as the home page.
    "topic": 4,
    # The months with their counts.
    "archive": 2,
    # The freshness aggregate, the articles, then renditions, reviews with
    # their reviewers, topics and tags. The body comes stored.
    "feed": 6,
    # The topic, then as the site's feed.
    "topic feed": 7,
    # Each of the five sections' last change and size (articles, topics, authors,
    # site pages, glossary).
    "sitemap": 10,
    # The page of entries; its size is a range of ids, not a count.
    "sitemap section": 1,
}


@pytest.fixture
def site(db, make_full_article, author, make_user):
    article = make_full_article()
    topic = Topic.objects.get(slug="relapse")
    reviewer = make_user("Medical reviewers", credentials="MD")
    MedicalReview.objects.create(
        article=article, reviewer=reviewer.author_profile, reviewed_on="2024-02-01"
    )
    ChangeNote.objects.create(
        article=article,
        changed_at=datetime(2024, 1, 9, 9, tzinfo=UTC),
        note="New guidance",
    )
    urls = {
        "article": article.get_absolute_url(),
        "home": "/",
        "topic": topic.get_absolute_url(),
        "archive": "/archive/",
        "feed": "/feed/",
        "topic feed": f"/topics/{topic.slug}/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap section": "/sitemap-articles.xml",
    }

    def grow(count):
        call_command("generate_articles", count=count, stdout=None)
        # Generated articles share a topic with the article, so it has related
        # articles, and fill the topic's page and feed.
        for generated in Topic.objects.get(name="Relapse").articles.all()[:50]:
            generated.topics.add(topic)
        # And lists show their images.
        Article.objects.filter(featured_image=None).update(
            featured_image=article.featured_image
        )

    return urls, grow


def queries_to_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_reader_pages_make_the_same_queries_at_30_and_300_articles(client, site):
    urls, grow = site
    grow(30)
    client.get(urls["article"])  # SQLite checks its JSON support once.
    assert {name: queries_to_get(client, url) for name, url in urls.items()} == QUERIES
    grow(270)
    assert {name: queries_to_get(client, url) for name, url in urls.items()} == QUERIES


def test_the_article_page_takes_at_most_four_queries(
    client, site, django_assert_max_num_queries
):
    urls, grow = site
    grow(30)
    client.get(urls["article"])
    with django_assert_max_num_queries(4):
        page = client.get(urls["article"]).content.decode()
    assert 'class="related"' in page
    assert "Medically reviewed by" in page
    assert "New guidance" in page
    assert page.count('<li id="ref-') == 2
