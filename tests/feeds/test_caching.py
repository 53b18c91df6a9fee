"""Feeds over HTTP: content types, 304s for unchanged polls, caching, scheduling."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.utils.http import http_date

from articles.models import Status
from articles.workflow import record_review
from tests.conftest import T0

DUE = T0 + timedelta(hours=1)
FEEDS = ["/feed/", "/feed/atom/", "/feed.json"]


@pytest.fixture
def live(make_article, clock, topic):
    article = make_article(published_at=T0 - timedelta(days=1))
    article.topics.add(topic)
    return article


def ids(response):
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/feed+json"):
        return [item["id"] for item in json.loads(response.content)["items"]]
    return [entry.id for entry in feedparser.parse(response.content).entries]


def urn(article):
    return f"urn:uuid:{article.uuid}"


def if_none_match(response):
    return {"if-none-match": response["ETag"]}


def if_modified_since(response):
    return {"if-modified-since": response["Last-Modified"]}


def max_age(response):
    directives = dict(
        part.strip().partition("=")[::2]
        for part in response["Cache-Control"].split(",")
    )
    assert "public" in directives
    return int(directives["max-age"])


@pytest.mark.parametrize(
    "url, content_type",
    [
        ("/feed/", "application/rss+xml; charset=utf-8"),
        ("/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/topics/relapse/feed/", "application/rss+xml; charset=utf-8"),
        ("/topics/relapse/feed/atom/", "application/atom+xml; charset=utf-8"),
        ("/topics/relapse/feed.json", "application/feed+json; charset=utf-8"),
    ],
)
def test_feeds_have_their_content_type_and_validators(client, live, url, content_type):
    response = client.get(url)
    assert response["Content-Type"] == content_type
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == http_date(T0.timestamp())
    assert max_age(response) == 300


@pytest.mark.parametrize("url", ["/feed/", "/feed.json"])
def test_empty_site_feed_still_has_validators(client, db, url):
    response = client.get(url)
    assert ids(response) == []
    assert response["ETag"]
    assert response["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert client.get(url, headers=if_none_match(response)).status_code == 304


@pytest.mark.parametrize("url", FEEDS)
def test_matching_etag_gets_304_with_no_body(client, live, clock, url):
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=5))
    again = client.get(url, headers=if_none_match(first))
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert max_age(again) == 300


@pytest.mark.parametrize("url", FEEDS)
def test_unchanged_last_modified_gets_304(client, live, clock, url):
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=5))
    again = client.get(url, headers=if_modified_since(first))
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.usefixtures("page_cache_off")
def test_304_is_answered_without_building_the_feed(
    client, live, django_assert_num_queries
):
    first = client.get("/topics/relapse/feed/")
    # The topic, then the one aggregate: no articles, no prefetches.
    with django_assert_num_queries(2):
        response = client.get("/topics/relapse/feed/", headers=if_none_match(first))
    assert response.status_code == 304


def test_each_format_has_its_own_etag(client, live):
    etags = {client.get(url)["ETag"] for url in FEEDS}
    etags |= {client.get(f"/topics/relapse{url}")["ETag"] for url in FEEDS}
    assert len(etags) == 6


@pytest.mark.parametrize("url", FEEDS)
def test_publishing_an_article_ends_the_304(client, live, make_article, clock, url):
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    new = make_article(published_at=T0 + timedelta(minutes=10))
    for validator in (if_none_match, if_modified_since):
        response = client.get(url, headers=validator(first))
        assert ids(response) == [urn(new), urn(live)]
        # And the new state is itself cached.
        assert client.get(url, headers=validator(response)).status_code == 304


@pytest.mark.parametrize("url", FEEDS)
def test_fixing_a_title_ends_the_304(client, live, clock, url):
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    live.title = "Living with myeloma, corrected"
    live.save()
    for validator in (if_none_match, if_modified_since):
        response = client.get(url, headers=validator(first))
        assert ids(response) == [urn(live)]


@pytest.mark.parametrize("url", FEEDS)
def test_unpublishing_ends_the_304(client, live, clock, url):
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    live.status = Status.UNPUBLISHED
    live.save()
    for validator in (if_none_match, if_modified_since):
        assert ids(client.get(url, headers=validator(first))) == []


@pytest.mark.parametrize("rename", ["topic", "tag", "author", "image"])
def test_renaming_what_a_feed_shows_ends_the_304(
    client, live, topic, author, make_image, clock, rename
):
    live.tags.create(name="Follow-up care", slug="follow-up-care")
    live.author = author
    live.featured_image = make_image()
    live.save()
    url = "/topics/relapse/feed/"
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    if rename == "topic":
        topic.name = "Relapse and recurrence"
        topic.save()
    elif rename == "tag":
        tag = live.tags.get()
        tag.name = "Follow-up visits"
        tag.save()
    elif rename == "author":
        author.credentials = "RN, clinical nurse specialist"
        author.save()
    else:
        live.featured_image.credit = "Depositphotos / another photographer"
        live.featured_image.save()
    for validator in (if_none_match, if_modified_since):
        assert client.get(url, headers=validator(first)).status_code == 200


@pytest.mark.parametrize("url", FEEDS)
def test_recording_a_review_ends_the_304(client, live, make_user, clock, url):
    reviewer = make_user("Medical reviewers", credentials="MD, haematologist")
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    # A re-review of a live article saves nothing of the article itself.
    record_review(live, reviewer)
    for validator in (if_none_match, if_modified_since):
        response = client.get(url, headers=validator(first))
        assert response.status_code == 200
        assert b"Medically reviewed by" in response.content


def test_leaving_a_topic_ends_the_topics_304(client, live, topic, clock):
    url = "/topics/relapse/feed/"
    first = client.get(url)
    clock.move_to(T0 + timedelta(minutes=10))
    # As the admin saves it: the article, then its topics.
    live.save()
    live.topics.remove(topic)
    assert ids(client.get(url, headers=if_modified_since(first))) == []


@pytest.mark.parametrize("url", [*FEEDS, "/topics/relapse/feed/"])
def test_scheduled_article_appears_at_its_time_not_a_second_before(
    client, live, make_article, topic, clock, url
):
    scheduled = make_article(published_at=DUE)
    scheduled.topics.add(topic)
    make_article(status=Status.DRAFT, published_at=DUE - timedelta(hours=2))

    clock.move_to(DUE - timedelta(seconds=1))
    before = client.get(url)
    assert ids(before) == [urn(live)]

    # No write happens at publish time; the validators must still change.
    clock.move_to(DUE)
    assert ids(client.get(url)) == [urn(scheduled), urn(live)]
    assert ids(client.get(url, headers=if_none_match(before))) == [
        urn(scheduled),
        urn(live),
    ]
    assert ids(client.get(url, headers=if_modified_since(before))) == [
        urn(scheduled),
        urn(live),
    ]


def test_max_age_never_reaches_past_the_next_publish(client, live, make_article, clock):
    make_article(published_at=T0 + timedelta(seconds=90))
    assert max_age(client.get("/feed/")) == 90
    clock.move_to(T0 + timedelta(seconds=89, milliseconds=500))
    assert max_age(client.get("/feed/")) == 0
    clock.move_to(T0 + timedelta(seconds=90))
    assert max_age(client.get("/feed/")) == 300


def test_max_age_of_a_topic_feed_follows_its_own_schedule(
    client, live, make_article, clock
):
    make_article(published_at=T0 + timedelta(seconds=90))  # In no topic.
    make_article(status=Status.DRAFT, published_at=T0 + timedelta(seconds=30))
    assert max_age(client.get("/topics/relapse/feed/")) == 300
    assert max_age(client.get("/feed/")) == 90
