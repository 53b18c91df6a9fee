"""/preview/<pk>/ opens only what the admin would open for the same login."""

import pytest
from django.urls import reverse

from articles.models import PendingChange, Status


@pytest.fixture
def colleague(make_user):
    return make_user("Authors", credentials="Health writer")


def draft_by(user, make_article, **fields):
    return make_article(
        status=Status.DRAFT,
        published_at=None,
        created_by=user,
        author=user.author_profile,
        title="A draft nobody else should read",
        **fields,
    )


def test_an_author_cannot_preview_a_colleagues_draft(
    client, writer, colleague, make_article
):
    theirs = draft_by(colleague, make_article)
    client.force_login(writer)
    response = client.get(theirs.get_preview_url())
    assert response.status_code == 404
    assert b"A draft nobody else should read" not in response.content
    # The admin refuses the same article.
    change = reverse("admin:articles_article_change", args=[theirs.pk])
    assert client.get(change).status_code == 302


def test_an_author_previews_their_own_draft(client, writer, make_article):
    mine = draft_by(writer, make_article)
    client.force_login(writer)
    response = client.get(mine.get_preview_url())
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_reviewer_cannot_preview_a_draft_never_submitted(
    client, writer, reviewer, make_article
):
    draft = draft_by(writer, make_article)
    client.force_login(reviewer)
    assert client.get(draft.get_preview_url()).status_code == 404
    draft.status = Status.IN_REVIEW
    draft.save()
    assert client.get(draft.get_preview_url()).status_code == 200


def test_the_preview_of_a_live_article_shows_its_pending_change(
    client, reviewer, make_article, make_reference
):
    article = make_article(title="Live title", body="<p>Live advice.</p>")
    make_reference(article)
    PendingChange.objects.create(
        article=article,
        content={
            "fields": {
                "title": "Changed title",
                "slug": article.slug,
                "summary": article.summary,
                "body": "<p>Changed advice.</p>",
                "featured_image": None,
                "author": None,
            },
            "topics": [],
            "tags": [],
            "references": [],
        },
    )
    client.force_login(reviewer)
    page = client.get(article.get_preview_url()).content.decode()
    assert "Changed advice." in page and "Live advice." not in page
    assert "waiting for medical review" in page
    assert "Medically reviewed by" not in page
    # Readers still get the live text.
    live = client.get(article.get_absolute_url()).content.decode()
    assert "Live advice." in live and "Changed advice." not in live
