"""Publishing (or scheduling) is refused while a medical article lacks an
author, a medical review or a reference; "not medical" lifts the last two."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import MedicalReview, Status, Transition
from articles.workflow import publishing_problems
from tests.admin_form import form_data

CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editor(make_user, client):
    user = make_user("Editors")
    client.force_login(user)
    return user


@pytest.fixture
def ready(make_article, make_reference, author, make_user):
    """An approved medical article with everything publishing needs."""
    article = make_article(status=Status.APPROVED, published_at=None, author=author)
    reviewer = make_user("Medical reviewers", credentials="MD, haematologist")
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    make_reference(article)
    return article


def publish_with_form(client, article, **changes):
    data = form_data(client, change_url(article)) | {"_move": "publish"} | changes
    return client.post(change_url(article), data)


def field_errors(response):
    form = response.context["adminform"].form
    return {name: list(errors) for name, errors in form.errors.items()}


def test_a_complete_medical_article_publishes(client, editor, ready):
    response = publish_with_form(client, ready)
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.is_published()


def test_no_author_is_refused_next_to_the_author_field(client, editor, ready):
    response = publish_with_form(client, ready, author="")
    assert response.status_code == 200
    assert list(field_errors(response)) == ["author"]
    html = response.content.decode()
    assert "needs an author" in html.split("errors field-author")[1][:200]
    ready.refresh_from_db()
    assert ready.status == Status.APPROVED
    assert not Transition.objects.exists()


def test_no_medical_review_is_refused_next_to_medical_content(
    client, editor, make_article, make_reference, author
):
    article = make_article(status=Status.DRAFT, published_at=None, author=author)
    make_reference(article)
    response = publish_with_form(client, article)
    assert response.status_code == 200
    assert list(field_errors(response)) == ["is_medical"]
    assert "needs a medical review" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_no_reference_is_refused_above_the_references(client, editor, ready):
    reference = ready.references.get()
    data = form_data(client, change_url(ready))
    data |= {"_move": "publish", "references-0-DELETE": "on"}
    response = client.post(change_url(ready), data)
    assert response.status_code == 200
    [references] = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "references"
    ]
    assert "at least one reference" in str(references.formset.non_form_errors())
    ready.refresh_from_db()
    assert ready.status == Status.APPROVED
    assert ready.references.get() == reference


def test_scheduling_meets_the_same_gate(client, editor, ready):
    later = timezone.localtime() + timedelta(days=2)
    response = publish_with_form(
        client,
        ready,
        author="",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="09:00:00",
    )
    assert response.status_code == 200
    assert "author" in field_errors(response)
    ready.refresh_from_db()
    assert ready.published_at is None


def test_not_medical_lifts_the_review_and_reference_rules(
    client, editor, make_article, author
):
    news = make_article(status=Status.DRAFT, published_at=None, author=author)
    response = publish_with_form(client, news, is_medical="")
    assert response.status_code == 302
    news.refresh_from_db()
    assert not news.is_medical
    assert news.is_published()


def test_not_medical_still_needs_an_author(client, editor, make_article):
    news = make_article(status=Status.DRAFT, published_at=None, is_medical=False)
    response = publish_with_form(client, news)
    assert list(field_errors(response)) == ["author"]


def test_the_publish_action_refuses_all_when_one_fails(
    client, editor, ready, make_article, author
):
    unready = make_article(status=Status.APPROVED, published_at=None, author=author)
    response = client.post(
        CHANGELIST,
        {"action": "publish_selected", "_selected_action": [ready.pk, unready.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "needs a medical review" in html
    assert "No article was moved." in html
    ready.refresh_from_db()
    assert ready.status == Status.APPROVED


def test_the_publish_button_outside_the_form_reports_the_reason(client, editor, ready):
    ready.author = None
    ready.save()
    response = client.post(
        reverse("admin:articles_article_move", args=[ready.pk, "publish"]),
        follow=True,
    )
    assert "needs an author" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.APPROVED


def test_publishing_problems_names_each_missing_piece(make_article):
    article = make_article(status=Status.DRAFT, published_at=None)
    assert set(publishing_problems(article)) == {"author", "is_medical", "references"}
    article.is_medical = False
    assert set(publishing_problems(article)) == {"author"}
