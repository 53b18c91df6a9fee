"""Search, as readers and editors use it: on SQLite and on PostgreSQL alike.

What only PostgreSQL does (triggers, stemming, the GIN index) is tested in
test_search_postgres.py.
"""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from articles.search import MalformedQuery, clean_query, search
from articles.search.text import START, STOP, marked_headline, plain_text

SEARCH_URL = "/search/"


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def found(client, query, **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [article.title for article in response.context["page_obj"]]


def test_search_url():
    assert reverse("articles:search") == SEARCH_URL


def test_title_match_outranks_a_newer_body_match(client, make_article):
    make_article(title="Treatment choices", body="<p>After a relapse, ask.</p>")
    make_article(title="What relapse means", published_at=days_ago(300))
    assert titles(found(client, "relapse")) == [
        "What relapse means",
        "Treatment choices",
    ]


def test_equal_matches_are_newest_first(client, make_article):
    for days, title in [(30, "Older"), (3, "Newest"), (10, "Middle")]:
        make_article(
            title=title,
            body="<p>Fatigue after treatment.</p>",
            published_at=days_ago(days),
        )
    assert titles(found(client, "fatigue")) == ["Newest", "Middle", "Older"]


def test_quoted_phrase_matches_only_the_phrase(client, make_article):
    make_article(title="Transplants", body="<p>A stem cell transplant takes weeks.</p>")
    make_article(
        title="Scattered",
        body="<p>The cell count fell; the stem of the transplant debate.</p>",
    )
    assert titles(found(client, '"stem cell transplant"')) == ["Transplants"]


def test_minus_excludes_a_word(client, make_article):
    make_article(title="Myeloma basics")
    make_article(title="Myeloma and lymphoma compared")
    assert titles(found(client, "myeloma -lymphoma")) == ["Myeloma basics"]


def test_or_finds_either_word(client, make_article):
    make_article(title="About lymphoma", published_at=days_ago(2))
    make_article(title="About leukaemia", published_at=days_ago(3))
    make_article(
        title="About myeloma", summary="Plasma cells.", published_at=days_ago(1)
    )
    assert titles(found(client, "lymphoma or leukaemia")) == [
        "About lymphoma",
        "About leukaemia",
    ]


def test_results_show_title_date_and_highlighted_snippet(client, make_article):
    article = make_article(
        title="Coming back",
        body="<p>Most people feel tired. After a relapse the team looks again.</p>",
        published_at=datetime(2024, 3, 5, 12, tzinfo=UTC),
    )
    html = found(client, "relapse").content.decode()
    assert f'<a href="{article.get_absolute_url()}">Coming back</a>' in html
    assert '<time datetime="2024-03-05T12:00:00+00:00">5 March 2024</time>' in html
    assert "<mark>relapse</mark>" in html
    assert "1 article found." in html


def test_snippet_cannot_carry_markup_from_the_article(client, make_article):
    make_article(
        title="Safe snippets",
        summary="Read <b>this</b> about relapse",
        body="<p>&lt;img src=x onerror=alert(1)&gt; relapse &amp; recovery \ue001 \ue000</p>",
    )
    snippet = found(client, "relapse").context["page_obj"][0].snippet
    assert "<mark>" in snippet
    assert "<" not in re.sub(r"</?mark>", "", snippet)
    assert snippet.count("<mark>") == snippet.count("</mark>")


def test_headline_markers_become_balanced_marks():
    text = f"a {STOP} <b>&amp; {START}relapse{STOP} {START}again"
    assert (
        marked_headline(text)
        == "a &lt;b&gt;&amp; <mark>relapse</mark> <mark>again</mark>"
    )


def test_plain_text_of_a_body_keeps_words_whole():
    body = (
        "<p>Take <strong>two</strong>, then <em>re</em>st &amp; eat.</p><h2>Next</h2>"
    )
    assert plain_text(body) == "Take two, then rest & eat. Next"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.DRAFT},
        {
            "status": Status.PUBLISHED,
            "published_at": timezone.now() + timedelta(days=2),
        },
        {
            "status": Status.PUBLISHED,
            "expire_at": timezone.now() - timedelta(seconds=1),
        },
        {"status": Status.IN_REVIEW},
        {"status": Status.UNPUBLISHED},
    ],
    ids=["draft", "scheduled", "expired", "in review", "unpublished"],
)
def test_unpublished_articles_are_never_found(client, make_article, fields):
    # Search goes through Article.objects.published().
    make_article(title="Secret plans for smouldering myeloma", **fields)
    for query in ["smouldering", "smoulderng", '"secret plans"']:
        response = found(client, query)
        assert response.context["results"].count == 0
        assert "Secret plans" not in response.content.decode()
        assert "smouldering" not in response.content.decode().replace(query, "")


