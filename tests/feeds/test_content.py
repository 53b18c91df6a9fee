"""What a feed item carries: the medical review line as subscribers' readers show
it, the featured image as a file they can fetch, and only absolute addresses."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from articles.models import Author, MedicalReview, Status
from tests.feeds.test_views import ATOM, json_feed, parse

SITE = "https://blog.example.org"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
LINE = (
    "Medically reviewed by Dr Priya Shah, MD, haematologist, on 1 March 2025. "
    "Next review due 1 March 2026."
)


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def clinician(db):
    return Author.objects.create(
        name="Dr Priya Shah", slug="priya-shah", credentials="MD, haematologist"
    )


def review(article, reviewer, reviewed_on, next_review_on):
    return MedicalReview.objects.create(
        article=article,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
    )


def item_content(client, url):
    """The one item's content HTML as a feed reader gets it: through feedparser
    for RSS and Atom, which feedparser 6 reads; JSON Feed as JSON."""
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        [item] = json.loads(response.content)["items"]
        return item["content_html"]
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    [entry] = feed.entries
    [content] = entry.content
    return content.value


def text(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/feed.json"])
def test_items_carry_the_latest_review_line(client, make_article, clinician, url):
    article = make_article()
    review(article, clinician, date(2024, 1, 10), date(2025, 1, 10))
    review(article, clinician, date(2025, 3, 1), date(2026, 3, 1))
    content = item_content(client, url)
    assert LINE in text(content)
    assert "January 10, 2024" not in text(content)
    assert f'href="{SITE}/authors/priya-shah/"' in content


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/feed.json"])
def test_the_line_reads_as_on_the_article_page(client, make_article, clinician, url):
    article = make_article()
    review(article, clinician, date(2025, 3, 1), date(2026, 3, 1))
    page = client.get(article.get_absolute_url()).content.decode()
    [page_line] = re.findall(r'<p class="review-line".*?</p>', page, re.DOTALL)
    assert text(page_line) == LINE
    assert LINE in text(item_content(client, url))


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/feed.json"])
def test_no_line_for_an_article_without_a_review(client, make_article, url):
    make_article(is_medical=True)
    make_article(is_medical=False, status=Status.PUBLISHED)
    response = client.get(url).content.decode()
    assert "reviewed" not in response
    assert "Medical review" not in response


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
