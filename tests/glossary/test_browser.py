"""A reader meets a glossary term in a real browser: the first "remission"
is a link to its definition, the second is not, and the definition is read
in place with the keyboard alone, no script."""

import pytest

from articles.glossary.models import Term

pytestmark = pytest.mark.browser


def test_the_first_remission_links_to_its_definition_and_the_second_does_not(
    live_server, browser, make_article
):
    from playwright.sync_api import expect

    Term.objects.create(
        term="Remission",
        slug="remission",
        definition="<p>A time when the signs of cancer have gone away.</p>",
    )
    article = make_article(
        body="<p>Many people reach remission.</p><p>A remission can last years.</p>"
    )
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator(".article-body")
    expect(body.get_by_role("link")).to_have_count(1)
    link = body.get_by_role("link", name="remission")
    # What a screen reader announces with the link.
    expect(link).to_have_accessible_description(
        "A time when the signs of cancer have gone away."
    )
    expect(body.locator("p").nth(1)).to_have_text("A remission can last years.")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        f"{live_server.url}{article.get_absolute_url()}#term-remission"
    )
    definition = page.locator("#term-remission-definition")
    expect(definition).to_be_in_viewport()
    page.get_by_role("link", name="Back to “Remission” in the text").press("Enter")
    expect(link).to_be_in_viewport()
    context.close()
