"""The body editor in a real Chromium: links end where editors expect when
they type over or after them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import signed_in_page
from tests.test_link_text import RATES, REVIEW

PASSWORD = "correct-horse-battery-staple"
MMRF = "https://themmrf.org/multiple-myeloma/relapsed/"


@pytest.fixture
def open_article(live_server, browser):
    """Opens an article's admin page as an editor; returns the page and the
    editor's text area."""
    get_user_model().objects.create_superuser("editor", "ed@example.com", PASSWORD)
    page = signed_in_page(browser, live_server, "editor", PASSWORD)

    def open_(article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        page.goto(live_server.url + url)
        return page, page.locator(".field-body .ProseMirror[contenteditable=true]")

    yield open_
    page.context.close()


def select_link_text(page, editor, text):
    """Select a link's whole text as editors do: click just before its first
    letter, then Shift+→ to its end."""
    link = editor.get_by_role("link", name=text, exact=True)
    link.click(position={"x": 1, "y": link.bounding_box()["height"] / 2})
    for _ in text:
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("getSelection().toString()") == text


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        "was changed successfully"
    )


@pytest.mark.browser
def test_typing_over_a_links_text_makes_the_new_words_the_link(
    open_article, make_article
):
    page, editor = open_article(
        make_article(
            body=f'<p>For the survival figures, see <a href="{RATES}">this page</a> '
            "today.</p>"
            f'<p>The options are set out in <a href="{REVIEW}">this article</a></p>'
        )
    )
    select_link_text(page, editor, "this page")
    page.keyboard.type("the survival figures from Cancer Research UK")
    # Where the link ends the paragraph, a full stop typed last stays outside.
    select_link_text(page, editor, "this article")
    page.keyboard.type("a 2024 review of targeted drugs.")
    save_and_continue(page)

    body = Article.objects.get().body
    assert re.search(
        rf'see <a href="{RATES}"[^>]*>the survival figures from Cancer Research UK'
        r"</a> today\.</p>",
        body,
    )
    assert re.search(
        rf'in <a href="{REVIEW}"[^>]*>a 2024 review of targeted drugs</a>\.</p>',
        body,
    )


@pytest.mark.browser
def test_a_full_stop_typed_after_a_new_link_is_not_part_of_it(
    open_article, make_article
):
    page, editor = open_article(make_article(body=""))
    editor.click()
    text = "the relapse guide from the MMRF"
    page.keyboard.type(f"Read {text}")
    for _ in text:
        page.keyboard.press("Shift+ArrowLeft")
    page.locator(".field-body").get_by_role("button", name="insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(MMRF)
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_be_hidden()
    link = editor.get_by_role("link", name=text, exact=True)
    expect(link).to_have_attribute("href", MMRF)

    editor.press("ArrowRight")
    page.keyboard.type(". Ask your team")
    expect(link).to_have_text(text)
    save_and_continue(page)
    assert re.fullmatch(
        rf'<p>Read <a href="{MMRF}"[^>]*>{text}</a>\. Ask your team</p>',
        Article.objects.get().body,
    )
