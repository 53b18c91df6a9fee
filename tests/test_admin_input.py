"""Hostile or mistaken admin input answers a form error, a 400 or a 404, never
a 500, and loses nothing the editor typed."""

import logging
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.admin.forms import BODY_MAX_CHARACTERS
from articles.models import Article, Author, MedicalReview, Status, Transition
from tests.admin_form import ADD_ARTICLE, article_form, form_data, review_data


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


def errors(response):
    return response.context["adminform"].form.errors


def test_a_title_with_a_line_break_is_a_form_error(client, writer, reviewer):
    client.force_login(writer)
    response = client.post(
        ADD_ARTICLE,
        article_form(title="Relapse\r\nBcc: everyone@example.org", _move="submit"),
    )
    assert response.status_code == 200
    assert "line breaks are not allowed" in errors(response)["title"][0]
    assert not Article.objects.exists()


def test_submitting_an_old_title_with_a_line_break_still_emails_one_line(
    client, writer, reviewer, make_article, django_capture_on_commit_callbacks
):
    # Stored before titles were checked, or by an import that skipped the form.
    article = make_article(
        status=Status.DRAFT,
        published_at=None,
        created_by=writer,
        title="Relapse\nBcc: everyone@example.org",
    )
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("move", article.pk, "submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    (email,) = mail.outbox
    assert email.subject == "For medical review: Relapse Bcc: everyone@example.org"
    assert email.to == ["rev@example.org"]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_is_logged_and_the_move_stands(
    client,
    writer,
    reviewer,
    make_article,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    with (
        caplog.at_level(logging.ERROR, logger="articles.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url("move", article.pk, "submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert "Could not send “For medical review" in caplog.text


@pytest.mark.parametrize("via", ["move button", "form button"])
def test_a_null_character_in_the_workflow_comment_is_refused(
    client, writer, make_article, via
):
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    comment = "Ready\x00 for review"
    if via == "move button":
        response = client.post(
            url("move", article.pk, "submit"), {"workflow_comment": comment}
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "null character" in page
    else:
        data = form_data(client, url("change", article.pk))
        response = client.post(
            url("change", article.pk),
            data | {"_move": "submit", "workflow_comment": comment},
        )
        assert response.status_code == 200
        assert "null character" in str(errors(response))
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert not Transition.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/abc/review/",
        "/admin/articles/article/abc/move/submit/",
        "/admin/articles/article/1%00/move/submit/",
        "/admin/articles/article/abc/history/compare/?from=1&to=2",
        "/admin/articles/article/abc/history/1/",
        "/admin/articles/article/recover/99999/",
    ],
)
def test_ids_that_are_not_numbers_are_a_404(client, editor, path):
    client.force_login(editor)
    assert client.get(path).status_code in (302, 404)
    assert client.post(path).status_code in (302, 403, 404, 405)


def test_a_tag_id_that_is_not_a_number_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(ADD_ARTICLE, article_form(tags=["abc", "1 OR 1=1"]))
    assert response.status_code == 200
    assert "tags" in errors(response)
    assert not Article.objects.exists()


def test_a_user_id_that_is_not_a_number_is_a_form_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "A writer", "slug": "a-writer", "user": "abc"},
    )
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not Author.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("0001-01-01", "before 1990"), ("9999-12-31", "years ahead")],
)
def test_publish_times_out_of_any_sane_range_are_refused(client, editor, day, message):
    client.force_login(editor)
    response = client.post(ADD_ARTICLE, article_form(published_at_0=day))
    assert response.status_code == 200
    assert message in errors(response)["published_at"][0]
    assert not Article.objects.exists()


def test_an_unpublish_time_before_the_publish_time_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD_ARTICLE, article_form(expire_at_0="2023-05-01", expire_at_1="09:00:00")
    )
    assert response.status_code == 200
    assert "must come after the publish time" in errors(response)["expire_at"][0]


