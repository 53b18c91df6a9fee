"""What subscribers' feed readers get: every field, whole articles, valid feeds."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from articles.models import Article, Status, Tag

SITE = "https://blog.example.org"
SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
FEEDS = ["/feed/", "/feed/atom/", "/feed.json"]
XML_FEEDS = ["/feed/", "/feed/atom/"]
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture(autouse=True)
def _public_site(settings):
    # Not the test client's host: feeds must point readers at the public site.
    settings.SITE_URL = SITE


@pytest.fixture
def full_article(make_full_article):
    return make_full_article(
        slug="treatment-after-relapse",
        body=(
            "<h2>Choices</h2>"
            '<p>See <a href="https://themmrf.org/relapse/">the MMRF</a> and '
            '<a href="/topics/relapse/">our relapse topic</a>, '
            '<a href="living-with-myeloma/">a sister article</a> and '
            '<a href="#choices">the choices</a>.</p>'
        ),
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def json_feed(client, url="/feed.json"):
    return json.loads(client.get(url).content)


def item_contents(client):
    """The raw content HTML of every item in all three feeds, unresolved (feedparser
    would resolve relative addresses itself and hide them)."""
    rss = ET.fromstring(client.get("/feed/").content)
    atom = ET.fromstring(client.get("/feed/atom/").content)
    return (
        [item.find(CONTENT).text for item in rss.iter("item")]
        + [entry.find(f"{ATOM}content").text for entry in atom.iter(f"{ATOM}entry")]
        + [item["content_html"] for item in json_feed(client)["items"]]
    )


class AddressCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src", "cite", "poster"}:
                self.addresses.append(value)
            elif name == "srcset":
                self.addresses += [c.split()[0] for c in value.split(",")]


def addresses(content):
    collector = AddressCollector()
    collector.feed(content)
    return collector.addresses


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


def test_json_feed_validates_against_the_1_1_schema(client, full_article, author):
    Draft202012Validator.check_schema(SCHEMA)
    document = json_feed(client)
    Draft202012Validator(SCHEMA, format_checker=strict_formats()).validate(document)
    assert document["feed_url"] == f"{SITE}/feed.json"
    assert document["home_page_url"] == f"{SITE}/"
    [item] = document["items"]
    rendition = full_article.featured_image.whole_renditions("jpeg")[-1]
    assert item["id"] == f"urn:uuid:{full_article.uuid}"
    assert item["url"] == f"{SITE}/articles/treatment-after-relapse/"
    assert item["title"] == "Treatment after a myeloma relapse"
    assert item["summary"] == "Why the next treatment depends on the last one."
    assert item["date_published"] == "2023-05-05T14:00:00+00:00"
    assert item["date_modified"] == "2024-01-09T09:00:00+00:00"
    assert item["authors"] == [
        {"name": "Dana Whitfield", "url": f"{SITE}/authors/dana-whitfield/"}
    ]
    assert item["tags"] == ["Relapse", "Follow-up care"]
    assert item["image"] == f"{SITE}{rendition.url}"
    assert item["attachments"] == [
        {
            "url": f"{SITE}{rendition.url}",
            "mime_type": "image/jpeg",
            "size_in_bytes": rendition.file.size,
        }
    ]
    assert "Relapsed myeloma overview" in item["content_html"]


def strict_formats():
    """jsonschema checks "uri" and "date-time" only with optional packages; these
    two small checks stand in for them."""
    checker = FormatChecker(formats=())

    @checker.checks("uri")
    def is_absolute_url(value):
        parts = urlsplit(value)
        return parts.scheme in {"http", "https"} and bool(parts.netloc)

    @checker.checks("date-time", raises=ValueError)
    def is_rfc3339(value):
        return "T" in value and datetime.fromisoformat(value).tzinfo is not None

    return checker


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


def test_enclosure_length_is_the_served_file_size(client, full_article, settings):
    [entry] = parse(client, "/feed/").entries
    [enclosure] = entry.enclosures
    served = Path(settings.MEDIA_ROOT) / urlsplit(enclosure.href).path.removeprefix(
        settings.MEDIA_URL
    )
    assert int(enclosure.length) == served.stat().st_size


def test_image_without_renditions_encloses_the_original(
    client, make_article, make_image, settings
):
    image = make_image()
    image.renditions.all().delete()
    make_article(featured_image=image)
    [entry] = parse(client, "/feed/").entries
    [enclosure] = entry.enclosures
    assert enclosure.href == f"{SITE}{image.file.url}"
    assert enclosure.type == "image/jpeg"
    original = Path(settings.MEDIA_ROOT) / image.file.name
    assert int(enclosure.length) == original.stat().st_size


def test_no_relative_address_in_any_item_content(client, full_article):
    contents = item_contents(client)
    assert len(contents) == 3
    for content in contents:
        found = addresses(content)
        assert len(found) >= 8
        for address in found:
            parts = urlsplit(address)
            assert parts.scheme in {"http", "https", "mailto"}, address
            assert parts.netloc or parts.scheme == "mailto", address
        page = f"{SITE}/articles/treatment-after-relapse/"
        assert f"{page}#ref-2" in found
        assert f"{page}#choices" in found
        assert f"{page}living-with-myeloma/" in found
        assert f"{SITE}/topics/relapse/" in found


def test_citations_link_to_the_references_on_the_article_page(client, full_article):
    [entry] = parse(client, "/feed/atom/").entries
    content = entry.content[0].value
    assert f'href="{SITE}/articles/treatment-after-relapse/#ref-2"' in content
    # Ids would repeat when a reader shows several items on one page.
    assert 'id="' not in content


NASTY = 'Dose < 5 & "rising" ]]> it\'s <b>bold</b>\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff'
CLEAN = 'Dose < 5 & "rising" ]]> it\'s <b>bold</b>'


@pytest.mark.parametrize("url", XML_FEEDS)
def test_awkward_text_still_gives_well_formed_xml(client, make_article, author, url):
    author.name = f"Dana\x07 Whitfield{chr(0xFFFE)}"
    author.save()
    article = make_article(
        title=NASTY,
        summary=NASTY,
        body=f"<p>{NASTY.replace('<b>', '').replace('</b>', '')}</p>",
        author=author,
    )
    article.tags.create(name="Odd\x1f tag ]]>", slug="odd")
    response = client.get(url)
    ET.fromstring(response.content)  # Raises on anything not well-formed.
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    [entry] = feed.entries
    assert entry.title == CLEAN
    assert entry.author == "Dana Whitfield"
    assert [tag.term for tag in entry.tags] == ["Odd tag ]]>"]
    assert "Dose &lt; 5 &amp;" in entry.content[0].value


@pytest.mark.parametrize("url", FEEDS)
def test_readers_show_a_title_with_an_apostrophe_and_ampersand_as_written(
    client, make_article, url
):
    make_article(title="What's next & why")
    if url.endswith(".json"):
        [item] = json_feed(client, url)["items"]
        assert item["title"] == "What's next & why"
        return
    [entry] = parse(client, url).entries
    assert entry.title == "What's next & why"
    # In the XML itself the title is escaped once: "&amp;", not "&amp;amp;".
    document = ET.fromstring(client.get(url).content)
    path = f"{ATOM}entry/{ATOM}title" if "atom" in url else "channel/item/title"
    assert document.find(path).text == "What's next & why"


def test_awkward_text_still_gives_valid_json(client, make_article):
    make_article(title=NASTY, summary=NASTY)
    document = json_feed(client)
    Draft202012Validator(SCHEMA, format_checker=strict_formats()).validate(document)
    assert document["items"][0]["title"] == CLEAN
    assert document["items"][0]["summary"] == CLEAN


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


@pytest.mark.parametrize("url", FEEDS)
def test_feed_builds_with_a_fixed_number_of_queries(client, many_articles, url):
    many_articles(1)
    one = queries_to_get(client, url)
    many_articles(24)
    many = queries_to_get(client, url)
    assert len(feed_ids(client, url)) == 20
    # The freshness aggregate, the articles with their authors and images, then
    # one each for renditions, reviews with their reviewers, topics, tags,
    # references and change notes (Article.objects.for_page(), as the page).
    assert one == many == 8


def queries_to_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # Counted now: the next request resets the log the context reads from.
    return len(queries)


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
        # The owner, then the same eight as the site's feeds.
        with django_assert_num_queries(9):
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
