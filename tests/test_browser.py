"""The editor's path through the admin in a real Chromium, end to end.

Signs in, uploads a featured image through the "+" pop-up, writes the body in
the rich-text editor, adds two references, publishes, and reads the public page.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.images.models import Image
from articles.models import Article, Author, Topic
from tests.conftest import signed_in_page
from tests.editor_keys import press

USERNAME = "editor"
PASSWORD = "correct-horse-battery-staple"
TITLE = "Relapse after a stem cell transplant"
SLUG = "relapse-after-a-stem-cell-transplant"
ALT_TEXT = "A nurse and a patient talk in a clinic room"
CREDIT = "Depositphotos / pressmaster"
HEADING = "What happens at relapse"
LINK_TEXT = "the guide from the MMRF"
LINK_URL = "https://themmrf.org/"
LIST_ITEMS = ["Ask about clinical trials", "Bring a list of your medicines"]
DOI = "10.1182/blood.2020008805"
REFERENCES = [
    {
        "title": "Relapsed and refractory myeloma",
        "publisher": "Multiple Myeloma Research Foundation",
        "url": "https://themmrf.org/multiple-myeloma/relapsed/",
    },
    {
        "title": "Targeted therapy at relapse",
        "publisher": "Blood",
        "url": "https://ashpublications.org/blood/article/1",
        "doi": DOI,
    },
]


def make_jpeg(path):
    # The smallest a featured image may be.
    PILImage.new("RGB", (1200, 675), (30, 110, 140)).save(path, "JPEG")
    return path


@pytest.mark.browser
def test_editor_publishes_an_article_through_the_admin(live_server, browser, tmp_path):
    get_user_model().objects.create_superuser(USERNAME, "editor@example.com", PASSWORD)
    Topic.objects.create(name="Relapse", slug="relapse")
    Author.objects.create(name="Dana Whitfield", slug="dana-whitfield")
    photo = make_jpeg(tmp_path / "clinic.jpg")

    page = signed_in_page(browser, live_server, USERNAME, PASSWORD)
    context = page.context

    page.goto(f"{live_server.url}/admin/articles/article/add/")

    # Featured image: upload through the "+" pop-up, which selects the new image.
    with page.expect_popup() as popup_info:
        page.locator("#add_id_featured_image").click()
    popup = popup_info.value
    popup.locator("#id_file").set_input_files(photo)
    popup.locator("#id_alt_text").fill(ALT_TEXT)
    popup.locator("#id_credit").fill(CREDIT)
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()
    expect(page.locator("#id_featured_image option:checked")).to_have_text(ALT_TEXT)
    preview = page.locator(".field-featured_image img.image-chooser-preview")
    expect(preview).to_be_visible()
    # Django's own related-object links follow the selection too.
    expect(page.locator("#change_id_featured_image")).to_have_attribute(
        "href", re.compile(r"/admin/images/image/\d+/change/")
    )
    expect(preview).to_have_attribute("src", re.compile(r"/admin/images/image/\d+/"))
    # The thumbnail URL redirects to the upload's 400 px rendition; wait until the
    # picture has loaded.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 400", arg=preview.element_handle()
    )

    # Title, with the slug filled in by the admin's prepopulate script.
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.locator("#id_summary").fill(
        "What happens when myeloma comes back after a transplant."
    )

    # Body, typed into the editor with markdown-style shortcuts.
    body = page.locator(".field-body")
    editor = body.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type(f"## {HEADING}\n")
    page.keyboard.type(f"Read {LINK_TEXT} for details.\n")
    page.keyboard.type(f"- {LIST_ITEMS[0]}\n{LIST_ITEMS[1]}")
    expect(editor.locator("h2")).to_have_text(HEADING)
    expect(editor.locator("ul > li")).to_have_text(LIST_ITEMS)
    # Link last, so no typing races the editor restoring focus after the dialog:
    # go back to the paragraph, select the words, and use the toolbar's link button.
    press(page, editor, "Control+Home")
    press(page, editor, "ArrowDown")
    press(page, editor, "Home")
    press(page, editor, "ArrowRight", len("Read "))
    press(page, editor, "Shift+ArrowRight", len(LINK_TEXT))
    body.get_by_role("button", name="insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(LINK_URL)
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_be_hidden()
    link = editor.get_by_role("link", name=LINK_TEXT)
    expect(link).to_have_attribute("href", LINK_URL)
    expect(editor.locator("p").first).to_have_text(f"Read {LINK_TEXT} for details.")

    # References, in the inline.
    add_reference = page.get_by_role("button", name="Add another Reference")
    for index, reference in enumerate(REFERENCES):
        add_reference.click()
        for field, value in reference.items():
            page.locator(f"#id_references-{index}-{field}").fill(value)

    # Publish in the past, under a topic, as site news: a medical article
    # would need its medical review first.
    page.locator("#id_published_at_0").fill("2024-03-05")
    page.locator("#id_published_at_1").fill("09:30:00")
    page.locator("#id_author").select_option(label="Dana Whitfield")
    page.locator("#id_is_medical").uncheck()
    page.locator("#id_topics").get_by_label("Relapse").check()

    page.get_by_role("button", name="Save and publish").click()
    success = page.locator("ul.messagelist li.success")
    expect(success.filter(has_text="was added successfully")).to_have_text(
        f"The article “{TITLE}” was added successfully."
    )
    expect(success.filter(has_text="is now published")).to_have_count(1)

    article = Article.objects.get(slug=SLUG)
    assert article.featured_image == Image.objects.get(alt_text=ALT_TEXT)
    assert article.featured_image.uploaded_by.username == USERNAME
    assert article.references.count() == 2
    assert article.is_published()

    # The public page.
    page.goto(f"{live_server.url}/articles/{SLUG}/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".meta")).to_contain_text("Posted on 5 March 2024")
    expect(page.locator(".meta time")).to_have_attribute(
        "datetime", re.compile(r"^2024-03-05T09:30:00")
    )

    figure = page.locator("figure.featured-image")
    image = figure.get_by_role("img", name=ALT_TEXT)
    expect(image).to_be_visible()
    expect(image).to_have_attribute(
        "src", re.compile(r"^/media/renditions/[0-9a-f]{32}/1200w\.jpg$")
    )
    # Chromium takes the WebP source, and for a slot of at most 720 px the
    # smallest file wide enough: 800 px.
    page.wait_for_function(
        "img => img.complete && img.currentSrc.endsWith('/800w.webp')",
        arg=image.element_handle(),
    )
    credit = figure.locator(".credit")
    expect(credit).to_be_visible()
    expect(credit).to_have_text(f"Image: {CREDIT}")

    article_body = page.locator(".article-body")
    expect(article_body.get_by_role("heading", level=2)).to_have_text(HEADING)
    expect(article_body.get_by_role("link", name=LINK_TEXT)).to_have_attribute(
        "href", LINK_URL
    )
    expect(article_body.locator("ul > li")).to_have_text(LIST_ITEMS)

    references = page.get_by_role("region", name="References").locator("ol > li")
    expect(references).to_have_count(2)
    for item, reference in zip(references.all(), REFERENCES, strict=True):
        expect(item).to_contain_text(reference["publisher"])
        expect(item.get_by_role("link", name=reference["title"])).to_have_attribute(
            "href", reference["url"]
        )
    expect(references.nth(1).get_by_role("link", name=DOI)).to_have_attribute(
        "href", f"https://doi.org/{DOI}"
    )
    context.close()
