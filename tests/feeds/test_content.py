"""The medical review line in feed items, as subscribers' readers show it."""

import json
import re
from datetime import date
from html import unescape

import feedparser
import pytest

from articles.models import Author, MedicalReview, Status

SITE = "https://blog.example.org"
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
