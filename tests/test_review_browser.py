"""The medical review, followed in real browsers by an author, a reviewer and an
editor, with the workflow's emails delivered to a real SMTP server."""

from datetime import UTC, datetime

import pytest
import reversion
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import MedicalReview, Status
from tests.conftest import signed_in_page
from tests.mail_server import smtp_server

pytestmark = pytest.mark.browser

LIVE = "Most people are offered maintenance treatment."
CHANGED = "Since 2026, nearly everyone is offered maintenance treatment."


@pytest.fixture
def inbox(settings):
    with smtp_server() as (handler, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield handler


@pytest.fixture
def people(make_user):
    return {
        "writer": make_user("Authors", credentials="Health writer", email="w@ex.org"),
        "reviewer": make_user(
            "Medical reviewers", credentials="MD, haematologist", email="r@ex.org"
        ),
        "editor": make_user("Editors", credentials="Editor", email="e@ex.org"),
    }


def sign_in(browser, live_server, user):
    return signed_in_page(browser, live_server, user.username, "pw")


def admin(live_server, article, view="change"):
    return f"{live_server.url}/admin/articles/article/{article.pk}/{view}/"


def review(page, decision, comment=""):
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name=decision, exact=True).click()


def test_sent_back_with_a_comment_then_approved(
    live_server, browser, people, inbox, make_article, make_reference
):
    writer, reviewer = people["writer"], people["reviewer"]
    article = make_article(
        status=Status.DRAFT,
        published_at=None,
        created_by=writer,
        author=writer.author_profile,
    )
    make_reference(article)
    author_page = sign_in(browser, live_server, writer)
    author_page.goto(admin(live_server, article))
    author_page.get_by_role("button", name="Save and submit for review").click()
    expect(author_page.locator("ul.messagelist li.success").last).to_contain_text(
        "is now in review"
    )
    assert author_page.url == admin(live_server, article)
    inbox.wait_for("For medical review")

    reviewer_page = sign_in(browser, live_server, reviewer)
    reviewer_page.goto(admin(live_server, article, "review"))
    review(reviewer_page, "Send back", "Say which trial the numbers come from.")
    expect(reviewer_page.locator("ul.messagelist li.success")).to_contain_text(
        "sent back"
    )
    recipients, message = inbox.wait_for("Sent back")
    assert recipients == ["w@ex.org"]
    assert "Say which trial the numbers come from." in message.get_payload()

    author_page.goto(f"{live_server.url}/admin/articles/article/")
    expect(author_page.locator("#result_list")).to_contain_text("Sent back")
    author_page.goto(admin(live_server, article))
    expect(author_page.locator(".workflow-sent-back")).to_contain_text(
        "Say which trial the numbers come from."
    )
    author_page.get_by_role("button", name="Save and submit for review").click()
    expect(author_page.locator("ul.messagelist li.success").last).to_contain_text(
        "is now in review"
    )

    reviewer_page.goto(admin(live_server, article, "review"))
    review(reviewer_page, "Approve", "Sources checked.")
    expect(reviewer_page.locator("ul.messagelist li.success")).to_contain_text(
        "approved"
    )
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    assert article.medical_reviews.get().reviewer == reviewer.author_profile
    recipients, _ = inbox.wait_for("Approved")
    assert sorted(recipients) == ["e@ex.org", "w@ex.org"]


def test_a_reviewer_cannot_approve_their_own_article(
    live_server, browser, people, make_article, make_reference
):
    reviewer = people["reviewer"]
    article = make_article(
        status=Status.IN_REVIEW,
        published_at=None,
        created_by=reviewer,
        author=reviewer.author_profile,
    )
    make_reference(article)
    page = sign_in(browser, live_server, reviewer)
    page.goto(admin(live_server, article, "review"))
    expect(page.locator(".messagelist .warning")).to_contain_text(
        "Nobody reviews their own article"
    )
    review(page, "Approve")
    expect(page.locator(".errornote")).to_contain_text(
        "Nobody reviews their own article"
    )
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    assert not MedicalReview.objects.exists()


def test_a_medical_change_waits_while_readers_keep_the_reviewed_text(
    live_server, browser, people, inbox, make_article, make_reference
):
    editor, reviewer = people["editor"], people["reviewer"]
    article = make_article(
        title="Maintenance after transplant",
        body=f"<p>{LIVE}</p>",
        author=people["writer"].author_profile,
        published_at=datetime(2025, 3, 5, 9, 30, tzinfo=UTC),
    )
    make_reference(article)
    MedicalReview.objects.create(
        article=article,
        reviewer=reviewer.author_profile,
        reviewed_on="2025-03-01",
        next_review_on="2026-03-01",
    )
    reader = browser.new_page()

    def reader_sees(text, reviewed):
        reader.goto(f"{live_server.url}{article.get_absolute_url()}")
        expect(reader.locator(".article-body")).to_have_text(text)
        expect(reader.locator("[data-review-line]")).to_contain_text(reviewed)

    editor_page = sign_in(browser, live_server, editor)
    editor_page.goto(admin(live_server, article))
    body = editor_page.locator(".field-body .ProseMirror[contenteditable=true]")
    body.click()
    editor_page.keyboard.press("Control+a")
    editor_page.keyboard.type(CHANGED)
    editor_page.get_by_label("This changes the medical content").check()
    editor_page.get_by_label("What changed, for readers").fill(
        "Maintenance is now offered more widely"
    )
    editor_page.locator("input[name=_save]").click()
    expect(editor_page.locator("ul.messagelist li.success")).to_contain_text(
        "waiting for medical review"
    )
    expect(editor_page.locator(".workflow-pending")).to_contain_text(
        "A change is in review"
    )
    reader_sees(LIVE, "1 March 2025")
    inbox.wait_for("For medical review")

    reviewer_page = sign_in(browser, live_server, reviewer)
    reviewer_page.goto(admin(live_server, article, "review"))
    with reviewer_page.expect_popup() as preview:
        reviewer_page.get_by_role("link", name="Read the changed article").click()
    expect(preview.value.locator(".article-body")).to_have_text(CHANGED)
    reviewer_page.get_by_label("Reviewed on").fill("2026-11-30")
    review(reviewer_page, "Approve")
    expect(reviewer_page.locator("ul.messagelist li.success")).to_contain_text(
        "the change was approved"
    )
    # Approved is not yet published: still the reviewed text and its review.
    reader_sees(LIVE, "1 March 2025")

    editor_page.goto(admin(live_server, article))
    editor_page.get_by_role("button", name="Publish the change").click()
    expect(editor_page.locator("ul.messagelist li.success")).to_contain_text(
        "was published"
    )
    reader_sees(CHANGED, "30 November 2026")
    expect(reader.locator(".change-notes")).to_contain_text(
        "Maintenance is now offered more widely"
    )


def test_a_restore_keeps_the_address_already_in_feeds(
    live_server, browser, people, make_article
):
    with reversion.create_revision():
        article = make_article(slug="relapse-basics", is_medical=False)
    first = Version.objects.get_for_object(article).get()
    article.slug = "relapse-the-basics"
    with reversion.create_revision():
        article.save()
    page = sign_in(browser, live_server, people["editor"])
    page.goto(admin(live_server, article, "history"))
    page.locator(f'a[href$="/history/{first.pk}/"]').click()
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()

    for address in ("relapse-the-basics", "relapse-basics"):
        page.goto(f"{live_server.url}/articles/{address}/")
        assert page.url == f"{live_server.url}/articles/relapse-basics/"
        expect(page.locator("h1")).to_have_text(article.title)
