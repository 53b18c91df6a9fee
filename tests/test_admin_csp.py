"""The admin under its Content-Security-Policy.

Everything an editor uses is driven in a real Chromium, and the test fails on
any CSP violation the browser reports, whether or not the page still looks
right: a blocked stylesheet or script is not always visible.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article, Tag
from tests.conftest import signed_in_page
from tests.editor_keys import press

USERNAME = "editor"
PASSWORD = "correct-horse-battery-staple"
LINK_URL = "https://www.myeloma.org.uk/"
# Runs in every page and pop-up before the page's own scripts.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI}` +
    ` (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def directives(policy):
    return {
        name: values
        for name, _, values in (
            part.strip().partition(" ") for part in policy.split(";")
        )
    }


def test_admin_pages_get_a_csp_with_a_fresh_nonce(admin_client):
    url = reverse("admin:articles_article_add")
    first, second = admin_client.get(url), admin_client.get(url)
    scripts = directives(first["Content-Security-Policy"])["script-src"]
    assert "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts
    [nonce] = re.findall(r"'nonce-([^']+)'", scripts)
    assert nonce not in second["Content-Security-Policy"]
    # The body editor's inline import map carries the nonce of its response.
    assert f'<script type="importmap" nonce="{nonce}">' in first.content.decode()


def test_the_sign_in_page_has_the_admin_csp(client, db):
    response = client.get(reverse("admin:login"))
    assert "'nonce-" in response["Content-Security-Policy"]


@pytest.fixture
def violations():
    """A list, and a function that makes it collect every CSP violation and
    script error in the pages of a browser context."""
    found = []

    def watch(context):
        context.add_init_script(REPORT_VIOLATIONS)
        context.on(
            "console",
            lambda message: (
                found.append(message.text)
                if "Content Security Policy" in message.text
                or message.text.startswith("CSP violation")
                else None
            ),
        )
        context.on("weberror", lambda error: found.append(f"error: {error.error}"))

    return found, watch


def make_jpeg(path):
    PILImage.new("RGB", (1200, 675), (30, 110, 140)).save(path, "JPEG")
    return path


@pytest.mark.browser
def test_the_article_form_works_under_the_csp(
    live_server, browser, violations, author, tmp_path
):
    get_user_model().objects.create_superuser(USERNAME, "ed@example.com", PASSWORD)
    Tag.objects.create(name="Follow-up care", slug="follow-up-care")
    found, watch = violations
    page = signed_in_page(browser, live_server, USERNAME, PASSWORD)
    watch(page.context)

    response = page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert "'nonce-" in response.headers["content-security-policy"]
    page.locator("#id_title").press_sequentially("Bortezomib at relapse")
    # The admin's prepopulate script.
    expect(page.locator("#id_slug")).to_have_value("bortezomib-at-relapse")
    page.locator("#id_summary").fill("What to expect from bortezomib.")

    # The body editor: type one word in bold, then link two others.
    body = page.locator(".field-body")
    editor = body.locator(".ProseMirror[contenteditable=true]")
    bold = body.get_by_role("button", name="bold")
    editor.click()
    bold.click()
    page.keyboard.type("Bortezomib")
    bold.click()
    page.keyboard.type(" works for many people.")
    expect(editor.locator("strong")).to_have_text("Bortezomib")
    press(page, editor, "ArrowLeft")
    press(page, editor, "Shift+ArrowLeft", len("many people"))
    page.wait_for_function("() => getSelection().toString() === 'many people'")
    body.get_by_role("button", name="insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(LINK_URL)
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_be_hidden()
    expect(editor.get_by_role("link", name="many people")).to_have_attribute(
        "href", LINK_URL
    )

    # The image chooser: upload through the "+" pop-up, then the thumbnail.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_featured_image").click()
    popup = popup_info.value
    popup.locator("#id_file").set_input_files(make_jpeg(tmp_path / "clinic.jpg"))
    popup.locator("#id_alt_text").fill("A nurse talks with a patient")
    popup.locator("#id_credit").fill("Depositphotos / pressmaster")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    preview = page.locator(".field-featured_image img.image-chooser-preview")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )

    # The calendar and clock beside the publish time.
    page.locator("#calendarlink0").click()
    calendar = page.locator("#calendarbox0")
    expect(calendar).to_be_visible()
    calendar.locator("td a", has_text=re.compile(r"^15$")).click()
    expect(page.locator("#id_published_at_0")).to_have_value(re.compile(r"^15/"))
    page.locator("#clocklink0").click()
    page.locator("#clockbox0").get_by_role("link", name="Noon").click()
    expect(page.locator("#id_published_at_1")).to_have_value("12:00:00")

    # Tags: the select2 autocomplete, which asks the admin as one types.
    page.locator(".field-tags .select2-selection").click()
    page.locator(".select2-search__field").fill("Follow")
    page.locator(".select2-results__option", has_text="Follow-up care").click()
    expect(page.locator("#id_tags option:checked")).to_have_text("Follow-up care")

    # The references inline adds a form.
    page.get_by_role("button", name="Add another Reference").click()
    expect(page.locator("#id_references-0-title")).to_be_visible()
    page.locator("#id_references-0-title").fill("Bortezomib in relapsed myeloma")
    page.locator("#id_references-0-publisher").fill("Blood")
    page.locator("#id_references-0-url").fill("https://ashpublications.org/blood/1")

    page.locator("#id_author").select_option(label=str(author))
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        "was added successfully"
    )

    article = Article.objects.get(slug="bortezomib-at-relapse")
    assert "<strong>Bortezomib</strong>" in article.body
    assert re.search(
        rf'<a href="{re.escape(LINK_URL)}"[^>]*>many people</a>', article.body
    )
    assert article.featured_image.alt_text == "A nurse talks with a patient"
    assert [tag.name for tag in article.tags.all()] == ["Follow-up care"]
    published = timezone.localtime(article.published_at)
    assert (published.day, published.hour) == (15, 12)

    # The saved form: the editor shows what was saved, and the collapsed
    # History fieldset opens.
    expect(editor.locator("strong")).to_have_text("Bortezomib")
    history = page.locator("fieldset.collapse summary", has_text="History")
    history.click()
    expect(page.locator(".field-created_at")).to_be_visible()

    # The list, the image library's page of the upload, sign-out and sign-in.
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator("#result_list")).to_contain_text("Bortezomib at relapse")
    image = article.featured_image
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=page.get_by_role("img", name=image.alt_text).element_handle(),
    )
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_label("Username")).to_be_visible()

    assert found == []
    page.context.close()
