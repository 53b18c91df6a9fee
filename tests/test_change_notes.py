"""Substantive updates: a note for readers, the "Updated" date and the feeds'
updated date move together; a typo fix moves none of them."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.models import ChangeNote, Status
from tests.admin_form import change_url, errors_of, form_fields

NOTE = "Updated the treatment options after the 2026 approvals"


@pytest.fixture
def article(make_article):
    # Not medical, so a substantive update goes live at once; a medical one
    # waits for review first (tests/test_pending.py).
    return make_article(
        title="Treatment at relapse",
        published_at=datetime(2025, 3, 5, 9, 30, tzinfo=UTC),
        is_medical=False,
    )


def post_change(client, article, **changes):
    data = form_fields(client.get(change_url(article)).content.decode()) | changes
    return client.post(change_url(article), data)


def feed_entry(client, url):
    return feedparser.parse(client.get(url).content).entries[0]


def test_substantive_update_sets_the_date_and_adds_a_note(admin_client, article):
    before = timezone.now().replace(microsecond=0)
    response = post_change(
        admin_client,
        article,
        body="<p>Two new drugs were approved.</p>",
        is_substantive_change="on",
        change_note=NOTE,
    )
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.updated_at >= before
    note = ChangeNote.objects.get()
    assert (note.article, note.note, note.changed_at) == (
        article,
        NOTE,
        article.updated_at,
    )

    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert '<h2 id="change-notes-heading">What changed</h2>' in page
    stamp = article.updated_at.isoformat()
    assert f'<time datetime="{stamp}">' in page
    assert f"{article.updated_at:%-d %B %Y}</time>: {NOTE}" in page


def test_what_changed_lists_the_newest_first(client, article):
    article.change_notes.create(
        note="Added the 2025 guidance", changed_at=timezone.now() - timedelta(days=30)
    )
    article.change_notes.create(note=NOTE)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index(NOTE) < page.index("Added the 2025 guidance")


def test_substantive_update_moves_the_feeds_updated_date(admin_client, article):
    assert feed_entry(admin_client, "/feed/atom/").updated.startswith("2025-03-05")
    post_change(admin_client, article, is_substantive_change="on", change_note=NOTE)
    article.refresh_from_db()
    stamp = article.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert (
        feed_entry(admin_client, "/feed/atom/").updated_parsed[:6]
        == (article.updated_at.astimezone(UTC).timetuple()[:6])
    )
    json_item = admin_client.get("/feed.json").json()["items"][0]
    assert json_item["date_modified"].startswith(stamp)


def test_a_typo_fix_changes_no_date_note_or_feed(admin_client, article):
    atom_before = feed_entry(admin_client, "/feed/atom/").updated
    response = post_change(admin_client, article, title="Treatment at a relapse")
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.updated_at is None
    assert not ChangeNote.objects.exists()
    assert feed_entry(admin_client, "/feed/atom/").updated == atom_before
    assert (
        "What changed"
        not in admin_client.get(article.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"is_substantive_change": "on"}, "change_note", "Write one line"),
        ({"change_note": NOTE}, "change_note", "Tick “This changes"),
    ],
)
def test_the_box_and_the_note_go_together(
    admin_client, article, changes, field, message
):
    response = post_change(admin_client, article, **changes)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert not ChangeNote.objects.exists()


def test_a_never_published_article_cannot_be_marked_updated(admin_client, make_article):
    draft = make_article(status=Status.DRAFT, published_at=None)
    response = post_change(
        admin_client, draft, is_substantive_change="on", change_note=NOTE
    )
    errors = response.context["adminform"].form.errors
    assert "has not been published yet" in errors["is_substantive_change"][0]


def test_updated_date_is_not_typed_by_hand(admin_client, article):
    post_change(admin_client, article, updated_at_0="2026-01-01", updated_at_1="10:00")
    article.refresh_from_db()
    assert article.updated_at is None
