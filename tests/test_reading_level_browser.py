"""The reading level in a real Chromium: measured as the editor types, with
the warning shown while the body reads above the target."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, PlainerWord
from tests.conftest import signed_in_page
from tests.test_reading_level import (
    GRADE_12,
    GRADE_12_EASE,
    GRADE_12_GRADE,
    PLAIN,
    PLAIN_EASE,
    PLAIN_GRADE,
)
from tests.test_reading_level_admin import WARNING

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.browser
def test_a_grade_12_paragraph_typed_into_the_body_gets_the_warning(
    live_server, browser, make_article
):
    get_user_model().objects.create_superuser("editor", "ed@example.com", PASSWORD)
    PlainerWord.objects.update_or_create(word="utilise", defaults={"plainer": "use"})
    article = make_article(body="")
    page = signed_in_page(browser, live_server, "editor", PASSWORD)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    panel = page.locator(".field-body #id_body_reading_level")
    summary = panel.locator("[data-reading=summary]")
    warning = panel.get_by_role("status")
    expect(summary).to_have_text("no text to measure yet.")
    expect(warning).to_be_hidden()

    editor.click()
    page.keyboard.type(GRADE_12)
    expect(summary).to_have_text(
        f"grade {GRADE_12_GRADE}; reading ease {GRADE_12_EASE} "
        "(0–100, higher is easier)."
    )
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(WARNING)
    expect(panel).to_contain_text("Target: grade 8 or below.")

    # Plain words take the warning away as the editor types them.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(PLAIN)
    expect(summary).to_have_text(
        f"grade {PLAIN_GRADE}; reading ease {PLAIN_EASE} (0–100, higher is easier)."
    )
    expect(warning).to_be_hidden()
    page.keyboard.type(" Nurses utilise it.")
    expect(panel.locator("[data-reading=plainer] li")).to_have_text(["“utilise” → use"])

    # Saved above the target: a warning, and the article is saved all the same.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(GRADE_12)
    expect(warning).to_be_visible()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("ul.messagelist li.warning")).to_contain_text(
        f"it reads at grade {GRADE_12_GRADE}, above the target of grade 8"
    )
    expect(warning).to_be_visible()
    assert Article.objects.get(pk=article.pk).reading_grade == GRADE_12_GRADE
    assert errors == []
    page.context.close()
