"""Two editors in two real browsers save the same article: the second sees who
saved first, keeps their text, and can look at the other editor's change."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import signed_in_page

PASSWORD = "correct-horse-battery-staple"


def editor(username, first_name, last_name):
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.com", PASSWORD
    )
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


def signed_in_page_as(browser, live_server, username):
    return signed_in_page(browser, live_server, username, PASSWORD)


@pytest.mark.browser
def test_second_editor_is_told_who_saved_first(
    live_server, browser, make_article, make_reference
):
    editor("dana", "Dana", "Whitfield")
    editor("sam", "Sam", "Okafor")
    article = make_article(
        title="Tiredness after treatment",
        body="<p>Most people feel tired for a while.</p>",
    )
    make_reference(article, title="Fatigue in myeloma")
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    dana = signed_in_page_as(browser, live_server, "dana")
    sam = signed_in_page_as(browser, live_server, "sam")
    # A first save, so that the history has a version to compare from.
    dana.goto(change_url)
    dana.locator("input[name=_save]").click()
    expect(dana.locator("ul.messagelist li.success")).to_be_visible()
    dana.goto(change_url)
    sam.goto(change_url)

    dana.locator("#id_title").fill("Fatigue after treatment")
    dana.locator("input[name=_save]").click()
    expect(dana.locator("ul.messagelist li.success")).to_be_visible()

    editor_area = sam.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_area.click()
    sam.keyboard.press("Control+End")
    sam.keyboard.type(" Gentle exercise helps.")
    sam.locator("input[name=_save]").click()

    refusal = sam.locator("ul.errorlist.nonfield")
    expect(refusal).to_contain_text(
        "Dana Whitfield saved this article at", use_inner_text=True
    )
    expect(refusal).to_contain_text("Your text is kept below.")
    expect(editor_area).to_contain_text("Gentle exercise helps.")
    assert "Gentle exercise" not in Article.objects.get().body

    refusal.get_by_role("link", name="See what they changed").click()
    expect(sam.locator("h1")).to_have_text("Changes to “Fatigue after treatment”")
    expect(sam.locator(".change-text ins")).to_have_text("Fatigue")
    expect(sam.locator(".change-text del")).to_have_text("Tiredness")
