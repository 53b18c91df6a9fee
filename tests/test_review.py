"""Medical reviews: recording them, what readers see, and the "Review due" list."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Author, MedicalReview, Status
from articles.models.editorial import months_later
from tests.admin_form import review_data

REVIEW_DUE = reverse("admin:articles_article_review_due")


@pytest.fixture
def editor(make_user):
    return make_user("Editors")


def review(article, reviewer, reviewed_on, next_review_on):
    return MedicalReview.objects.create(
        article=article,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
    )


def test_the_review_form_suggests_today_and_a_year_on(
    client, make_article, reviewer, settings
):
    settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 12
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(reviewer)
    form = client.get(reverse("admin:articles_article_review", args=[article.pk]))
    today = timezone.localdate()
    assert form.context["form"]["reviewed_on"].value() == today
    assert form.context["form"]["next_review_on"].value() == months_later(today, 12)


def test_an_editor_re_reviews_a_live_article_and_it_stays_live(
    client, make_article, editor, reviewer
):
    article = make_article()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_review", args=[article.pk]),
        review_data(client, reverse("admin:articles_article_review", args=[article.pk]))
        | {
            "reviewer": reviewer.author_profile.pk,
            "reviewed_on": "2025-03-01",
            "next_review_on": "2026-03-01",
            "decision": "record",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published()
    assert article.medical_reviews.get().reviewer == reviewer.author_profile
    assert article.transitions.get().to_status == Status.PUBLISHED


def test_readers_see_who_reviewed_and_when_next(client, make_article):
    article = make_article()
    clinician = Author.objects.create(
        name="Dr Priya Shah", slug="priya-shah", credentials="MD, haematologist"
    )
    review(article, clinician, date(2025, 3, 1), date(2026, 3, 1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'Medically reviewed by <a href="{clinician.get_absolute_url()}">Dr Priya '
        'Shah</a>, <span class="credentials">MD, haematologist</span>, on '
        '<time datetime="2025-03-01">1 March 2025</time>.'
    ) in html
    assert 'Next review due <time datetime="2026-03-01">1 March 2026</time>' in html
    assert "not yet recorded" not in html


def test_the_latest_review_is_shown(client, make_article, author):
    article = make_article()
    review(article, author, date(2024, 1, 1), date(2025, 1, 1))
    review(article, author, date(2025, 2, 1), date(2026, 2, 1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 February 2025" in html and "1 January 2024" not in html


def test_without_a_review_the_placeholder_stays(client, make_article):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "Medical review: not yet recorded" in html


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(found[1])


def test_json_ld_gains_reviewed_by_and_last_reviewed(client, make_article, author):
    article = make_article()
    review(article, author, date(2025, 3, 1), date(2026, 3, 1))
    graph = json_ld(client.get(article.get_absolute_url()).content.decode())
    page = next(n for n in graph["@graph"] if n["@type"] == "MedicalWebPage")
    assert page["lastReviewed"] == "2025-03-01"
    assert [person["name"] for person in page["reviewedBy"]] == [author.name]


def test_json_ld_claims_no_review_before_one(client, make_article):
    graph = json_ld(client.get(make_article().get_absolute_url()).content.decode())
    page = next(n for n in graph["@graph"] if n["@type"] == "MedicalWebPage")
    assert "lastReviewed" not in page and "reviewedBy" not in page


def test_the_preview_shows_the_review_too(admin_client, make_article, author):
    article = make_article(status=Status.APPROVED, published_at=None)
    review(article, author, date(2025, 3, 1), date(2026, 3, 1))
    html = admin_client.get(article.get_preview_url()).content.decode()
    assert "Medically reviewed by" in html
    assert '"lastReviewed":"2025-03-01"' in html


def test_review_due_lists_past_and_near_reviews_oldest_first(
    client, make_article, author, reviewer, django_assert_max_num_queries
):
    today = timezone.localdate()
    overdue = make_article(title="Overdue")
    review(overdue, author, today - timedelta(days=400), today - timedelta(days=35))
    soon = make_article(title="Due soon")
    review(soon, author, today - timedelta(days=340), today + timedelta(days=25))
    later = make_article(title="Due later")
    review(later, author, today, today + timedelta(days=200))
    # An old review replaced by a newer one no longer counts.
    review(later, author, today - timedelta(days=800), today - timedelta(days=400))
    never = make_article(title="Never reviewed")
    make_article(title="Site news", is_medical=False)
    make_article(title="A draft", status=Status.DRAFT, published_at=None)
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(REVIEW_DUE)
    assert [a.title for a in response.context["articles"]] == [
        never.title,
        overdue.title,
        soon.title,
    ]
    assert "(overdue)" in response.content.decode()


def test_a_re_review_takes_an_article_off_the_list(
    client, make_article, editor, reviewer
):
    article = make_article()
    client.force_login(editor)
    assert article in client.get(REVIEW_DUE).context["articles"]
    client.post(
        reverse("admin:articles_article_review", args=[article.pk]),
        review_data(client, reverse("admin:articles_article_review", args=[article.pk]))
        | {
            "decision": "record",
            "reviewer": reviewer.author_profile.pk,
            "reviewed_on": timezone.localdate().isoformat(),
            "next_review_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
    )
    assert article not in client.get(REVIEW_DUE).context["articles"]


def test_review_due_is_linked_from_the_list_and_closed_to_authors(
    client, make_user, reviewer
):
    client.force_login(reviewer)
    changelist = reverse("admin:articles_article_changelist")
    assert REVIEW_DUE in client.get(changelist).content.decode()
    client.force_login(make_user("Authors", credentials="RN"))
    assert client.get(REVIEW_DUE).status_code == 403
    assert REVIEW_DUE not in client.get(changelist).content.decode()


def test_a_review_naming_the_articles_own_author_is_refused(make_article, author):
    review = MedicalReview(article=make_article(author=author), reviewer=author)
    with pytest.raises(ValidationError) as refused:
        review.full_clean()
    assert "reviewer" in refused.value.message_dict
