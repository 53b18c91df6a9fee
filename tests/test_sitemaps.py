"""sitemap.xml and robots.txt: what crawlers are told to fetch, and when it changed."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article, Author, Status, Topic
from articles.sitemaps import ArticleSitemap, TopicSitemap
from tests.conftest import T0

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


SECTIONS = ["articles", "topics", "authors"]


def section_lastmods(client):
    index = entries(client, "/sitemap.xml")
    return {section: index[f"{BASE}/sitemap-{section}.xml"] for section in SECTIONS}


@pytest.fixture
def recent_site(make_article, clock, topic, author):
    """At T0: a live article changed an hour ago, and a scheduled one due in
    an hour, both in the same topic and by the same author."""
    articles = {
        "live": make_article(
            slug="live",
            published_at=T0 - timedelta(days=2),
            updated_at=T0 - timedelta(hours=1),
            author=author,
        ),
        "scheduled": make_article(
            slug="scheduled", published_at=T0 + timedelta(hours=1), author=author
        ),
    }
    for article in articles.values():
        article.topics.add(topic)
    return articles


def test_a_scheduled_article_is_no_section_s_lastmod_until_it_goes_live(
    client, clock, recent_site
):
    changed = T0 - timedelta(hours=1)
    assert section_lastmods(client) == dict.fromkeys(SECTIONS, changed)
    assert entries(client, "/sitemap-topics.xml") == {
        f"{BASE}/topics/relapse/": changed
    }
    clock.move_to(T0 + timedelta(hours=1), tick=False)
    assert section_lastmods(client) == dict.fromkeys(SECTIONS, T0 + timedelta(hours=1))
    assert entries(client, "/sitemap-articles.xml")[
        f"{BASE}/articles/scheduled/"
    ] == T0 + timedelta(hours=1)


def test_an_update_time_still_ahead_gives_no_lastmod_until_it_comes(
    client, clock, recent_site, make_article, topic, author
):
    # The admin stamps "Updated" with the present; an import or the shell may
    # write a time ahead of the clock. A lastmod is never in the future.
    ahead = T0 + timedelta(hours=2)
    Article.objects.filter(slug="live").update(updated_at=ahead)
    older = make_article(
        slug="eating-well", published_at=T0 - timedelta(days=3), author=author
    )
    older.topics.add(topic)
    before = T0 - timedelta(days=3)
    assert entries(client, "/sitemap-articles.xml") == {
        f"{BASE}/articles/live/": None,
        f"{BASE}/articles/eating-well/": before,
    }
    # The newest of a section, a topic and an author is that of the lastmods
    # listed.
    assert section_lastmods(client) == dict.fromkeys(SECTIONS, before)
    assert entries(client, "/sitemap-topics.xml") == {f"{BASE}/topics/relapse/": before}
    assert entries(client, "/sitemap-authors.xml") == {
        f"{BASE}/authors/dana-whitfield/": before
    }

    clock.move_to(ahead, tick=False)
    assert entries(client, "/sitemap-articles.xml")[f"{BASE}/articles/live/"] == ahead
    assert section_lastmods(client) == dict.fromkeys(SECTIONS, ahead)
    assert entries(client, "/sitemap-topics.xml") == {f"{BASE}/topics/relapse/": ahead}


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


def section_pages(client, section):
    """The addresses of a section's pages, as the index lists them."""
    base = f"{BASE}/sitemap-{section}.xml"
    return sorted(
        address
        for address in entries(client, "/sitemap.xml")
        if address.startswith(base)
    )


def article_urls(*ids):
    return {f"{BASE}/articles/article-{n}/" for n in ids}


@pytest.fixture
def article_with_id(make_article):
    """An article with a chosen id, slug article-<id>: pages are ranges of ids."""

    def make(pk, **fields):
        return make_article(id=pk, slug=f"article-{pk}", **fields)

    return make


