"""Browsing (topic, tag, author and archive pages) and the trust block on articles."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Author, Status, Tag, Topic

# Every test here runs at this moment, so "scheduled" and month boundaries are exact.
NOW = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def tag(db):
    return Tag.objects.create(name="Blood tests", slug="blood-tests")


@pytest.fixture
def other_author(db):
    return Author.objects.create(name="Sam Okafor", slug="sam-okafor")


def hidden_states():
    """The two ways an article can exist without being live."""
    return pytest.mark.parametrize(
        "state",
        [
            {"status": Status.DRAFT, "published_at": NOW - timedelta(days=3)},
            {"published_at": NOW + timedelta(days=1)},
        ],
        ids=["draft", "scheduled"],
    )


class _Breadcrumbs(HTMLParser):
    """Reads the breadcrumb trail as (text, href, is_current) triples."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.items = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Breadcrumb":
            self.inside = True
        elif self.inside and tag == "li":
            self.items.append(["", None, attrs.get("aria-current") == "page"])
        elif self.inside and tag == "a":
            self.items[-1][1] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.items:
            self.items[-1][0] += data.strip()


def breadcrumbs(html):
    parser = _Breadcrumbs()
    parser.feed(html)
    return [tuple(item) for item in parser.items]


def pagination_links(html):
    nav = re.search(
        r'<nav class="pagination" aria-label="Pagination">.*?</nav>', html, re.S
    )
    assert nav, "no pagination nav"
    return dict(re.findall(r'<a rel="(prev|next)" href="([^"]*)"', nav.group()))


def get_html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# Tag pages


def test_tag_page_lists_its_live_articles(client, make_article, tag):
    inside = make_article(title="Reading your blood results")
    inside.tags.add(tag)
    make_article(title="Untagged piece")
    html = get_html(client, reverse("articles:tag", kwargs={"slug": tag.slug}))
    assert "<h1>Blood tests</h1>" in html
    assert "Reading your blood results" in html
    assert "Untagged piece" not in html