def test_misspelled_word_shows_the_respelled_results(client, make_article):
    make_article(title="Myeloma and your kidneys")
    response = found(client, "myelomma")
    assert titles(response) == ["Myeloma and your kidneys"]
    assert "Showing results for “<strong>myeloma</strong>”" in response.content.decode()


def test_few_results_suggest_a_respelling_that_finds_more(client, make_article):
    make_article(title="Myeloma and your bones")
    make_article(title="Myeloma treatment")
    make_article(title="Looking after the kidneys")
    response = found(client, "myelomma or kidneys")
    assert titles(response) == ["Looking after the kidneys"]
    assert (
        'Did you mean <a href="/search/?q=myeloma%20or%20kidneys">myeloma or kidneys</a>?'
        in (response.content.decode())
    )


def test_no_suggestion_when_nothing_is_close(client, make_article):
    make_article(title="Myeloma and your kidneys")
    response = found(client, "zebrafish")
    assert response.context["results"].count == 0
    assert not response.context["results"].suggestion
    assert "No articles match “zebrafish”" in response.content.decode()


def test_results_are_paged_ten_at_a_time(client, make_article):
    for n in range(12):
        make_article(title=f"Fatigue note {n}", published_at=days_ago(n + 1))
    first = found(client, "fatigue")
    assert len(first.context["page_obj"]) == 10
    assert "12 articles found, best matches first." in first.content.decode()
    assert 'href="/search/?q=fatigue&amp;page=2"' in first.content.decode()
    second = found(client, "fatigue", page=2)
    assert titles(second) == ["Fatigue note 10", "Fatigue note 11"]


@pytest.mark.parametrize("page", ["0", "3", "abc", "1.5", "99999999999999999999"])
def test_bad_page_of_results_is_not_found(client, make_article, page):
    make_article(title="Fatigue")
    assert client.get(SEARCH_URL, {"q": "fatigue", "page": page}).status_code == 404


@pytest.mark.parametrize("query", ["", " ", "\t \n ", " " * 5000])
def test_empty_query_gives_the_search_prompt(client, db, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    assert "results" not in response.context
    assert "Put a phrase in quotes" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "relapse " * 30, "relapse\x00", "\x00", "a\x00' OR 1=1 --"],
    ids=["10,000 characters", "240 characters", "NUL at the end", "NUL", "NUL and SQL"],
)
def test_malformed_query_is_a_400_that_says_why(client, db, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 400
    assert response.context["error"]
    assert "Search articles" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE articles_article; --",
        '" OR 1=1 --',
        "relapse') OR ('1'='1",
        "%",
        "_",
        "\\",
        "()&|!:*<->",
        "<script>alert(1)</script>",
        '"',
        "-",
        "or",
        "-relapse",
        "the",
        "myélome 🩸 ∑",
        "CAR-T",
        "x" * 200,
    ],
)
def test_hostile_queries_give_a_page(client, make_article, query):
    make_article(title="Relapse")
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert Article.objects.count() == 1


def test_clean_query_tidies_whitespace_and_refuses_the_malformed():
    assert clean_query("  stem   cell\ttransplant ") == "stem cell transplant"
    with pytest.raises(MalformedQuery):
        clean_query("a\x00b")
    with pytest.raises(MalformedQuery):
        clean_query("y" * 201)


