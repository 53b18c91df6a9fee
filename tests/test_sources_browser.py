"""An editor follows the link checker's verdicts in a real browser: a source
that fails on day after day turns broken, and a moved one is updated."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Reference, Status
from tests.conftest import signed_in_page

pytestmark = pytest.mark.browser


def test_an_editor_sees_a_source_break_and_takes_a_moved_one_s_new_address(
    live_server, browser, editor, make_article, make_reference, link_server, clock
):
    article = make_article(
        title="Treatment at first relapse", status=Status.DRAFT, published_at=None
    )
    link_server.answers["/trial"] = (500, None)
    failing = make_reference(article, url=link_server.url("/trial"), position=1)
    moved = make_reference(article, url=link_server.url("/moved"), position=2)
    call_command("check_references")

    page = signed_in_page(browser, live_server, editor.username, "pw")
    form = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(form)
    first, second = page.locator("#references-0"), page.locator("#references-1")
    expect(first.locator(".fieldBox.field-link_status")).to_contain_text(
        "Failed lately (HTTP 500; last checked 1 January 2030; failed 1 time"
    )
    expect(second.locator(".fieldBox.field-link_status")).to_contain_text(
        "Moved (HTTP 200"
    )
    expect(second.locator(".fieldBox.field-link_status")).to_contain_text(
        f"Now at {link_server.url('/ok')}"
    )

    for _ in range(2):
        clock.shift(timedelta(days=1))
        call_command("check_references")
    page.reload()
    expect(first.locator(".fieldBox.field-link_status")).to_contain_text(
        "Broken (HTTP 500; last checked 3 January 2030; failed 3 times since "
        "1 January 2030; last worked never)"
    )
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.get_by_role("row", name="Treatment at first relapse")).to_contain_text(
        "1 broken 1 moved"
    )

    page.goto(form)
    second.get_by_label("Use the new address").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#id_references-1-url")).to_have_value(link_server.url("/ok"))
    assert Reference.objects.get(pk=moved.pk).url == link_server.url("/ok")
    assert Reference.objects.get(pk=failing.pk).url == link_server.url("/trial")