def test_unknown_tag_or_author_is_not_found(client, db):
    assert client.get("/tags/nothing/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


# Author pages


def test_author_page_shows_who_they_are_and_only_their_live_articles(
    client, make_article, author, other_author
):
    author.bio = "Dana has nursed people with myeloma for twelve years."
    author.save()
    make_article(title="Dana on fatigue", author=author)
    make_article(title="Sam on appointments", author=other_author)
    make_article(title="Dana draft", author=author, status=Status.DRAFT)
    make_article(title="Dana upcoming", author=author, published_at=NOW + timedelta(1))
    html = get_html(client, reverse("articles:author", kwargs={"slug": author.slug}))
    assert "<h1>Dana Whitfield</h1>" in html
    assert '<p class="credentials">RN, oncology nurse</p>' in html
    assert "Dana has nursed people with myeloma for twelve years." in html
    assert "Dana on fatigue" in html
    for absent in ["Sam on appointments", "Dana draft", "Dana upcoming"]:
        assert absent not in html
    assert "no published articles yet" not in html


def test_author_without_live_articles_still_has_a_page(client, make_article, author):
    make_article(author=author, status=Status.DRAFT, title="Not yet")
    html = get_html(client, reverse("articles:author", kwargs={"slug": author.slug}))
    assert "<h1>Dana Whitfield</h1>" in html
    assert "Dana Whitfield has no published articles yet." in html
    assert "Not yet" not in html


# Topic index


def test_topic_index_lists_topics_with_live_article_counts(client, make_article, topic):
    empty = Topic.objects.create(name="Clinical trials", slug="clinical-trials")
    for _ in range(2):
        make_article().topics.add(topic)
    make_article(status=Status.DRAFT).topics.add(topic, empty)
    make_article(published_at=NOW + timedelta(days=2)).topics.add(topic, empty)
    html = get_html(client, reverse("articles:topics"))
    assert "<h1>Topics</h1>" in html
    assert '<a href="/topics/relapse/">Relapse</a>' in html
    assert "(2 articles)" in html
    # Only drafts and scheduled articles: readers would find an empty page.
    assert "Clinical trials" not in html


# Archive


def test_archive_lists_months_with_live_articles_newest_first(client, make_article):
    make_article(published_at=datetime(2024, 1, 10, tzinfo=UTC))
    make_article(published_at=datetime(2024, 3, 1, tzinfo=UTC))
    make_article(published_at=datetime(2024, 3, 14, tzinfo=UTC))
    make_article(published_at=datetime(2023, 11, 20, tzinfo=UTC))
    make_article(published_at=datetime(2024, 2, 5, tzinfo=UTC), status=Status.DRAFT)
    make_article(published_at=datetime(2024, 4, 2, tzinfo=UTC))  # scheduled
    html = get_html(client, reverse("articles:archive"))
    months = re.findall(
        r'<a href="(/archive/\d{4}/\d{2}/)">([A-Za-z]+ \d{4})</a> '
        r'<span class="count">\((\d+) articles?\)</span>',
        html,
    )
    assert months == [
        ("/archive/2024/03/", "March 2024", "2"),
        ("/archive/2024/01/", "January 2024", "1"),
        ("/archive/2023/11/", "November 2023", "1"),
    ]


def test_archive_month_lists_only_that_months_live_articles(client, make_article):
    make_article(title="Early March", published_at=datetime(2024, 3, 1, tzinfo=UTC))
    make_article(title="Mid March", published_at=datetime(2024, 3, 14, tzinfo=UTC))
    make_article(title="February", published_at=datetime(2024, 2, 28, tzinfo=UTC))
    make_article(
        title="March draft",
        published_at=datetime(2024, 3, 2, tzinfo=UTC),
        status=Status.DRAFT,
    )
    make_article(title="Later in March", published_at=NOW + timedelta(days=3))
    html = get_html(client, "/archive/2024/03/")
    assert "<h1>March 2024</h1>" in html
    assert html.index("Mid March") < html.index("Early March")
    for absent in ["February</a>", "March draft", "Later in March"]:
        assert absent not in html
    # The month links skip to the nearest month with something live.
    assert '<a href="/archive/2024/02/">← February 2024</a>' in html
    assert "April 2024" not in html


def test_month_with_only_unpublished_articles_is_not_found(client, make_article):
    make_article(published_at=datetime(2024, 3, 1, tzinfo=UTC))
    make_article(published_at=datetime(2024, 4, 2, tzinfo=UTC))  # scheduled
    make_article(published_at=datetime(2024, 1, 2, tzinfo=UTC), status=Status.DRAFT)
    assert client.get("/archive/2024/04/").status_code == 404
    assert client.get("/archive/2024/01/").status_code == 404
    assert client.get("/archive/2024/02/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/archive/2024/13/", "/archive/2024/0/", "/archive/9999/12/", "/archive/1/1/"],
)
def test_impossible_months_are_not_found(client, make_article, url):
    make_article(published_at=datetime(2024, 3, 1, tzinfo=UTC))
    assert client.get(url).status_code == 404


def test_archive_months_follow_site_time(client, settings, make_article):
    settings.TIME_ZONE = "Asia/Tokyo"
    # 05:00 on March 1 in Tokyo.
    make_article(title="Month end", published_at=datetime(2024, 2, 29, 20, tzinfo=UTC))
    html = get_html(client, reverse("articles:archive"))
    assert '<a href="/archive/2024/03/">March 2024</a>' in html
    assert "February 2024" not in html
    assert "Month end" in get_html(client, "/archive/2024/03/")
    assert client.get("/archive/2024/02/").status_code == 404


# Nothing unpublished anywhere


