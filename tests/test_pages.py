"""Site pages: who runs the site, how it writes and reviews, contact, privacy."""

import itertools
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.pages.models import Page, Purpose

_ids = itertools.count()
ADD_PAGE = reverse("admin:pages_page_add")


@pytest.fixture
def make_page(db):
    def make(**fields):
        n = next(_ids)
        defaults = {
            "title": f"About this site {n}",
            "slug": f"about-{n}",
            "body": "<p>Who runs this site and who pays for it.</p>",
            "is_published": True,
        }
        return Page.objects.create(**defaults | fields)

    return make


def footer_links(html):
    """The (address, text) of each link in the footer's site-page list."""
    footer = html[html.index('<nav class="footer-nav"') :]
    footer = footer[: footer.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def page_form(**fields):
    return {
        "title": "How we write and review",
        "slug": "editorial-policy",
        "purpose": Purpose.EDITORIAL_POLICY,
        "body": "<p>Every article is checked by a clinician.</p>",
        "is_published": "on",
        "position": "2",
    } | fields


# Readers


def test_a_published_page_shows_its_title_text_and_last_update(client, make_page):
    page = make_page(title="About us", slug="about", body="<p>We are a charity.</p>")
    Page.objects.filter(pk=page.pk).update(
        updated_at=datetime(2023, 5, 4, 12, tzinfo=UTC)
    )
    response = client.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>About us – Myeloma &amp; Relapse Notes</title>" in html
    assert "<h1>About us</h1>" in html
    assert "<p>We are a charity.</p>" in html
    assert (
        'Last updated <time datetime="2023-05-04T12:00:00+00:00">4 May 2023</time>'
        in html
    )
    assert '<meta name="description" content="We are a charity.">' in html


def test_a_hidden_page_is_not_found_by_readers_or_authors(client, make_page, make_user):
    page = make_page(slug="privacy", is_published=False)
    assert client.get(page.get_absolute_url()).status_code == 404
    client.force_login(make_user("Authors"))
    assert client.get(page.get_absolute_url()).status_code == 404


def test_editors_see_a_hidden_page_as_an_uncached_preview(client, make_page, make_user):
    page = make_page(slug="privacy", is_published=False)
    client.force_login(make_user("Editors"))
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hidden: readers get “page not found” at this address." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_page_is_not_found(client, db):
    assert client.get("/no-such-page/").status_code == 404


def test_the_footer_of_every_reader_page_links_the_published_pages_in_order(
    client, make_page, make_article, topic
):
    make_page(title="Privacy", slug="privacy", position=4)
    make_page(title="About us", slug="about", position=1)
    make_page(title="Contact", slug="contact", position=3)
    make_page(title="Draft policy", slug="draft-policy", is_published=False)
    article = make_article()
    article.topics.add(topic)
    expected = [
        ("/about/", "About us"),
        ("/contact/", "Contact"),
        ("/privacy/", "Privacy"),
    ]
    for url in [
        "/",
        article.get_absolute_url(),
        topic.get_absolute_url(),
        reverse("articles:search") + "?q=myeloma",
        "/about/",
    ]:
        assert footer_links(client.get(url).content.decode()) == expected, url
    # The 404 page has the footer too, so a lost reader can still find them.
    assert footer_links(client.get("/no-such-page/").content.decode()) == expected


def test_the_footer_marks_the_page_being_read(client, make_page):
    make_page(title="About us", slug="about")
    html = client.get("/about/").content.decode()
    assert '<a href="/about/" aria-current="page">About us</a>' in html


def test_without_published_pages_the_footer_has_no_empty_list(client, make_page):
    make_page(is_published=False)
    assert 'class="footer-nav"' not in client.get("/").content.decode()


def test_the_footer_costs_one_query_however_many_pages(
    client, make_page, django_assert_num_queries
):
    make_page()
    with CaptureQueriesContext(connection) as with_one:
        client.get("/")
    for _ in range(5):
        make_page()
    with django_assert_num_queries(len(with_one)):
        client.get("/")


def test_published_pages_are_in_the_sitemap(client, make_page):
    make_page(slug="about")
    make_page(slug="draft-policy", is_published=False)
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/about/</loc>" in xml
    assert "draft-policy" not in xml


# "Last updated" tells readers the truth


def test_last_updated_moves_only_when_the_title_or_text_changes(make_page):
    page = make_page()
    earlier = datetime(2023, 5, 4, 12, tzinfo=UTC)
    Page.objects.filter(pk=page.pk).update(updated_at=earlier)
    page.refresh_from_db()

    page.position = 5
    page.is_published = False
    page.save()
    page.refresh_from_db()
    assert page.updated_at == earlier

    page.body = page.body.replace("site", "website")
    page.save()
    page.refresh_from_db()
    assert page.updated_at > earlier


def test_saving_the_admin_form_unchanged_keeps_the_date(client, make_page, make_user):
    page = make_page(**page_form(is_published=True, position=2))
    earlier = datetime(2023, 5, 4, 12, tzinfo=UTC)
    Page.objects.filter(pk=page.pk).update(updated_at=earlier)
    client.force_login(make_user("Editors"))
    response = client.post(change_url(page), page_form())
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated_at == earlier


# Sanitizing, as for articles


def test_the_body_is_sanitized_whichever_way_it_is_saved(make_page):
    hostile = '<p onclick="steal()">Hi</p><script>alert(1)</script><img src=x>'
    page = make_page(body=hostile)
    page.refresh_from_db()
    assert page.body == "<p>Hi</p>"
    Page.objects.filter(pk=page.pk).update(body=hostile)
    page.refresh_from_db()
    assert page.body == "<p>Hi</p>"


def test_a_row_written_around_the_model_is_still_sanitized_for_readers(
    client, make_page
):
    page = make_page(slug="contact")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pages_page SET body = %s WHERE id = %s",
            ['<p>Write to us</p><script>alert("x")</script>', page.pk],
        )
    html = client.get("/contact/").content.decode()
    assert "<p>Write to us</p>" in html
    assert "alert(" not in html


