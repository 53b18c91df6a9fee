"""The reading experience: private, light, readable, printable."""

import re
from statistics import mean
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

STYLESHEET = settings.BASE_DIR / "static" / "site.css"

# Counts the characters on each rendered line of the first long paragraph.
CHARACTERS_PER_LINE = """() => {
  const paragraph = [...document.querySelectorAll('.article-body p')]
    .find(p => p.textContent.length > 300);
  const range = document.createRange();
  const lines = {};
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    for (let i = 0; i < text.length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) lines[Math.round(rect.top)] = (lines[Math.round(rect.top)] || 0) + 1;
    }
  }
  return Object.values(lines).slice(0, -1);
}"""


def test_stylesheet_stays_under_20_kb():
    assert STYLESHEET.stat().st_size < 20 * 1024


def test_reader_pages_run_no_script(client, reader_pages):
    for path in reader_pages.values():
        html = client.get(path).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all('type="application/ld+json"' in tag for tag in scripts), path


@pytest.mark.browser
def test_reading_stays_between_the_reader_and_the_site(
    live_server, browser, reader_pages
):
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    for path in reader_pages.values():
        page.goto(live_server.url + path)
    assert hosts == {urlsplit(live_server.url).netloc}
    assert context.cookies() == []
    context.close()


@pytest.mark.browser
def test_article_text_is_large_with_about_70_characters_a_line(
    live_server, browser, reader_pages
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reader_pages["article"])
    font_size = page.evaluate(
        "getComputedStyle(document.querySelector('.article-body p')).fontSize"
    )
    assert float(font_size.removesuffix("px")) >= 18
    assert 60 <= mean(page.evaluate(CHARACTERS_PER_LINE)) <= 80
    page.close()


@pytest.mark.browser
def test_print_shows_the_full_address_of_each_reference(
    live_server, browser, reader_pages
):
    page = browser.new_page()
    page.goto(live_server.url + reader_pages["article"])
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => [...document.querySelectorAll('.references li > a[href^="http"]')]
            .map(a => [a.href, getComputedStyle(a, '::after').content])"""
    )
    assert printed
    for href, after in printed:
        assert href in after
    page.close()


@pytest.mark.browser
def test_print_keeps_the_site_name_but_not_navigation_search_or_footer(
    live_server, browser, reader_pages
):
    page = browser.new_page()
    page.goto(live_server.url + reader_pages["article"])
    page.emulate_media(media="print")
    expect(page.locator(".site-name")).to_be_visible()
    expect(page.locator("h1")).to_be_visible()
    for selector in [".site-nav", ".site-search", ".site-footer", ".skip-link"]:
        expect(page.locator(selector)).to_be_hidden()
    page.close()


@pytest.mark.browser
def test_dark_theme_follows_the_system_setting(live_server, browser, reader_pages):
    colours = {}
    for scheme in ["light", "dark"]:
        page = browser.new_page(color_scheme=scheme)
        page.goto(live_server.url + reader_pages["article"])
        colours[scheme] = page.evaluate(
            "getComputedStyle(document.body).backgroundColor"
        )
        page.close()
    assert colours["light"] != colours["dark"]