@hidden_states()
def test_unpublished_articles_appear_on_no_browsing_page(
    client, make_article, topic, tag, author, state
):
    live = make_article(author=author, published_at=datetime(2024, 3, 1, tzinfo=UTC))
    live.topics.add(topic)
    live.tags.add(tag)
    hidden = make_article(title="Secret upcoming piece", author=author, **state)
    hidden.topics.add(topic)
    hidden.tags.add(tag)
    for url in [
        reverse("articles:topics"),
        topic.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:author", kwargs={"slug": author.slug}),
        reverse("articles:archive"),
        "/archive/2024/03/",
    ]:
        html = get_html(client, url)
        assert "Secret upcoming piece" not in html, url
        assert "2 articles" not in html, url


# Breadcrumbs and navigation


def test_article_breadcrumbs_lead_home_through_its_first_topic(
    client, make_article, topic
):
    article = make_article(title="Treatment after relapse")
    article.topics.add(topic)
    html = get_html(client, article.get_absolute_url())
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert breadcrumbs(html) == [
        ("Home", "/", False),
        ("Relapse", "/topics/relapse/", False),
        ("Treatment after relapse", None, True),
    ]
    assert html.index('aria-label="Breadcrumb"') < html.index(
        '<article class="article"'
    )


def test_article_without_topic_breadcrumbs_go_straight_home(client, make_article):
    article = make_article(title="A general piece")
    assert breadcrumbs(get_html(client, article.get_absolute_url())) == [
        ("Home", "/", False),
        ("A general piece", None, True),
    ]


def test_list_page_breadcrumbs(client, make_article, topic, tag, author):
    make_article(published_at=datetime(2024, 3, 1, tzinfo=UTC))
    home = ("Home", "/", False)
    expected = {
        topic.get_absolute_url(): [
            home,
            ("Topics", "/topics/", False),
            ("Relapse", None, True),
        ],
        reverse("articles:tag", kwargs={"slug": tag.slug}): [
            home,
            ("Tags", None, False),
            ("Blood tests", None, True),
        ],
        reverse("articles:author", kwargs={"slug": author.slug}): [
            home,
            ("Authors", None, False),
            ("Dana Whitfield", None, True),
        ],
        "/archive/2024/03/": [
            home,
            ("Archive", "/archive/", False),
            ("March 2024", None, True),
        ],
        reverse("articles:archive"): [home, ("Archive", None, True)],
        reverse("articles:topics"): [home, ("Topics", None, True)],
    }
    for url, trail in expected.items():
        assert breadcrumbs(get_html(client, url)) == trail, url


def test_header_links_to_topics_and_archive(client, db):
    html = get_html(client, reverse("articles:archive"))
    nav = re.search(r'<nav class="site-nav" aria-label="Main">.*?</nav>', html, re.S)
    assert nav
    assert '<a href="/topics/">Topics</a>' in nav.group()
    assert '<a href="/archive/" aria-current="page">Archive</a>' in nav.group()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html


# Pagination


def test_tag_pages_have_newer_and_older_links(client, make_article, tag):
    for _ in range(25):
        make_article().tags.add(tag)
    url = reverse("articles:tag", kwargs={"slug": tag.slug})
    assert pagination_links(get_html(client, url)) == {"next": f"{url}?page=2"}
    second = get_html(client, url, page=2)
    assert pagination_links(second) == {"prev": url, "next": f"{url}?page=3"}
    assert "← Newer articles" in second and "Older articles →" in second
    # Long lists are not counted: no "of 3".
    assert "<span>Page 2</span>" in second
    assert pagination_links(get_html(client, url, page=3)) == {"prev": f"{url}?page=2"}


def test_pagination_keeps_other_query_parameters(client, make_article, author):
    for _ in range(21):
        make_article(author=author)
    url = reverse("articles:author", kwargs={"slug": author.slug})
    html = get_html(client, f"{url}?ref=newsletter&page=2")
    assert pagination_links(html) == {
        "prev": f"{url}?ref=newsletter",
        "next": f"{url}?ref=newsletter&amp;page=3",
    }