def test_the_admin_sanitizes_the_body(client, make_user):
    client.force_login(make_user("Editors"))
    response = client.post(
        ADD_PAGE,
        page_form(
            body='<p style="color:red">Checked <a href="javascript:x()">here</a></p>'
        ),
    )
    assert response.status_code == 302
    assert Page.objects.get().body == (
        '<p>Checked <a rel="noopener noreferrer">here</a></p>'
    )


def test_the_admin_gives_pages_the_article_editor(client, make_user):
    client.force_login(make_user("Editors"))
    html = client.get(ADD_PAGE).content.decode()
    assert "django_prose_editor" in html


# Who may change them: editors and superusers, through the admin's real POSTs


def add(client):
    client.post(ADD_PAGE, page_form())
    return Page.objects.filter(slug="editorial-policy").exists()


def hide(client, page):
    client.post(
        change_url(page), page_form(slug=page.slug, purpose="", is_published="")
    )
    page.refresh_from_db()
    return not page.is_published


def edit(client, page):
    client.post(
        change_url(page), page_form(slug=page.slug, purpose="", title="Changed")
    )
    page.refresh_from_db()
    return page.title == "Changed"


def delete(client, page):
    client.post(reverse("admin:pages_page_delete", args=[page.pk]), {"post": "yes"})
    return not Page.objects.filter(pk=page.pk).exists()


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("Authors", False),
        ("Medical reviewers", False),
        ("Editors", True),
        ("superuser", True),
        ("staff without a role", False),
    ],
)
def test_only_editors_and_superusers_may_change_pages(
    client, make_page, make_user, role, allowed
):
    if role == "superuser":
        user = User.objects.create_superuser("boss", "boss@example.org", "pw")
    elif role == "staff without a role":
        user = User.objects.create_user("clerk", password="pw", is_staff=True)
    else:
        user = make_user(role)
    client.force_login(user)
    page = make_page(purpose="")
    results = {
        "add": add(client),
        "hide": hide(client, make_page()),
        "edit": edit(client, make_page()),
        "delete": delete(client, page),
    }
    assert results == dict.fromkeys(results, allowed)
    listing = client.get(reverse("admin:pages_page_changelist"))
    assert listing.status_code == (200 if allowed else 403)


# Addresses and purposes


def test_a_page_cannot_take_an_address_the_site_already_uses(client, make_user):
    client.force_login(make_user("Editors"))
    for taken in ["topics", "search", "archive", "feed", "admin"]:
        response = client.post(ADD_PAGE, page_form(slug=taken))
        assert response.status_code == 200, taken
        assert "The site already uses this address" in response.content.decode()
    assert not Page.objects.exists()


def test_each_purpose_belongs_to_one_page(client, make_page, make_user):
    make_page(purpose=Purpose.EDITORIAL_POLICY)
    client.force_login(make_user("Editors"))
    response = client.post(ADD_PAGE, page_form())
    assert response.status_code == 200
    assert "Another page already has this purpose." in response.content.decode()
    # Pages without a purpose are as many as editors like.
    make_page(purpose="")
    make_page(purpose="")
