"""Who may be named as a medical reviewer, and the workflow people follow
around a review: who is told, what the list shows, where a move lands."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Author, MedicalReview, Status
from tests.admin_form import (
    ADD_ARTICLE,
    article_form,
    form_data,
    post_review,
    review_data,
)


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def in_review(make_article, make_reference, writer):
    article = make_article(
        status=Status.IN_REVIEW,
        published_at=None,
        created_by=writer,
        author=writer.author_profile,
    )
    make_reference(article)
    return article


def test_an_author_cannot_be_named_as_the_reviewer(
    client, editor, writer, make_article
):
    """The article's own writer, a "Health writer", picked by an editor
    recording a review of the live article."""
    live = make_article(created_by=writer, author=writer.author_profile)
    client.force_login(editor)
    response = post_review(client, live, "record", reviewer=writer.author_profile.pk)
    assert response.status_code == 200
    assert "reviewer" in response.context["form"].errors
    assert not MedicalReview.objects.exists()
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Medically reviewed by" not in page


def test_a_reviewer_without_credentials_is_not_offered(client, make_user, editor):
    make_user("Medical reviewers", credentials="")
    named = make_user("Medical reviewers", credentials="MD, haematologist")
    make_user("Authors", credentials="MD, retired")  # Not a reviewer login.
    gone = make_user("Medical reviewers", credentials="MD, oncologist")
    gone.is_active = False
    gone.save()
    assert list(Author.objects.reviewers()) == [named.author_profile]


def test_nobody_reviews_their_own_article(
    client, make_user, make_article, make_reference
):
    clinician = make_user("Medical reviewers", credentials="MD, haematologist")
    own = make_article(
        status=Status.IN_REVIEW,
        published_at=None,
        created_by=clinician,
        author=clinician.author_profile,
    )
    make_reference(own)
    client.force_login(clinician)
    page = client.get(url("review", own.pk)).content.decode()
    assert "Nobody reviews their own article" in page
    response = post_review(client, own)
    assert "Nobody reviews their own article" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Status.IN_REVIEW


def test_an_authors_byline_is_their_own(client, writer, make_user):
    clinician = make_user("Medical reviewers", credentials="MD, haematologist")
    client.force_login(writer)
    form = client.get(ADD_ARTICLE).context["adminform"].form
    assert list(form.fields["author"].queryset) == [writer.author_profile]
    response = client.post(
        ADD_ARTICLE, article_form(author=clinician.author_profile.pk)
    )
    assert response.status_code == 200
    assert "author" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_an_editor_may_choose_any_byline(client, editor, writer):
    client.force_login(editor)
    client.post(ADD_ARTICLE, article_form(author=writer.author_profile.pk))
    assert Article.objects.get().author == writer.author_profile


def test_sending_back_emails_the_author_with_the_comment(
    client, reviewer, in_review, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        post_review(client, in_review, "send_back", comment="Explain the side effects.")
    (email,) = mail.outbox
    assert email.to == ["w@example.org"]
    assert email.subject == f"Sent back: {in_review.title}"
    assert "Explain the side effects." in email.body


def test_approval_emails_the_author_and_the_editors(
    client, reviewer, editor, in_review, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        post_review(client, in_review)
    (email,) = mail.outbox
    assert email.to == ["ed@example.org", "w@example.org"]
    assert email.subject == f"Approved: {in_review.title}"


def test_a_sent_back_article_says_so_in_the_list_and_on_its_page(
    client, reviewer, writer, in_review
):
    client.force_login(reviewer)
    post_review(client, in_review, "send_back", comment="Explain the side effects.")
    client.force_login(writer)
    listing = client.get(url("changelist")).content.decode()
    assert "Sent back" in listing
    page = client.get(url("change", in_review.pk)).content.decode()
    assert page.index("Explain the side effects.") < page.index('name="title"')


def test_an_editor_who_reviews_approves_and_publishes_in_one_step(
    client, make_user, writer, in_review
):
    boss = User.objects.create_superuser("boss", "boss@example.org", "pw")
    Author.objects.create(
        user=boss, name="Dr Boss", slug="dr-boss", credentials="MD, oncologist"
    )
    client.force_login(boss)
    response = post_review(client, in_review, "approve_and_publish")
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.is_published()
    assert [t.move for t in in_review.transitions.order_by("moved_at", "pk")] == [
        "approve",
        "publish",
    ]


def test_submit_and_publish_stay_on_the_article(client, writer, editor, make_article):
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    data = form_data(client, url("change", article.pk))
    response = client.post(url("change", article.pk), data | {"_move": "submit"})
    assert response["Location"] == url("change", article.pk)
    page = client.get(response["Location"]).content.decode()
    assert "is now in review" in page


def test_history_says_what_a_form_move_did(client, writer, make_article):
    article = make_article(status=Status.DRAFT, published_at=None, created_by=writer)
    client.force_login(writer)
    data = form_data(client, url("change", article.pk))
    client.post(url("change", article.pk), data | {"_move": "submit"})
    comment = Version.objects.get_for_object(article).first().revision.get_comment()
    assert comment == "Submit for review"


def test_an_author_opening_a_colleagues_article_is_told_plainly(
    client, writer, make_user, make_article
):
    colleague = make_user("Authors", credentials="Health writer")
    theirs = make_article(status=Status.DRAFT, published_at=None, created_by=colleague)
    client.force_login(writer)
    response = client.get(url("change", theirs.pk), follow=True)
    page = response.content.decode()
    assert "You can’t open this article." in page
    assert "Perhaps it was deleted" not in page


def test_a_review_recorded_in_someones_name_tells_them(
    client, make_user, make_article, reviewer, django_capture_on_commit_callbacks
):
    editor = make_user("Editors", credentials="Editor")
    live = make_article()
    client.force_login(editor)
    review_url = url("review", live.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url,
            review_data(client, review_url)
            | {"decision": "record", "reviewer": reviewer.author_profile.pk},
        )
    (email,) = mail.outbox
    assert email.to == ["rev@example.org"]
    assert "in your name" in email.body


def test_an_editor_reviewer_cannot_approve_text_they_edited(
    client, make_user, writer, in_review
):
    both = make_user("Editors", credentials="MD, oncologist")
    both.groups.add(make_user("Medical reviewers").groups.get())
    client.force_login(both)
    data = form_data(client, url("change", in_review.pk))
    client.post(url("change", in_review.pk), data | {"title": "Edited by the editor"})
    response = post_review(client, in_review, "approve_and_publish")
    assert "Nobody reviews their own article" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_an_approval_is_of_the_text_the_reviewer_read(
    client, reviewer, make_user, in_review
):
    client.force_login(reviewer)
    review_url = url("review", in_review.pk)
    opened = review_data(client, review_url)
    # An editor saves new words while the reviewer reads the old ones.
    Article.objects.filter(pk=in_review.pk).update(body="<p>Other words.</p>")
    in_review.refresh_from_db()
    in_review.save()
    response = client.post(review_url, opened | {"decision": "approve"})
    assert "saved again since you opened this page" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    # Read again, it can be approved.
    response = client.post(
        review_url, review_data(client, review_url) | {"decision": "approve"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("reviewed_on", "next_review_on", "message"),
    [
        ("30/12/9999", "31/12/9999", "in the future"),
        ("01/01/0001", "01/01/0002", "before 1990"),
        ("01/11/2026", "01/11/2040", "within 5 years"),
    ],
)
def test_review_dates_must_be_plausible(
    client, reviewer, make_article, reviewed_on, next_review_on, message
):
    live = make_article()
    client.force_login(reviewer)
    review_url = url("review", live.pk)
    response = client.post(
        review_url,
        review_data(client, review_url)
        | {
            "decision": "record",
            "reviewed_on": reviewed_on,
            "next_review_on": next_review_on,
        },
    )
    assert message in response.content.decode()
    assert not MedicalReview.objects.exists()


def test_the_byline_cannot_be_the_reviewer(client, editor, reviewer, make_article):
    live = make_article(author=None)
    MedicalReview.objects.create(article=live, reviewer=reviewer.author_profile)
    client.force_login(editor)
    data = form_data(client, url("change", live.pk))
    response = client.post(
        url("change", live.pk), data | {"author": reviewer.author_profile.pk}
    )
    assert "cannot also be its author" in str(response.context["adminform"].form.errors)
    live.refresh_from_db()
    assert live.author is None