def test_a_section_past_its_limit_pages_on_by_ranges_of_ids(
    client, monkeypatch, article_with_id
):
    # 50,000 in production; three here: page 1 holds ids 1 to 3, page 2 ids 4 to 6.
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    for pk in range(1, 6):
        article_with_id(pk, published_at=at(pk))
    # Past the last live article: they add no page.
    article_with_id(7, status=Status.DRAFT, published_at=None)
    article_with_id(8, published_at=timezone.now() + timedelta(days=3))
    assert section_pages(client, "articles") == [
        f"{BASE}/sitemap-articles.xml",
        f"{BASE}/sitemap-articles.xml?p=2",
    ]
    assert set(entries(client, "/sitemap-articles.xml")) == article_urls(1, 2, 3)
    assert set(entries(client, "/sitemap-articles.xml?p=2")) == article_urls(4, 5)
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


def test_pages_keep_their_addresses_as_articles_are_added(
    client, monkeypatch, article_with_id
):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    for pk in range(1, 5):
        article_with_id(pk)
    first = entries(client, "/sitemap-articles.xml")
    for pk in range(5, 8):
        article_with_id(pk)
    assert entries(client, "/sitemap-articles.xml") == first
    assert set(entries(client, "/sitemap-articles.xml?p=2")) == article_urls(4, 5, 6)
    assert set(entries(client, "/sitemap-articles.xml?p=3")) == article_urls(7)


def test_a_range_of_ids_without_live_articles_is_an_empty_page(
    client, monkeypatch, article_with_id
):
    # Ids 4 to 9 were drafts since deleted, or never committed.
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    for pk in (1, 2, 10):
        article_with_id(pk)
    article_with_id(3, status=Status.DRAFT, published_at=None)
    assert len(section_pages(client, "articles")) == 4
    listed = [
        entries(client, f"/sitemap-articles.xml?p={page}") for page in range(1, 5)
    ]
    assert [set(page) for page in listed] == [
        article_urls(1, 2),
        set(),
        set(),
        article_urls(10),
    ]
    assert client.get("/sitemap-articles.xml?p=5").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", "99"])
def test_a_page_that_is_not_one_is_not_found(client, article_with_id, page):
    article_with_id(1)
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


def test_topic_pages_page_by_ids_and_list_only_those_with_live_articles(
    client, monkeypatch, article_with_id
):
    monkeypatch.setattr(TopicSitemap, "limit", 2)
    live = article_with_id(1, published_at=at(1))
    draft = article_with_id(2, status=Status.DRAFT, published_at=None)
    for pk in range(1, 6):
        topic = Topic.objects.create(id=pk, name=f"Topic {pk}", slug=f"topic-{pk}")
        # Topic 4 has only a draft, topic 5 nothing.
        if pk <= 3:
            topic.articles.add(live)
        elif pk == 4:
            topic.articles.add(draft)
    assert len(section_pages(client, "topics")) == 3
    pages = [entries(client, f"/sitemap-topics.xml?p={page}") for page in (1, 2, 3)]
    assert pages == [
        {f"{BASE}/topics/topic-1/": at(1), f"{BASE}/topics/topic-2/": at(1)},
        {f"{BASE}/topics/topic-3/": at(1)},
        {},
    ]
    assert client.get("/sitemap-topics.xml?p=4").status_code == 404


@pytest.mark.usefixtures("page_cache_off")
def test_index_query_count_does_not_grow_with_its_pages(
    client, monkeypatch, django_assert_num_queries, article_with_id
):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    article_with_id(1)
    # Each section's last change and last id.
    with django_assert_num_queries(10):
        client.get("/sitemap.xml")
    for pk in range(2, 12):
        article_with_id(pk)
    with django_assert_num_queries(10):
        assert len(section_pages(client, "articles")) == 4


@pytest.mark.usefixtures("page_cache_off")
def test_an_empty_page_costs_one_query_more(
    client, monkeypatch, django_assert_num_queries, article_with_id
):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    for pk in (1, 10):
        article_with_id(pk)
    with django_assert_num_queries(1):
        client.get("/sitemap-articles.xml")
    # Whether page 2 is a gap or past the end: the last id says.
    with django_assert_num_queries(2):
        assert client.get("/sitemap-articles.xml?p=2").status_code == 200


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
    # The page of items, no count: pages are ranges of ids.
    with django_assert_max_num_queries(1):
        client.get(f"/sitemap-{section}.xml")
    add_articles(5)
    with django_assert_max_num_queries(1):
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
