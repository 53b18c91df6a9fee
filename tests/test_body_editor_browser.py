"""The body editor in a real Chromium: vague links marked as the editor types,
and links that end where editors expect when they type over or after them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.link_text import is_vague
from articles.models import Article
from tests.conftest import signed_in_page
from tests.editor_keys import press, wait_for_settled_selection
from tests.test_link_text import DESCRIPTIVE, RATES, RELAPSE_BODY, REVIEW, VAGUE

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
    # ProseMirror finishes handling a click a moment after it, and a press that
    # lands before then is lost; what a person would do is select again.
    for _ in range(3):
        link.click(position={"x": 1, "y": link.bounding_box()["height"] / 2})
        press(page, editor, "Shift+ArrowRight", len(text))
        if page.evaluate("getSelection().toString()") == text:
            return
    assert page.evaluate("getSelection().toString()") == text


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        "was changed successfully"
    )


@pytest.mark.browser
def test_clicking_here_links_are_marked_in_the_editor_and_listed_beside_it(
    open_article, make_article
):
    page, editor = open_article(make_article(body=RELAPSE_BODY))
    warning = page.locator(".field-body #id_body_vague_links")
    expect(editor.locator(".vague-link")).to_have_text(
        ["clicking here", "by clicking here"]
    )
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_text(
        [f"“clicking here” ({RATES})", f"“by clicking here” ({REVIEW})"]
    )

    # Rewording a link takes its mark and its entry away as the editor types.
    select_link_text(page, editor, "clicking here")
    page.keyboard.type("the relapse figures from Cancer Research UK")
    expect(editor.locator(".vague-link")).to_have_text(["by clicking here"])
    expect(warning.locator("li")).to_have_text([f"“by clicking here” ({REVIEW})"])
    select_link_text(page, editor, "by clicking here")
    page.keyboard.type("in the 2024 review in Blood")
    expect(editor.locator(".vague-link")).to_have_count(0)
    expect(warning).to_be_hidden()

    # Vague again, and saved: the page after the save lists it beside the body.
    select_link_text(page, editor, "in the 2024 review in Blood")
    page.keyboard.type("here")
    save_and_continue(page)
    expect(editor.locator(".vague-link")).to_have_text(["here"])
    expect(warning.locator("li")).to_have_text([f"“here” ({REVIEW})"])
    body = Article.objects.get().body
    assert re.search(
        rf'by <a href="{RATES}"[^>]*>the relapse figures from Cancer Research UK</a>\.',
        body,
    )
    assert re.search(rf'found <a href="{REVIEW}"[^>]*>here</a>\.', body)


@pytest.mark.browser
def test_the_editor_applies_the_servers_rules(open_article, make_article):
    page, editor = open_article(make_article())
    expect(editor).to_be_visible()
    texts = [*VAGUE, *DESCRIPTIVE, "here\u00a0and\u00a0there", "Clické here"]
    in_browser = page.evaluate(
        """async (texts) => {
            const textarea = document.querySelector("#id_body")
            const config = JSON.parse(textarea.dataset.djangoProseEditorConfigurable)
            const url = config.js_modules.find((u) => u.endsWith("/vague_links.js"))
            const { vagueTextTest } = await import(url)
            return texts.map(vagueTextTest(config.extensions.VagueLinks))
        }""",
        texts,
    )
    assert in_browser == [is_vague(text) for text in texts]
    assert in_browser[: len(VAGUE)] == [True] * len(VAGUE)
    assert not any(in_browser[len(VAGUE) : len(VAGUE) + len(DESCRIPTIVE)])


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
    press(page, editor, "Shift+ArrowLeft", len(text))
    page.locator(".field-body").get_by_role("button", name="insert link").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(MMRF)
    dialog.get_by_role("button", name="Update").click()
    expect(dialog).to_be_hidden()
    link = editor.get_by_role("link", name=text, exact=True)
    expect(link).to_have_attribute("href", MMRF)

    editor.press("ArrowRight")
    wait_for_settled_selection(page, editor)
    page.keyboard.type(". Ask your team")
    expect(link).to_have_text(text)
    save_and_continue(page)
    assert re.fullmatch(
        rf'<p>Read <a href="{MMRF}"[^>]*>{text}</a>\. Ask your team</p>',
        Article.objects.get().body,
    )


@pytest.mark.browser
def test_screen_readers_hear_the_fields_name_in_the_editor(open_article, make_article):
    page, editor = open_article(make_article())
    expect(editor).to_have_accessible_name("Body:")
    editor.click()
    expect(page.locator(":focus")).to_have_accessible_name("Body:")
