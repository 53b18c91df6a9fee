"""The three formats as readers parse them: JSON Feed against its schema, and
well-formed XML and JSON whatever text editors paste in."""

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.feeds.test_views import ATOM, FEEDS, SITE, json_feed, parse

XML_FEEDS = ["/feed/", "/feed/atom/"]
SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def _public_site(settings):
    # Not the test client's host: feeds must point readers at the public site.
    settings.SITE_URL = SITE


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
