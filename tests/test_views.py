import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from articles.models import Status


def h1_count(html):
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def full_article(make_full_article):
    return make_full_article()


def test_article_page_shows_everything_a_reader_needs(client, full_article):
    response = client.get(full_article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(html) == 1
    assert "<h1>Treatment after a myeloma relapse</h1>" in html
    assert "Why the next treatment depends on the last one." in html
    assert 'alt="A nurse talks with a patient in a clinic room"' in html
    assert "Image: Depositphotos / pressmaster" in html
    assert (
        'Posted on <time datetime="2023-05-05T14:00:00+00:00">5 May 2023</time>' in html
    )
    assert (
        'Updated <time datetime="2024-01-09T09:00:00+00:00">9 January 2024</time>'
        in html
    )
    assert "Dana Whitfield" in html and "RN, oncology nurse" in html
    assert 'href="/topics/relapse/"' in html
    assert 'href="/tags/follow-up-care/"' in html
    assert '<a href="https://www.themmrf.org/" rel="noopener noreferrer">' in html


def test_article_page_lists_references_in_order(client, full_article):
    html = client.get(full_article.get_absolute_url()).content.decode()
    section = html[html.index('id="references-heading"') :]
    assert section.index("Relapsed myeloma overview") < section.index(
        "Targeted drugs at relapse"
    )
    assert "Multiple Myeloma Research Foundation" in section
    assert 'href="https://doi.org/10.1182/blood.2020008805"' in section
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/32649747/"' in section
    assert 'href="https://themmrf.org/relapse/"' in section


def test_dates_are_shown_in_site_time(client, settings, full_article):
    settings.TIME_ZONE = "America/New_York"
    html = client.get(full_article.get_absolute_url()).content.decode()
    assert '<time datetime="2023-05-05T10:00:00-04:00">5 May 2023</time>' in html


def test_home_lists_published_articles_with_summary_date_and_thumbnail(
    client, full_article
):
    html = client.get(reverse("articles:list")).content.decode()
    assert full_article.get_absolute_url() in html
    assert full_article.summary in html
    assert "5 May 2023" in html
    assert full_article.featured_image.srcset("webp") in html


def test_home_pages_ten_at_a_time(client, make_article):
    for _ in range(12):
        make_article()
    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list") + "?page=2")
    assert len(first.context["article_list"]) == 10
    assert len(second.context["article_list"]) == 2
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_bad_page_number_is_not_found(client, make_article, page):
    make_article()
    response = client.get(reverse("articles:list"), {"page": page})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "state",
    [
        {"status": Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_never_reach_readers(client, make_article, topic, state):
    hidden = make_article(title="Secret upcoming piece", slug="secret", **state)
    hidden.topics.add(topic)
    for url in [
        reverse("articles:list"),
        topic.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret upcoming piece" not in response.content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_preview_url()).status_code == 302


def test_not_found_page_is_our_own(client, db):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "See the latest articles" in response.content.decode()


def test_topic_page_lists_its_published_articles(client, make_article, topic):
    inside = make_article(title="On topic")
    inside.topics.add(topic)
    make_article(title="Elsewhere")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "On topic" in html and "Elsewhere" not in html
    assert h1_count(html) == 1


def test_unknown_topic_is_not_found(client, db):
    assert client.get("/topics/nothing/").status_code == 404


def test_staff_can_preview_a_draft(admin_client, make_article):
    draft = make_article(status=Status.DRAFT, title="Work in progress")
    response = admin_client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert "Work in progress" in response.content.decode()
    assert "this draft is not live" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_staff_without_change_permission_cannot_preview(client, make_article):
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    draft = make_article(status=Status.DRAFT)
    assert client.get(draft.get_preview_url()).status_code == 404


@pytest.mark.usefixtures("page_cache_off")
def test_article_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, full_article, make_reference
):
    # The article with its author, image, renditions, topics, tags, latest
    # medical review, "What changed" notes and related articles
    # (Article.objects.for_page()), the site pages the footer links. References
    # come rendered in the article's row. The first request after a change
    # also keeps the page's new parts (articles.page_parts): one write, in a
    # savepoint here.
    url = full_article.get_absolute_url()
    with django_assert_max_num_queries(2 + 3):
        client.get(url)
    with django_assert_max_num_queries(2):
        client.get(url)
    for n in range(5):
        make_reference(full_article)
        full_article.topics.create(name=f"Topic {n}", slug=f"topic-{n}")
        full_article.tags.create(name=f"Tag {n}", slug=f"tag-{n}")
        full_article.change_notes.create(note=f"Correction {n}")
    with django_assert_max_num_queries(2 + 3):
        response = client.get(url)
    with django_assert_max_num_queries(2):
        assert client.get(url).content == response.content
    assert response.content.decode().count('<li id="ref-') == 7


@pytest.mark.usefixtures("page_cache_off")
def test_home_query_count_does_not_grow(
    client, django_assert_max_num_queries, make_article, make_image, author
):
    for _ in range(10):
        make_article(featured_image=make_image(), author=author)
    # The count, the articles with authors and images, all their renditions,
    # the site pages the footer links.
    with django_assert_max_num_queries(4):
        client.get(reverse("articles:list"))


def test_server_error_page_is_our_own(client, settings, db):
    settings.ROOT_URLCONF = "tests.urls_failing"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "RuntimeError" not in response.content.decode()


def test_the_article_page_lists_topics_tags_and_notes_in_their_order(
    client, make_article
):
    article = make_article()
    for name in ("Treatment", "Bone health", "Relapse"):
        article.topics.create(name=name, slug=name.lower().replace(" ", "-"))
        article.tags.create(name=f"{name} tag", slug=f"{name.lower()[:4]}-tag")
    for day, note in ((3, "Third"), (1, "First"), (2, "Second")):
        article.change_notes.create(
            note=note, changed_at=timezone.now() - timedelta(days=10 - day)
        )
    page = client.get(article.get_absolute_url()).content.decode()

    def order(*texts):
        return sorted(texts, key=page.index)

    assert order(">Bone health<", ">Relapse<", ">Treatment<") == [
        ">Bone health<",
        ">Relapse<",
        ">Treatment<",
    ]
    assert order(">Bone health tag<", ">Relapse tag<", ">Treatment tag<") == [
        ">Bone health tag<",
        ">Relapse tag<",
        ">Treatment tag<",
    ]
    assert order(": Third<", ": Second<", ": First<") == [
        ": Third<",
        ": Second<",
        ": First<",
    ]
