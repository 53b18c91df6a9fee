"""sitemap.xml and robots.txt: what crawlers are told to fetch, and when it changed."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Author, Status, Topic
from articles.sitemaps import ArticleSitemap

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE_URL = "https://notes.example.org"
BASE = "http://testserver"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    assert "max-age=3600" in response["Cache-Control"]
    return ElementTree.fromstring(response.content)


def entries(client, url):
    """{address: lastmod instant or None} of a sitemap section or index."""
    root = fetch(client, url)
    found = {}
    for entry in root:
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        found[entry.findtext("sm:loc", namespaces=NS)] = (
            datetime.fromisoformat(lastmod) if lastmod else None
        )
    return found


def at(day, hour=12):
    return datetime(2024, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Canonical links use SITE_URL, but a sitemap lists addresses on its own host.
    settings.SITE_URL = SITE_URL


@pytest.fixture
def site(make_article, topic, author):
    """Live, updated, draft and scheduled articles, with their topics and authors."""
    quiet_author = Author.objects.create(name="Sam Lee", slug="sam-lee")
    empty_topic = Topic.objects.create(name="Diet", slug="diet")
    later = timezone.now() + timedelta(days=3)
    articles = {
        "live": make_article(slug="live", published_at=at(1), author=author),
        "updated": make_article(
            slug="updated", published_at=at(2), updated_at=at(20), author=author
        ),
        "draft": make_article(
            slug="draft", status=Status.DRAFT, published_at=None, author=quiet_author
        ),
        "scheduled": make_article(slug="scheduled", published_at=later, author=author),
        # Published long ago but updated in substance later than anything live.
        "draft-updated": make_article(
            slug="draft-updated",
            status=Status.DRAFT,
            published_at=at(3),
            updated_at=at(25),
            author=author,
        ),
    }
    for article in articles.values():
        article.topics.add(topic)
    articles["draft"].topics.add(empty_topic)
    articles["scheduled"].topics.add(empty_topic)
    return articles


def test_sitemap_index_lists_each_section_with_its_lastmod(client, site):
    index = entries(client, "/sitemap.xml")
    assert index == {
        f"{BASE}/sitemap-articles.xml": at(20),
        f"{BASE}/sitemap-topics.xml": at(20),
        f"{BASE}/sitemap-authors.xml": at(20),
        f"{BASE}/sitemap-pages.xml": None,
        f"{BASE}/sitemap-glossary.xml": None,
    }


def test_articles_section_holds_published_articles_only(client, site):
    assert entries(client, "/sitemap-articles.xml") == {
        f"{BASE}/articles/live/": at(1),
        # An update in substance is the change crawlers should come back for.
        f"{BASE}/articles/updated/": at(20),
    }


def test_topic_and_author_pages_with_live_articles_and_their_newest_change(
    client, site
):
    # Diet and Sam Lee have only unpublished articles: their pages list nothing.
    assert entries(client, "/sitemap-topics.xml") == {f"{BASE}/topics/relapse/": at(20)}
    assert entries(client, "/sitemap-authors.xml") == {
        f"{BASE}/authors/dana-whitfield/": at(20)
    }


def test_lastmod_is_in_site_time_like_the_page(client, settings, site):
    settings.TIME_ZONE = "America/New_York"
    root = fetch(client, "/sitemap-articles.xml")
    lastmods = [e.findtext("sm:lastmod", namespaces=NS) for e in root]
    assert "2024-03-20T08:00:00-04:00" in lastmods


def test_empty_site_still_has_a_valid_sitemap(client, db):
    assert entries(client, "/sitemap.xml") == {
        f"{BASE}/sitemap-{section}.xml": None
        for section in ["articles", "topics", "authors", "pages", "glossary"]
    }
    assert entries(client, "/sitemap-articles.xml") == {}


def test_a_section_past_its_limit_pages_on(client, monkeypatch, make_article):
    # 50,000 in production; three here.
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    for n in range(4):
        make_article(slug=f"article-{n}", published_at=at(n + 1))
    index = entries(client, "/sitemap.xml")
    assert f"{BASE}/sitemap-articles.xml" in index
    assert f"{BASE}/sitemap-articles.xml?p=2" in index
    first = entries(client, "/sitemap-articles.xml")
    second = entries(client, "/sitemap-articles.xml?p=2")
    assert len(first) == 3 and len(second) == 1
    assert set(first) | set(second) == {
        f"{BASE}/articles/article-{n}/" for n in range(4)
    }
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


def test_unknown_section_is_not_found(client, db):
    assert client.get("/sitemap-drafts.xml").status_code == 404


@pytest.mark.usefixtures("page_cache_off")
@pytest.mark.parametrize("section", ["articles", "topics", "authors"])
def test_section_query_count_does_not_grow(
    client, django_assert_max_num_queries, make_article, section
):
    def add_articles(first):
        for n in range(first, first + 5):
            author = Author.objects.create(name=f"Author {n}", slug=f"author-{n}")
            article = make_article(author=author)
            article.topics.create(name=f"Topic {n}", slug=f"topic-{n}")

    add_articles(0)
    # The paginator's count and the page of items.
    with django_assert_max_num_queries(2):
        client.get(f"/sitemap-{section}.xml")
    add_articles(5)
    with django_assert_max_num_queries(2):
        assert len(entries(client, f"/sitemap-{section}.xml")) == 10


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {SITE_URL}/sitemap.xml",
    ]
