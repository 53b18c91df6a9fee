"""An expiry time (expire_at) takes an article off every page, feed and the
sitemap by itself, at that second and not one before."""

from datetime import timedelta

import pytest

from articles.models import Status
from tests.conftest import T0
from tests.feeds.test_caching import ids, if_modified_since, if_none_match, max_age, urn

EXPIRES = T0 + timedelta(hours=1)
FEEDS = ["/feed/", "/feed/atom/", "/feed.json"]
TOPIC_FEEDS = [
    f"/topics/relapse/{feed}" for feed in ("feed/", "feed/atom/", "feed.json")
]


@pytest.fixture
def expiring(make_article, clock, topic):
    make_article(title="Stays", published_at=T0 - timedelta(days=2)).topics.add(topic)
    article = make_article(
        title="Leaves at its time",
        published_at=T0 - timedelta(days=1),
        expire_at=EXPIRES,
    )
    article.topics.add(topic)
    return article


def pages(client, article):
    """Where readers could meet the article, and whether they do."""
    seen = {
        "home": article.title in client.get("/").content.decode(),
        "topic": article.title in client.get("/topics/relapse/").content.decode(),
        "sitemap": article.slug in client.get("/sitemap-articles.xml").content.decode(),
    }
    for feed in FEEDS + TOPIC_FEEDS:
        seen[feed] = urn(article) in ids(client.get(feed))
    return seen


def test_an_article_leaves_every_page_at_its_expiry_time(client, expiring, clock):
    clock.move_to(EXPIRES - timedelta(seconds=1), tick=False)
    assert client.get(expiring.get_absolute_url()).status_code == 200
    assert all(pages(client, expiring).values())

    clock.move_to(EXPIRES, tick=False)
    assert client.get(expiring.get_absolute_url()).status_code == 404
    assert not any(pages(client, expiring).values())
    assert expiring.is_expired()


@pytest.mark.parametrize("url", FEEDS + TOPIC_FEEDS)
@pytest.mark.parametrize("validator", [if_none_match, if_modified_since])
def test_a_feed_poll_after_the_expiry_time_gets_the_new_feed(
    client, expiring, clock, url, validator
):
    clock.move_to(EXPIRES - timedelta(seconds=1), tick=False)
    before = client.get(url)
    assert urn(expiring) in ids(before)
    assert client.get(url, headers=validator(before)).status_code == 304

    clock.move_to(EXPIRES, tick=False)
    after = client.get(url, headers=validator(before))
    assert after.status_code == 200
    assert urn(expiring) not in ids(after)


@pytest.mark.parametrize("url", FEEDS)
def test_max_age_never_reaches_past_the_next_expiry_time(client, expiring, clock, url):
    assert max_age(client.get(url)) == 300
    clock.move_to(EXPIRES - timedelta(seconds=90), tick=False)
    assert max_age(client.get(url)) == 90


def test_the_sitemap_drops_an_expired_article(client, expiring, clock):
    clock.move_to(EXPIRES + timedelta(days=1), tick=False)
    assert expiring.slug not in client.get("/sitemap-articles.xml").content.decode()
    assert expiring.status == Status.PUBLISHED
