"""What subscribers' feed readers get: every field, the right articles, ids that
last, in a fixed number of queries."""

import json
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Status, Tag

SITE = "https://blog.example.org"
FEEDS = ["/feed/", "/feed/atom/", "/feed.json"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _public_site(settings):
    # Not the test client's host: feeds must point readers at the public site.
    settings.SITE_URL = SITE


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def json_feed(client, url="/feed.json"):
    return json.loads(client.get(url).content)


def test_rss_carries_every_field(client, full_article, author):
    feed = parse(client, "/feed/")
    image = full_article.featured_image
    rendition = image.whole_renditions("jpeg")[-1]
    assert feed.version == "rss20"
    assert feed.feed.title == "Myeloma & Relapse Notes"
    assert feed.feed.link == f"{SITE}/"
    assert feed.feed.subtitle.startswith("Plain-language articles")
    assert f"{SITE}/feed/" in [
        link.href for link in feed.feed.links if link.rel == "self"
    ]
    assert feed.feed.language == "en-gb"
    assert feed.feed.updated_parsed[:6] == (2024, 1, 9, 9, 0, 0)
    assert feed.feed.image.href == f"{SITE}/static/feed-icon-144.png"

    [entry] = feed.entries
    assert entry.title == "Treatment after a myeloma relapse"
    assert entry.link == f"{SITE}/articles/treatment-after-relapse/"
    assert entry.id == f"urn:uuid:{full_article.uuid}"
    assert entry.guidislink is False
    assert entry.author == "Dana Whitfield"
    assert [tag.term for tag in entry.tags] == ["Relapse", "Follow-up care"]
    assert entry.published_parsed[:6] == (2023, 5, 5, 14, 0, 0)
    assert entry.summary == "Why the next treatment depends on the last one."
    content = entry.content[0].value
    assert "<h2>Choices</h2>" in content
    assert "Relapsed myeloma overview" in content
    assert "https://doi.org/10.1182/blood.2020008805" in content
    assert "https://pubmed.ncbi.nlm.nih.gov/32649747/" in content
    assert f'src="{SITE}{rendition.url}"' in content
    assert 'alt="A nurse talks with a patient in a clinic room"' in content
    assert "Image: Depositphotos / pressmaster" in content
    [enclosure] = entry.enclosures
    assert enclosure == {
        "href": f"{SITE}{rendition.url}",
        "length": str(rendition.file.size),
        "type": "image/jpeg",
    }


def test_atom_carries_every_field(client, full_article):
    feed = parse(client, "/feed/atom/")
    assert feed.version == "atom10"
    assert feed.feed.title == "Myeloma & Relapse Notes"
    assert feed.feed.subtitle.startswith("Plain-language articles")
    assert feed.feed.link == f"{SITE}/"
    assert f"{SITE}/feed/atom/" in [
        link.href for link in feed.feed.links if link.rel == "self"
    ]
    assert feed.feed.language == "en-gb"
    assert feed.feed.updated_parsed[:6] == (2024, 1, 9, 9, 0, 0)
    assert feed.feed.icon == f"{SITE}/static/feed-icon-512.png"

    [entry] = feed.entries
    assert entry.title == "Treatment after a myeloma relapse"
    assert entry.link == f"{SITE}/articles/treatment-after-relapse/"
    assert entry.id == f"urn:uuid:{full_article.uuid}"
    assert entry.author_detail == {
        "name": "Dana Whitfield",
        "href": f"{SITE}/authors/dana-whitfield/",
    }
    assert [tag.term for tag in entry.tags] == ["Relapse", "Follow-up care"]
    assert entry.published_parsed[:6] == (2023, 5, 5, 14, 0, 0)
    assert entry.updated_parsed[:6] == (2024, 1, 9, 9, 0, 0)
    assert entry.summary == "Why the next treatment depends on the last one."
    [content] = entry.content
    assert content.type == "text/html"
    assert "Targeted drugs at relapse" in content.value
    [enclosure] = entry.enclosures
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0


def test_atom_updated_is_the_publish_time_without_a_substantive_update(
    client, make_article
):
    make_article(published_at=datetime(2023, 5, 5, 14, 0, tzinfo=UTC))
    [entry] = parse(client, "/feed/atom/").entries
    assert entry.updated_parsed[:6] == (2023, 5, 5, 14, 0, 0)


@pytest.mark.parametrize("url", FEEDS)
def test_ids_survive_a_new_title_slug_and_date(client, full_article, url):
    before = feed_ids(client, url)
    full_article.title = "Treatment choices after a myeloma relapse"
    full_article.slug = "treatment-choices-after-relapse"
    full_article.published_at -= timedelta(days=1)
    full_article.save()
    assert feed_ids(client, url) == before == [f"urn:uuid:{full_article.uuid}"]


def feed_ids(client, url):
    if url.endswith(".json"):
        return [item["id"] for item in json_feed(client, url)["items"]]
    return [entry.id for entry in parse(client, url).entries]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_hold_the_20_newest_live_articles_newest_first(client, make_article, url):
    now = timezone.now()
    made = [
        make_article(title=f"Article {n}", published_at=now - timedelta(hours=n))
        for n in range(22)
    ]
    make_article(title="A draft", status=Status.DRAFT, published_at=now)
    make_article(title="Scheduled", published_at=now + timedelta(hours=1))
    expected = [f"urn:uuid:{article.uuid}" for article in made[:20]]
    assert feed_ids(client, url) == expected


@pytest.mark.usefixtures("page_cache_off")
@pytest.mark.parametrize("url", FEEDS)
def test_feed_builds_with_a_fixed_number_of_queries(client, many_articles, url):
    many_articles(1)
    one = queries_to_get(client, url)
    many_articles(24)
    many = queries_to_get(client, url)
    assert len(feed_ids(client, url)) == 20
    # The freshness aggregate, the articles with their authors and images, then
    # one each for renditions, reviews with their reviewers, topics and tags.
    # The body and references come stored in the article's row.
    assert one == many == 6


def queries_to_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # Counted now: the next request resets the log the context reads from.
    return len(queries)


@pytest.mark.usefixtures("page_cache_off")
@pytest.mark.parametrize("kind", ["topics", "tags", "authors"])
def test_owner_feeds_build_with_a_fixed_number_of_queries(
    client, many_articles, kind, django_assert_num_queries
):
    articles = many_articles(21)
    owner = {
        "topics": articles[0].topics.first(),
        "tags": articles[0].tags.first(),
        "authors": articles[0].author,
    }[kind]
    for url in (f"/{kind}/{owner.slug}/feed/", f"/{kind}/{owner.slug}/feed.json"):
        # The owner, then the same six as the site's feeds.
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


@pytest.fixture
def many_articles(make_article, make_image, make_reference, topic, author):
    tag = Tag.objects.create(name="Follow-up care", slug="follow-up-care")

    def make(count):
        articles = []
        for _ in range(count):
            article = make_article(featured_image=make_image(), author=author)
            article.topics.add(topic)
            article.tags.add(tag)
            make_reference(article)
            article.medical_reviews.create(reviewer=author)
            articles.append(article)
        return articles

    return make


@pytest.mark.parametrize("kind", ["topic", "tag", "author"])
def test_owner_feeds_hold_only_their_own_articles(
    client, make_article, topic, author, kind
):
    mine = make_article(author=author)
    mine.topics.add(topic)
    mine.tags.create(name="Blood tests", slug="blood-tests")
    make_article()  # Another article, on nothing in particular.
    slug = {"topic": "relapse", "tag": "blood-tests", "author": "dana-whitfield"}[kind]
    prefix = {"topic": "topics", "tag": "tags", "author": "authors"}[kind]
    for suffix in ("feed/", "feed/atom/", "feed.json"):
        url = f"/{prefix}/{slug}/{suffix}"
        assert feed_ids(client, url) == [f"urn:uuid:{mine.uuid}"]
    feed = parse(client, f"/{prefix}/{slug}/feed/")
    assert feed.feed.link == f"{SITE}/{prefix}/{slug}/"
    assert {"rel": "self", "href": f"{SITE}/{prefix}/{slug}/feed/"} in [
        {"rel": link.rel, "href": link.href} for link in feed.feed.links
    ]


def test_topic_feed_is_named_and_described_after_its_topic(client, topic):
    topic.description = "What happens when cancer comes back."
    topic.save()
    feed = parse(client, "/topics/relapse/feed/atom/")
    assert feed.feed.title == "Relapse – Myeloma & Relapse Notes"
    assert feed.feed.subtitle == "What happens when cancer comes back."


@pytest.mark.parametrize("url", ["/topics/nope/feed/", "/tags/nope/feed.json"])
def test_unknown_owner_has_no_feed(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", FEEDS)
def test_drafts_never_appear(client, make_article, url):
    make_article(status=Status.DRAFT, published_at=timezone.now() - timedelta(days=3))
    assert Article.objects.count() == 1
    assert feed_ids(client, url) == []