def test_archive_month_pages_ten_at_a_time(client, make_article):
    for day in range(1, 13):
        make_article(published_at=datetime(2024, 3, day, tzinfo=UTC))
    html = get_html(client, "/archive/2024/03/", page=2)
    assert pagination_links(html) == {"prev": "/archive/2024/03/"}
    assert html.count('<article class="card">') == 2


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0"])
def test_bad_page_numbers_are_not_found(client, make_article, tag, author, page):
    make_article(author=author, published_at=datetime(2024, 3, 1, tzinfo=UTC)).tags.add(
        tag
    )
    for url in [
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:author", kwargs={"slug": author.slug}),
        "/archive/2024/03/",
    ]:
        assert client.get(url, {"page": page}).status_code == 404, url


# Trust block


def test_article_shows_author_dates_sources_and_review_place(
    client, make_article, make_reference, author
):
    article = make_article(
        author=author,
        published_at=datetime(2023, 5, 5, 14, 0, tzinfo=UTC),
        updated_at=datetime(2024, 1, 9, 9, 0, tzinfo=UTC),
    )
    make_reference(article)
    make_reference(article)
    html = get_html(client, article.get_absolute_url())
    assert (
        'By <a class="author" rel="author" href="/authors/dana-whitfield/">'
        "Dana Whitfield</a>, "
        '<span class="credentials">RN, oncology nurse</span>'
    ) in html
    assert (
        'Posted on <time datetime="2023-05-05T14:00:00+00:00">5 May 2023</time>' in html
    )
    assert (
        'Updated <time datetime="2024-01-09T09:00:00+00:00">9 January 2024</time>'
        in html
    )
    assert '<a class="source-count" href="#references-heading">2 sources</a>' in html
    assert 'id="references-heading"' in html
    review = re.search(r"<p class=\"review-line\" data-review-line>(.*?)</p>", html)
    assert review and review.group(1).strip()


def test_source_count_is_singular_or_absent(client, make_article, make_reference):
    one = make_article()
    make_reference(one)
    assert ">1 source</a>" in get_html(client, one.get_absolute_url())
    none = make_article()
    html = get_html(client, none.get_absolute_url())
    assert "source-count" not in html
    assert "data-review-line" in html


def test_author_link_on_article_reaches_the_author_page(client, make_article, author):
    article = make_article(author=author, title="Fatigue after treatment")
    html = get_html(client, article.get_absolute_url())
    href = re.search(r'<a class="author" rel="author" href="([^"]+)"', html).group(1)
    assert "Fatigue after treatment" in get_html(client, href)


# Query counts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("page_cache_off")
def test_browsing_pages_query_count_is_fixed(
    client,
    django_assert_max_num_queries,
    make_article,
    make_image,
    make_reference,
    topic,
    tag,
    author,
):
    def add_articles(count):
        for day in range(1, count + 1):
            article = make_article(
                author=author,
                featured_image=make_image(),
                published_at=datetime(2024, 3, day, tzinfo=UTC),
            )
            article.topics.add(topic)
            article.tags.add(tag)
            make_reference(article)

    # Lists of articles include one query for all their images' renditions;
    # every page has one for the site pages its footer links.
    urls = {
        topic.get_absolute_url(): 5,
        reverse("articles:tag", kwargs={"slug": tag.slug}): 5,
        reverse("articles:author", kwargs={"slug": author.slug}): 5,
        reverse("articles:topics"): 2,
        reverse("articles:archive"): 2,
        "/archive/2024/03/": 8,
    }
    add_articles(1)
    with_one = {url: count_queries(client, url) for url in urls}
    add_articles(9)
    for url, most in urls.items():
        with django_assert_max_num_queries(most):
            client.get(url)
        assert count_queries(client, url) == with_one[url], url
