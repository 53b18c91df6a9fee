"""What an editor's save of a live or approved medical article may not do to
what readers are told: leave it without sources or byline, or carry a review
line over text no reviewer read."""

import pytest
from django.urls import reverse

from articles.models import MedicalReview, Status
from tests.admin_form import form_data, review_data


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def editor(make_user, client):
    user = make_user("Editors", credentials="Editor")
    client.force_login(user)
    return user


@pytest.fixture
def live(make_article, make_reference, author, reviewer):
    article = make_article(author=author, body="<p>Reviewed words.</p>")
    make_reference(article)
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    return article


def save(client, article, **changes):
    data = form_data(client, url("change", article.pk)) | changes
    return client.post(url("change", article.pk), data)


def errors(response):
    return str(response.context["adminform"].form.errors) + str(
        [f.formset.non_form_errors() for f in response.context["inline_admin_formsets"]]
    )


def test_a_live_medical_article_keeps_a_reference(client, editor, live):
    response = save(client, live, **{"references-0-DELETE": "on"})
    assert "needs at least one reference" in errors(response)
    assert live.references.count() == 1


def test_a_live_article_keeps_its_byline(client, editor, live):
    response = save(client, live, author="")
    assert "needs an author readers can see" in errors(response)
    live.refresh_from_db()
    assert live.author is not None


def test_site_news_shows_no_review_line(client, editor, live):
    save(client, live, is_medical="")
    live.refresh_from_db()
    assert not live.is_medical
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Medically reviewed by" not in page
    assert live.transitions.get().move == "medical_off"


def test_medical_again_needs_a_review_of_the_text_as_it_is(
    client, editor, live, reviewer
):
    save(client, live, is_medical="", body="<p>Words nobody reviewed.</p>")
    response = save(client, live, is_medical="on")
    assert "reviewed its text as it is now" in errors(response)
    live.refresh_from_db()
    assert not live.is_medical
    # A new review of the live text lets it be medical again.
    client.force_login(reviewer)
    review_url = url("review", live.pk)
    client.post(review_url, review_data(client, review_url) | {"decision": "record"})
    client.force_login(editor)
    assert save(client, live, is_medical="on").status_code == 302
    live.refresh_from_db()
    assert live.is_medical


def test_an_approved_article_switched_off_and_on_needs_a_new_review(
    client, editor, live
):
    live.status, live.published_at = Status.APPROVED, None
    live.save()
    save(client, live, is_medical="", body="<p>Words nobody reviewed.</p>")
    response = save(client, live, is_medical="on")
    assert "reviewed its text as it is now" in errors(response)