def test_the_review_decision_is_one_of_the_offered_ones(
    client, reviewer, make_article, make_reference
):
    article = make_article(status=Status.IN_REVIEW, published_at=None)
    make_reference(article)
    client.force_login(reviewer)
    response = client.post(
        url("review", article.pk),
        review_data(client, url("review", article.pk))
        | {
            "decision": "publish_everything",
            "reviewed_on": "2025-01-10",
            "next_review_on": "2026-01-10",
        },
    )
    assert response.status_code == 200
    assert "publish_everything is not one of the available choices" in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not MedicalReview.objects.exists()


def test_an_oversized_body_is_a_form_error_that_keeps_the_text(client, editor):
    client.force_login(editor)
    body = "<p>" + "Words typed over a long afternoon. " * 150_000 + "</p>"
    assert BODY_MAX_CHARACTERS < len(body) < 10 * 1024 * 1024
    response = client.post(ADD_ARTICLE, article_form(body=body))
    assert response.status_code == 200
    assert "more than the 1,000,000 an article may have" in errors(response)["body"][0]
    assert response.context["adminform"].form["body"].value() == body
    assert not Article.objects.exists()


def test_a_request_over_the_upload_limit_gets_a_page_that_says_so(client, editor):
    client.force_login(editor)
    body = "x" * (11 * 1024 * 1024)
    response = client.post(ADD_ARTICLE, article_form(body=body))
    assert response.status_code == 400
    assert "larger than the 10 MB the site accepts" in response.content.decode()


def test_making_a_live_article_medical_needs_a_review_and_a_reference(
    client, editor, make_article
):
    article = make_article(is_medical=False, author=None)
    client.force_login(editor)
    data = form_data(client, url("change", article.pk))
    response = client.post(url("change", article.pk), data | {"is_medical": "on"})
    assert response.status_code == 200
    problems = " ".join(errors(response)["is_medical"])
    assert "record a medical review of the live article" in problems
    assert "at least one reference" in problems
    article.refresh_from_db()
    assert not article.is_medical


def test_a_scheduled_article_can_be_made_medical_only_through_the_gate(
    client, editor, make_article
):
    article = make_article(
        is_medical=False, published_at=timezone.now() + timedelta(days=3)
    )
    client.force_login(editor)
    data = form_data(client, url("change", article.pk))
    response = client.post(url("change", article.pk), data | {"is_medical": "on"})
    assert response.status_code == 200
    article.refresh_from_db()
    assert not article.is_medical


@pytest.mark.parametrize("name", ["published_at", "expire_at"])
def test_a_date_in_the_add_forms_address_is_ignored(client, editor, name):
    client.force_login(editor)
    assert client.get(f"{ADD_ARTICLE}?{name}=tomorrow").status_code == 200


@pytest.mark.parametrize(
    "changelist", ["admin:articles_article_changelist", "admin:articles_tag_changelist"]
)
def test_an_action_on_ids_that_are_not_ids_changes_nothing(
    client, editor, make_article, changelist
):
    article = make_article(status=Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.post(
        reverse(changelist),
        {"action": "delete_selected", "_selected_action": ["abc", str(article.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose items from the list" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_null_in_an_autocomplete_search_finds_nothing(client, editor):
    client.force_login(editor)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "tags",
            "term": "re\x00lapse",
        },
    )
    assert response.status_code == 200


def test_ids_too_large_for_the_database_are_a_form_error(client, editor, admin_user):
    client.force_login(editor)
    response = client.post(ADD_ARTICLE, article_form(tags=["99999999999999999999"]))
    assert response.status_code == 200
    assert "tags" in errors(response)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_author_add"),
        {"name": "A writer", "slug": "a-writer", "user": "99999999999999999999"},
    )
    assert "user" in response.context["adminform"].form.errors


def test_authors_do_not_see_logins_in_the_author_list(client, make_user):
    writer = make_user("Authors", credentials="RN")
    colleague = make_user("Authors", credentials="RN")
    client.force_login(writer)
    page = client.get(reverse("admin:articles_author_changelist")).content.decode()
    assert colleague.author_profile.name in page
    assert colleague.username not in page


def searchable_changelists():
    from django.contrib import admin

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    ]


@pytest.mark.parametrize("changelist", searchable_changelists())
def test_a_null_in_any_admin_search_finds_nothing(admin_client, changelist):
    response = admin_client.get(changelist, {"q": "re\x00lapse"})
    assert response.status_code == 200
