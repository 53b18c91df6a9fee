"""Finding the feeds: autodiscovery links in every page, and a visible Subscribe."""

import re

import pytest

SITE = "https://blog.example.org"
SITE_FEEDS = [
    ("application/rss+xml", f"{SITE}/feed/"),
    ("application/atom+xml", f"{SITE}/feed/atom/"),
    ("application/feed+json", f"{SITE}/feed.json"),
]


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = SITE


def alternates(html):
    return [
        (re.search(r'type="([^"]+)"', tag)[1], re.search(r'href="([^"]+)"', tag)[1])
        for tag in re.findall(r'<link rel="alternate"[^>]*>', html)
    ]


def subscribe_links(html):
    return re.findall(
        r'<p class="subscribe"><a href="([^"]+)"[^>]*>([^<]+)</a>'
        r' in a feed reader: <code class="feed-address">([^<]+)</code></p>',
        html,
    )


def test_every_reader_page_announces_the_site_feeds(client, reader_pages):
    for name, path in reader_pages.items():
        html = client.get(path).content.decode()
        assert alternates(html)[-3:] == SITE_FEEDS, name
        assert (
            f"{SITE}/feed/",
            "Subscribe to all articles",
            f"{SITE}/feed/",
        ) in subscribe_links(html), name


@pytest.mark.parametrize(
    "kind, prefix, label",
    [
        ("topic", "/topics/", "Subscribe to this topic"),
        ("tag", "/tags/", "Subscribe to this tag"),
        ("author", "/authors/", "Subscribe to this author"),
    ],
)
def test_topic_tag_and_author_pages_offer_their_own_feeds(
    client, reader_pages, kind, prefix, label
):
    path = reader_pages[kind]
    assert path.startswith(prefix)
    html = client.get(path).content.decode()
    own = f"{SITE}{path}"
    assert alternates(html) == [
        ("application/rss+xml", f"{own}feed/"),
        ("application/atom+xml", f"{own}feed/atom/"),
        ("application/feed+json", f"{own}feed.json"),
        *SITE_FEEDS,
    ]
    assert subscribe_links(html)[0] == (f"{own}feed/", label, f"{own}feed/")


def test_announced_feeds_answer(client, reader_pages, settings):
    html = client.get(reader_pages["topic"]).content.decode()
    for content_type, url in alternates(html):
        response = client.get(url.removeprefix(SITE))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
