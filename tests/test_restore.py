"""Restoring old versions and deleted articles, attacked as a hostile author
would: through History, with the restore form's own POSTs."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import (
    MedicalReview,
    PendingChange,
    Reference,
    SlugRedirect,
    Status,
    Topic,
)
from tests.admin_form import form_data

LIVE_BODY = "<p>Reviewed advice about relapse.</p>"


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


def first_draft_then(status, writer, reviewer, make_article, make_reference):
    """An article the writer drafted, then moved on to ``status`` with the
    reviewed text; its first version is the draft."""
    with reversion.create_revision():
        article = make_article(
            status=Status.DRAFT,
            published_at=None,
            created_by=writer,
            author=writer.author_profile,
            body="<p>A first draft.</p>",
        )
        make_reference(article)
    article.status, article.body = status, LIVE_BODY
    if status == Status.PUBLISHED:
        article.published_at = None  # save() stamps it now.
    with reversion.create_revision():
        article.save()
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    return article


@pytest.mark.parametrize(
    "status", [Status.PUBLISHED, Status.APPROVED, Status.IN_REVIEW]
)
def test_an_author_cannot_restore_a_draft_over_their_submitted_article(
    client, writer, reviewer, make_article, make_reference, status
):
    article = first_draft_then(status, writer, reviewer, make_article, make_reference)
    draft = Version.objects.get_for_object(article).order_by("pk").first()
    restore = url("revision", article.pk, draft.pk)
    client.force_login(writer)

    assert client.get(restore).status_code == 403
    data = form_data(client, url("change", article.pk)) or {}
    response = client.post(
        restore,
        data | {"title": "Changed by the author", "body": "<p>Unreviewed.</p>"},
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.status, article.body) == (status, LIVE_BODY)
    assert not article.transitions.exists()
    assert not PendingChange.objects.exists()


def test_an_author_restores_their_own_draft_and_it_is_logged(
    client, writer, make_article
):
    with reversion.create_revision():
        article = make_article(
            status=Status.DRAFT, published_at=None, created_by=writer, title="Old"
        )
    old = Version.objects.get_for_object(article).get()
    article.title = "New"
    with reversion.create_revision():
        article.save()
    client.force_login(writer)
    restore = url("revision", article.pk, old.pk)
    response = client.post(restore, form_data(client, restore))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Old"
    assert article.transitions.get().move == "restore"


def test_a_version_of_another_object_cannot_be_restored_through_an_article(
    client, writer, make_article, make_reference
):
    """A reference's version whose id matches the author's article must not
    revert the other article it belongs to."""
    victim = make_article(title="Someone else's live article")
    with reversion.create_revision():
        reference = make_reference(victim, pk=9001, title="Original source")
    reference.title = "Changed source"
    with reversion.create_revision():
        reference.save()
    own = make_article(
        pk=9001, status=Status.DRAFT, published_at=None, created_by=writer
    )
    old = Version.objects.get_for_object(reference).order_by("pk").first()
    client.force_login(writer)
    restore = url("revision", own.pk, old.pk)
    response = client.post(restore, form_data(client, url("change", own.pk)))
    assert response.status_code == 404
    reference.refresh_from_db()
    assert reference.title == "Changed source"


def test_recover_takes_only_a_deleted_article(client, editor, make_article):
    article = make_article()
    with reversion.create_revision():
        article.save()
    live_version = Version.objects.get_for_object(article).get()
    client.force_login(editor)
    response = client.get(url("recover", live_version.pk))
    assert response.status_code == 404


def test_an_editors_restore_of_a_live_medical_article_waits_for_review(
    client, editor, writer, reviewer, make_article, make_reference
):
    article = first_draft_then(
        Status.PUBLISHED, writer, reviewer, make_article, make_reference
    )
    draft = Version.objects.get_for_object(article).order_by("pk").first()
    restore = url("revision", article.pk, draft.pk)
    client.force_login(editor)
    data = form_data(client, restore) | {"change_note": "Went back to the draft"}
    response = client.post(restore, data)

    assert response.status_code == 302
    article.refresh_from_db()
    # Readers keep the reviewed text, under its review line.
    assert article.body == LIVE_BODY and article.is_published()
    assert "Reviewed advice" in client.get(article.get_absolute_url()).content.decode()
    change = article.pending_change
    assert change.state == PendingChange.State.IN_REVIEW
    assert change.content["fields"]["body"] == "<p>A first draft.</p>"
    assert article.transitions.get().move == "restore"
    # The revert's own writes were undone: references are as they were.
    assert Reference.objects.filter(article=article).count() == 1


def test_restoring_keeps_the_address_readers_had(
    client, editor, make_article, make_reference
):
    with reversion.create_revision():
        article = make_article(slug="first-address", is_medical=False)
    first = Version.objects.get_for_object(article).get()
    article.slug = "second-address"
    with reversion.create_revision():
        article.save()
    assert SlugRedirect.objects.filter(old_slug="first-address").exists()
    client.force_login(editor)
    restore = url("revision", article.pk, first.pk)
    client.post(restore, form_data(client, restore))

    article.refresh_from_db()
    assert article.slug == "first-address"
    # The address it leaves, already in feeds, still leads here.
    response = client.get("/articles/second-address/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/first-address/"
    assert client.get("/articles/first-address/").status_code == 200


def test_a_version_naming_a_deleted_topic_is_refused_not_a_500(
    client, editor, make_article
):
    article = make_article(is_medical=False)
    gone = Topic.objects.create(name="Gone", slug="gone")
    article.topics.add(gone)
    with reversion.create_revision():
        article.save()
    old = Version.objects.get_for_object(article).get()
    article.title = "Newer"
    with reversion.create_revision():
        article.save()
    gone.delete()
    client.force_login(editor)
    restore = url("revision", article.pk, old.pk)
    response = client.post(restore, {}, follow=True)
    assert response.status_code == 200
    assert "names a topic deleted since" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Newer"
