"""Each workflow move, made through the admin, and the line it writes in the log."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import MedicalReview, Status, Transition
from tests.admin_form import review_data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def move_url(article, name):
    return reverse("admin:articles_article_move", args=[article.pk, name])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


@pytest.fixture
def writer(make_user):
    return make_user("Authors", credentials="RN, oncology nurse")


@pytest.fixture
def reviewer(make_user):
    return make_user(
        "Medical reviewers", credentials="MD, haematologist", email="rev@example.org"
    )


@pytest.fixture
def editor(make_user):
    return make_user("Editors", credentials="Editor")


@pytest.fixture
def approved(make_article, make_reference, reviewer, writer):
    article = make_article(
        status=Status.APPROVED,
        published_at=None,
        author=writer.author_profile,
        created_by=writer,
    )
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    make_reference(article)
    return article


def logged(article):
    line = Transition.objects.filter(article=article).first()
    return (line.user, line.from_status, line.to_status, line.comment)


def test_submit_moves_to_review_logs_and_emails_the_reviewers(
    client,
    make_article,
    writer,
    reviewer,
    make_user,
    django_capture_on_commit_callbacks,
):
    make_user("Medical reviewers", email="")  # No address: not written to.
    inactive = make_user("Medical reviewers", email="gone@example.org")
    inactive.is_active = False
    inactive.save()
    article = make_article(status=Status.DRAFT, created_by=writer)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            move_url(article, "submit"), {"workflow_comment": "Ready"}
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert logged(article) == (writer, Status.DRAFT, Status.IN_REVIEW, "Ready")
    [email] = mail.outbox
    assert email.to == ["rev@example.org"]
    assert article.title in email.subject
    assert review_url(article) in email.body


def test_submit_from_the_add_form_saves_then_submits(
    client, writer, django_capture_on_commit_callbacks
):
    from tests.admin_form import article_form

    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_add"), article_form(_move="submit")
        )
    assert response.status_code == 302
    transition = Transition.objects.get()
    assert transition.article.status == Status.IN_REVIEW
    assert transition.article.created_by == writer
    assert (transition.from_status, transition.to_status) == (
        Status.DRAFT,
        Status.IN_REVIEW,
    )


def test_approve_records_the_review_and_logs(client, make_article, reviewer):
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(reviewer)
    response = client.post(
        review_url(article),
        review_data(client, review_url(article))
        | {
            "decision": "approve",
            "reviewed_on": "2025-01-10",
            "next_review_on": "2026-01-10",
            "comment": "Accurate.",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    review = article.medical_reviews.get()
    assert review.reviewer == reviewer.author_profile
    assert str(review.reviewed_on) == "2025-01-10"
    assert str(review.next_review_on) == "2026-01-10"
    assert review.recorded_by == reviewer
    assert logged(article) == (reviewer, Status.IN_REVIEW, Status.APPROVED, "Accurate.")


def test_send_back_needs_a_comment_and_logs_it(client, make_article, reviewer):
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(reviewer)
    data = review_data(client, review_url(article))
    data |= {"decision": "send_back", "reviewed_on": "2025-01-10"}
    data["next_review_on"] = "2026-01-10"
    response = client.post(review_url(article), data | {"comment": ""})
    assert response.status_code == 200
    assert "a comment is required" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW

    response = client.post(review_url(article), data | {"comment": "Dose is wrong"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not article.medical_reviews.exists()
    assert logged(article) == (
        reviewer,
        Status.IN_REVIEW,
        Status.DRAFT,
        "Dose is wrong",
    )


def test_editor_sends_back_an_approved_article(client, approved, editor):
    client.force_login(editor)
    client.post(move_url(approved, "send_back"), {"workflow_comment": "Not yet"})
    approved.refresh_from_db()
    assert approved.status == Status.DRAFT
    assert logged(approved) == (editor, Status.APPROVED, Status.DRAFT, "Not yet")


def test_publish_makes_an_approved_article_live_now(client, approved, editor):
    client.force_login(editor)
    response = client.post(move_url(approved, "publish"))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.is_published()
    assert timezone.now() - approved.published_at < timedelta(minutes=1)
    assert logged(approved) == (editor, Status.APPROVED, Status.PUBLISHED, "")
    assert approved.modified_by == editor


def test_publish_with_a_future_time_schedules(client, approved, editor):
    approved.published_at = timezone.now() + timedelta(days=3)
    approved.save()
    client.force_login(editor)
    client.post(move_url(approved, "publish"))
    approved.refresh_from_db()
    assert approved.status == Status.PUBLISHED
    assert approved.is_scheduled() and not approved.is_published()
    assert logged(approved)[3].startswith("Scheduled for ")


def test_unpublish_takes_an_article_off_and_logs(client, make_article, editor):
    article = make_article()
    client.force_login(editor)
    client.post(move_url(article, "unpublish"), {"workflow_comment": "Outdated"})
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    assert not article.is_published()
    assert logged(article) == (editor, Status.PUBLISHED, Status.UNPUBLISHED, "Outdated")


def test_a_move_button_keeps_a_revision(client, make_article, editor):
    article = make_article()
    client.force_login(editor)
    client.post(move_url(article, "unpublish"), {"workflow_comment": "Outdated"})
    version = Version.objects.get_for_object(article).first()
    assert version.field_dict["status"] == Status.UNPUBLISHED
    assert version.revision.user == editor
    assert version.revision.comment == "Unpublish: Outdated"


def test_an_unpublished_article_can_go_back_to_review(client, make_article, editor):
    article = make_article(status=Status.UNPUBLISHED)
    client.force_login(editor)
    client.post(move_url(article, "submit"))
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert logged(article)[1:3] == (Status.UNPUBLISHED, Status.IN_REVIEW)


def test_a_move_from_the_wrong_status_is_refused(client, make_article, editor):
    article = make_article()
    client.force_login(editor)
    response = client.post(move_url(article, "publish"), follow=True)
    assert "cannot be moved with “Publish”" in response.content.decode()
    assert not Transition.objects.exists()


def test_a_get_never_moves(client, make_article, editor):
    article = make_article()
    client.force_login(editor)
    assert client.get(move_url(article, "unpublish")).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_the_log_shows_on_the_article_page(client, approved, editor):
    client.force_login(editor)
    client.post(move_url(approved, "publish"))
    client.post(move_url(approved, "unpublish"), {"workflow_comment": "Outdated"})
    html = client.get(change_url(approved)).content.decode()
    assert "Workflow log" in html
    assert html.count("Outdated") == 1
    assert editor.username in html


def test_change_page_offers_only_the_moves_allowed_now(client, approved, editor):
    client.force_login(editor)
    html = client.get(change_url(approved)).content.decode()
    assert 'value="publish"' in html
    assert 'value="send_back"' in html
    assert 'value="unpublish"' not in html
    assert 'value="submit"' not in html