# On PostgreSQL the search runs in a transaction that tunes the planner:
# a savepoint (in the test's transaction), SET LOCAL, and its release.
PLANNER = 3 if connection.vendor == "postgresql" else 0
# Looking for a respelling: PostgreSQL asks its word list, SQLite reads titles
# and summaries, topic names and tag names; then the respelling is counted.
RESPELLING = 2 if connection.vendor == "postgresql" else 4


@pytest.mark.parametrize("matching", [3, 15])
def test_search_page_query_count_is_fixed(
    client, django_assert_num_queries, make_article, make_image, topic, matching
):
    for n in range(matching):
        article = make_article(title=f"Relapse story {n}", featured_image=make_image())
        article.topics.add(topic)
    # The count, then the page's rows with their snippets, and the site pages
    # the footer links.
    with django_assert_num_queries(PLANNER + 3):
        found(client, "relapse")
    with django_assert_num_queries(PLANNER + 3 + RESPELLING):
        found(client, "relapce")


def test_search_sets_no_cookie_and_runs_no_script(client, make_article):
    make_article(title="Relapse")
    response = found(client, "relapse")
    assert response.cookies == {}
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode()


def test_result_pages_are_kept_out_of_search_engines(client, db):
    html = found(client, "relapse").content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_every_page_has_the_search_box_and_opensearch_link(client, make_article):
    article = make_article()
    for url in [reverse("articles:list"), article.get_absolute_url(), "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert (
            '<form class="site-search" role="search" action="/search/" method="get">'
            in html
        )
        assert (
            '<label for="search-q" class="visually-hidden">Search articles</label>'
            in html
        )
        assert '<input type="search" id="search-q" name="q"' in html
        assert (
            '<link rel="search" type="application/opensearchdescription+xml" '
            'title="Myeloma &amp; Relapse Notes" href="/opensearch.xml">'
        ) in html


def test_search_page_has_one_search_box_with_the_query(client, db):
    html = found(client, "stem cell").content.decode()
    assert html.count('role="search"') == 1
    assert 'value="stem cell"' in html


def test_opensearch_description(client, db, settings):
    settings.SITE_URL = "https://notes.example.org"
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    namespace = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    root = ET.fromstring(response.content)
    assert len(root.find("os:ShortName", namespace).text) <= 16
    url = root.find("os:Url[@type='text/html']", namespace)
    assert url.get("template") == "https://notes.example.org/search/?q={searchTerms}"


def test_search_function_takes_any_queryset(make_article):
    draft = make_article(title="Relapse draft", status=Status.DRAFT)
    results = search("relapse", queryset=Article.objects.all())
    assert list(results.page) == [draft]


def test_admin_search_finds_drafts_by_title(admin_client, make_article):
    make_article(title="Relapse draft", status=Status.DRAFT)
    make_article(title="Something else")
    response = admin_client.get(
        reverse("admin:articles_article_changelist"), {"q": "relapse"}
    )
    assert [a.title for a in response.context["cl"].result_list] == ["Relapse draft"]


def test_admin_search_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, make_article, topic
):
    url = reverse("admin:articles_article_changelist")
    make_article(title="Relapse one").topics.add(topic)
    with django_assert_max_num_queries(20) as few:
        admin_client.get(url, {"q": "relapse"})
    for n in range(10):
        make_article(title=f"Relapse {n}").topics.add(topic)
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url, {"q": "relapse"})
    assert response.context["cl"].result_count == 11


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's own backend")
def test_sqlite_finds_words_in_topics_tags_and_references(
    client, make_article, make_reference, topic
):
    make_article(title="By topic").topics.add(topic)
    make_reference(
        make_article(title="By reference"), title="Smouldering myeloma trial"
    )
    assert titles(found(client, "relapse")) == ["By topic"]
    assert titles(found(client, "smouldering")) == ["By reference"]
