"""Dates in the site's language (LANGUAGE_CODE, en-gb by default): shown as
"4 May 2023" and typed day first, or in words, in every admin date box."""

import re
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.admin_form import ADD_ARTICLE, article_form, review_data
from tests.conftest import signed_in_page
from tests.test_settings import run_manage

MAY_4 = date(2023, 5, 4)


def post_article(client, **fields):
    response = client.post(ADD_ARTICLE, article_form(**fields))
    assert response.status_code == 302, response.context["errors"]
    return Article.objects.get()


@pytest.mark.parametrize(
    "typed",
    ["04/05/2023", "4/5/2023", "04/05/23", "4 May 2023", "4 may 2023", "2023-05-04"],
)
def test_publish_time_is_read_day_first_or_in_words(admin_client, typed):
    article = post_article(admin_client, published_at_0=typed, published_at_1="09:30")
    assert article.published_at == datetime(2023, 5, 4, 9, 30, tzinfo=UTC)


def test_reference_dates_are_read_day_first(admin_client):
    article = post_article(
        admin_client,
        **{
            "references-0-accessed_on": "04/05/2023",
            "references-1-published_on": "12 March 2021",
        },
    )
    first, second = article.references.all()
    assert first.accessed_on == MAY_4
    assert second.published_on == date(2021, 3, 12)


def test_the_admin_writes_dates_back_day_first(admin_client):
    article = post_article(admin_client, published_at_0="4 May 2023")
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'name="published_at_0" value="04/05/2023"' in html
    assert 'name="references-0-accessed_on" value="01/05/2023"' in html


def test_review_dates_are_read_day_first(client, make_article, make_user):
    reviewer = make_user("Medical reviewers", credentials="MD, haematologist")
    article = make_article()
    client.force_login(reviewer)
    review = reverse("admin:articles_article_review", args=[article.pk])
    response = client.post(
        review,
        review_data(client, review)
        | {
            "reviewed_on": "04/05/2025",
            "next_review_on": "4 May 2026",
            "decision": "record",
        },
    )
    assert response.status_code == 302
    recorded = article.medical_reviews.get()
    assert (recorded.reviewed_on, recorded.next_review_on) == (
        date(2025, 5, 4),
        date(2026, 5, 4),
    )


def test_empty_date_boxes_show_the_format_they_read(admin_client, make_article):
    html = admin_client.get(ADD_ARTICLE).content.decode()
    assert re.search(
        r'<input [^>]*name="published_at_0"[^>]*placeholder="dd/mm/yyyy"', html
    )
    assert re.search(
        r'<input [^>]*name="expire_at_0"[^>]*placeholder="dd/mm/yyyy"', html
    )
    article = make_article()
    review = reverse("admin:articles_article_review", args=[article.pk])
    html = admin_client.get(review).content.decode()
    assert re.search(
        r'<input [^>]*name="reviewed_on"[^>]*placeholder="dd/mm/yyyy"', html
    )
    # The calendar and its "Today" link need Django's scripts on this page too.
    assert "admin/js/admin/DateTimeShortcuts.js" in html
    assert reverse("admin:jsi18n") in html


def test_a_date_that_does_not_exist_is_refused_and_kept(admin_client):
    response = admin_client.post(ADD_ARTICLE, article_form(published_at_0="31/02/2023"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "Enter a valid date." in html
    assert 'value="31/02/2023"' in html


def test_reader_pages_write_dates_in_british_english(client, make_article):
    article = make_article(published_at=datetime(2023, 5, 4, 14, tzinfo=UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en-gb">' in html
    assert ">4 May 2023</time>" in html


def test_language_code_comes_from_the_environment():
    parse = [
        "shell",
        "--no-imports",
        "-c",
        "from django import forms; print(forms.DateField().clean('04/05/2023'))",
    ]
    british = run_manage(*parse, LANGUAGE_CODE="")
    american = run_manage(*parse, LANGUAGE_CODE="en-us")
    assert british.returncode == 0, british.stderr
    assert american.returncode == 0, american.stderr
    assert british.stdout.strip() == "2023-05-04"
    assert american.stdout.strip() == "2023-04-05"


@pytest.mark.browser
def test_editor_types_a_day_first_date_in_the_article_form(live_server, browser):
    User.objects.create_superuser("editor", "editor@example.org", "pw")
    page = signed_in_page(browser, live_server, "editor", "pw")
    page.goto(f"{live_server.url}{ADD_ARTICLE}")

    page.locator("#id_title").fill("Backdated from the old site")
    page.locator("#id_summary").fill("An article first published elsewhere.")
    publish_date = page.locator("#id_published_at_0")
    expect(publish_date).to_have_attribute("placeholder", "dd/mm/yyyy")
    publish_date.fill("04/05/2023")
    page.locator("#id_published_at_1").fill("09:30")
    # The calendar's "Today" link writes the date the same way round.
    page.get_by_role("button", name="Add another Reference").click()
    page.locator("#id_references-0-title").fill("Myeloma overview")
    page.locator("#id_references-0-url").fill("https://www.myeloma.org/")
    page.locator(".field-accessed_on").get_by_role("link", name="Today").click()
    today = timezone.localdate()
    expect(page.locator("#id_references-0-accessed_on")).to_have_value(
        f"{today:%d/%m/%Y}"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        "was added successfully"
    )

    article = Article.objects.get(slug="backdated-from-the-old-site")
    assert article.published_at == datetime(2023, 5, 4, 9, 30, tzinfo=UTC)
    assert article.references.get().accessed_on == today


@pytest.mark.browser
def test_the_review_page_calendar_writes_dates_day_first(
    live_server, browser, make_article
):
    User.objects.create_superuser("editor", "editor@example.org", "pw")
    article = make_article()
    page = signed_in_page(browser, live_server, "editor", "pw")
    page.goto(
        live_server.url + reverse("admin:articles_article_review", args=[article.pk])
    )
    reviewed_on = page.locator("#id_reviewed_on")
    reviewed_on.fill("")
    page.locator(".field-reviewed_on").get_by_role("link", name="Today").click()
    expect(reviewed_on).to_have_value(f"{timezone.localdate():%d/%m/%Y}")
