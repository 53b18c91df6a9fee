"""A change to the medical content of a live article waits for review: readers
keep the published text and the review line that describes it until the change
is approved and published."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import ChangeNote, MedicalReview, PendingChange, Status
from tests.admin_form import form_data, post_review

NOTE = "Added the 2026 guidance on maintenance treatment"
LIVE = "<p>Maintenance treatment is usually offered.</p>"
CHANGED = "<p>Maintenance treatment is now offered to most people.</p>"


def url(name, *args):
    return reverse(f"admin:articles_article_{name}", args=args)


@pytest.fixture
def live(make_article, make_reference, writer, reviewer):
    article = make_article(
        title="Maintenance after transplant",
        body=LIVE,
        author=writer.author_profile,
        created_by=writer,
        published_at=datetime(2025, 3, 5, 9, 30, tzinfo=UTC),
    )
    make_reference(article, title="Maintenance trials", position=1)
    MedicalReview.objects.create(
        article=article,
        reviewer=reviewer.author_profile,
        reviewed_on="2025-03-01",
        next_review_on="2026-03-01",
    )
    return article


def hold(client, article, **changes):
    data = form_data(client, url("change", article.pk))
    return client.post(
        url("change", article.pk),
        data
        | {"body": CHANGED, "is_substantive_change": "on", "change_note": NOTE}
        | changes,
    )


def reader_page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def test_a_medical_change_is_held_and_readers_keep_the_reviewed_text(
    client, editor, live, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = hold(client, live)
    assert response.status_code == 302
    assert response["Location"] == url("change", live.pk)

    live.refresh_from_db()
    assert live.body == LIVE and live.updated_at is None
    assert not ChangeNote.objects.exists()
    page = reader_page(client, live)
    assert "usually offered" in page and "most people" not in page
    assert "Medically reviewed by" in page and "1 March 2025" in page

    change = live.pending_change
    assert (change.state, change.note) == (PendingChange.State.IN_REVIEW, NOTE)
    assert change.content["fields"]["body"] == CHANGED
    assert live.transitions.get().move == "hold_change"
    assert [m.to for m in mail.outbox] == [["rev@example.org"]]
    # The editor keeps working on the change, not on the live text.
    form = client.get(url("change", live.pk)).content.decode()
    assert "most people" in form and "A change is in review" in form


def test_another_save_keeps_the_change_in_review(client, editor, live):
    client.force_login(editor)
    hold(client, live)
    data = form_data(client, url("change", live.pk))
    assert data["body"] == CHANGED
    response = client.post(url("change", live.pk), data | {"title": "New title"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Maintenance after transplant"
    assert live.pending_change.content["fields"]["title"] == "New title"
    assert live.pending_change.note == NOTE


def test_the_change_carries_its_references(client, editor, live):
    client.force_login(editor)
    data = form_data(client, url("change", live.pk))
    data |= {
        "references-0-title": "Maintenance trials, updated",
        "references-TOTAL_FORMS": "2",
        "references-1-title": "New guidance",
        "references-1-url": "https://example.org/guidance",
        "references-1-position": "2",
    }
    for name in ("change_note", "is_substantive_change"):
        data.pop(name, None)
    assert hold(client, live, **data).status_code == 302
    assert [r.title for r in live.references.all()] == ["Maintenance trials"]
    # Shown in the form as proposed: the kept one changed, the new one added.
    again = form_data(client, url("change", live.pk))
    assert again["references-0-title"] == "Maintenance trials, updated"
    assert again["references-1-title"] == "New guidance"
    assert again["references-INITIAL_FORMS"] == "1"


def test_approved_then_published_the_change_goes_live_with_its_review(
    client, editor, reviewer, live, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    hold(client, live)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_review(client, live, "approve", comment="Checked the guidance")
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.pending_change.state == PendingChange.State.APPROVED
    # Approved is not live: readers still see the old text and old review.
    assert "usually offered" in reader_page(client, live)
    assert live.medical_reviews.count() == 1
    approved_mail = [m for m in mail.outbox if m.subject.startswith("Approved")]
    assert approved_mail[0].to == ["ed@example.org"]  # The change's writer.

    client.force_login(editor)
    response = client.post(url("move", live.pk, "publish_change"))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.body == CHANGED
    assert not PendingChange.objects.filter(article=live).exists()
    assert live.updated_at is not None
    assert live.change_notes.get().note == NOTE
    page = reader_page(client, live)
    assert "most people" in page
    assert "30 November 2026" in page  # The review of the new text.
    assert [t.move for t in live.transitions.order_by("moved_at", "pk")] == [
        "hold_change",
        "approve_change",
        "publish_change",
    ]


def test_a_change_sent_back_tells_its_writer_and_stays_off_the_site(
    client, editor, reviewer, live, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    hold(client, live)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        post_review(client, live, "send_back", comment="Cite the trial, please.")
    live.refresh_from_db()
    assert live.pending_change.state == PendingChange.State.SENT_BACK
    sent_back = [m for m in mail.outbox if m.subject.startswith("Sent back")]
    assert sent_back[0].to == ["ed@example.org"]
    assert "Cite the trial, please." in sent_back[0].body
    client.force_login(editor)
    page = client.get(url("change", live.pk)).content.decode()
    assert "Cite the trial, please." in page
    # Saving it again sends it back to review.
    data = form_data(client, url("change", live.pk))
    client.post(url("change", live.pk), data)
    live.refresh_from_db()
    assert live.pending_change.state == PendingChange.State.IN_REVIEW


def test_a_change_cannot_be_published_before_it_is_approved(client, editor, live):
    client.force_login(editor)
    hold(client, live)
    client.post(url("move", live.pk, "publish_change"))
    live.refresh_from_db()
    assert live.body == LIVE
    assert live.pending_change.state == PendingChange.State.IN_REVIEW


def test_an_editor_discards_a_change(client, editor, live):
    client.force_login(editor)
    hold(client, live)
    client.post(url("move", live.pk, "discard_change"))
    live.refresh_from_db()
    assert live.body == LIVE
    assert not PendingChange.objects.exists()
    assert "usually offered" in client.get(url("change", live.pk)).content.decode()


def test_a_typo_fix_still_goes_live_at_once(client, editor, live):
    client.force_login(editor)
    data = form_data(client, url("change", live.pk))
    client.post(
        url("change", live.pk), data | {"title": "Maintenance after a transplant"}
    )
    live.refresh_from_db()
    assert live.title == "Maintenance after a transplant"
    assert not PendingChange.objects.exists()


def test_compare_shows_the_change_against_the_live_text(client, editor, live):
    client.force_login(editor)
    hold(client, live)
    page = client.get(url("compare", live.pk) + "?to=pending").content.decode()
    assert "<ins>now</ins>" in page or "<ins>" in page
    assert "usually" in page and "most people" in page


def test_a_reviewer_sees_the_change_in_the_list(client, editor, reviewer, live):
    client.force_login(editor)
    hold(client, live)
    client.force_login(reviewer)
    page = client.get(url("changelist")).content.decode()
    assert "Change in review" in page


def test_an_approved_article_edited_goes_back_to_review(
    client, editor, reviewer, make_article, make_reference
):
    article = make_article(status=Status.APPROVED, published_at=None, body=LIVE)
    make_reference(article)
    MedicalReview.objects.create(article=article, reviewer=reviewer.author_profile)
    client.force_login(editor)
    data = form_data(client, url("change", article.pk))
    client.post(url("change", article.pk), data | {"body": CHANGED})
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert article.transitions.get().move == "changed_after_approval"


def test_unpublishing_makes_the_waiting_change_the_articles_text(client, editor, live):
    client.force_login(editor)
    hold(client, live)
    client.post(url("move", live.pk, "unpublish"))
    live.refresh_from_db()
    assert live.status == Status.UNPUBLISHED
    assert live.body == CHANGED
    assert not PendingChange.objects.exists()
    assert client.get(live.get_absolute_url()).status_code == 404


def test_the_waiting_filter_lists_articles_and_changes_to_review(
    client, editor, reviewer, live, make_article
):
    in_review = make_article(status=Status.IN_REVIEW, published_at=None)
    client.force_login(editor)
    hold(client, live)
    client.force_login(reviewer)
    listed = client.get(url("changelist") + "?waiting=review").context["cl"].result_list
    assert set(listed) == {in_review, live}


def test_saving_an_approved_change_unaltered_keeps_its_approval(
    client, editor, reviewer, live
):
    client.force_login(editor)
    hold(client, live)
    client.force_login(reviewer)
    post_review(client, live, "approve")
    client.force_login(editor)
    data = form_data(client, url("change", live.pk))
    client.post(url("change", live.pk), data)
    live.refresh_from_db()
    assert live.pending_change.state == PendingChange.State.APPROVED
    client.post(url("change", live.pk), data | {"title": "Reworded"})
    live.refresh_from_db()
    assert live.pending_change.state == PendingChange.State.IN_REVIEW


def test_a_change_naming_something_deleted_since_is_refused_not_a_500(
    client, editor, reviewer, live, make_article
):
    client.force_login(editor)
    hold(client, live, slug="maintenance-now")
    client.force_login(reviewer)
    post_review(client, live, "approve")
    make_article(slug="maintenance-now")  # Someone takes the address meanwhile.
    client.force_login(editor)
    response = client.post(url("move", live.pk, "publish_change"), follow=True)
    assert response.status_code == 200
    assert "is taken by another one now" in response.content.decode()
    live.refresh_from_db()
    assert live.body == LIVE
    assert live.pending_change.state == PendingChange.State.APPROVED


def test_the_preview_survives_a_deleted_byline(client, editor, live, make_user):
    other = make_user("Authors", credentials="RN")
    client.force_login(editor)
    hold(client, live, author=other.author_profile.pk)
    other.author_profile.delete()
    assert client.get(live.get_preview_url()).status_code == 200
