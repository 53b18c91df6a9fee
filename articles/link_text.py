"""Finds links whose text says nothing on its own (WCAG 2.4.4, Link Purpose).

Screen-reader users often pull up a list of a page's links, or tab from one to
the next, and hear only the link text: "click here" or a long address tells
them nothing about where the link goes.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Compared after lowercasing and dropping punctuation: "Click here!" counts.
VAGUE_TEXTS = {
    "",
    "click",
    "click here",
    "click this link",
    "find out more",
    "here",
    "learn more",
    "link",
    "more",
    "more info",
    "more information",
    "read more",
    "see here",
    "this",
    "this link",
    "this page",
}
# Text that is itself an address: "https://…", "www.…" or "cancer.gov/…".
BARE_URL = re.compile(
    r"(https?://|www\.)\S+|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?",
    re.IGNORECASE,
)
NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def is_vague(text):
    text = text.strip()
    if BARE_URL.fullmatch(text):
        return True
    return NOT_A_WORD.sub(" ", text.lower()).strip() in VAGUE_TEXTS


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.open = None  # (href, text parts) while inside a link

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.open is None:
            self.open = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag):
        if tag == "a" and self.open is not None:
            href, parts = self.open
            self.links.append(Link(" ".join("".join(parts).split()), href))
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open[1].append(data)


def vague_links(html):
    """The links in `html` whose text does not describe where they go."""
    collector = _LinkCollector()
    collector.feed(html or "")
    collector.close()
    return [link for link in collector.links if is_vague(link.text)]


def vague_links_message(links):
    named = "; ".join(f"“{link.text or '(no text)'}” ({link.href})" for link in links)
    return (
        f"The article was saved, but some link text does not say where the link "
        f"goes: {named}. People using screen readers often jump from link to link "
        "and hear only the link text, so it should make sense on its own (WCAG "
        "2.4.4, Link Purpose). Describe the destination instead, e.g. “the MMRF "
        "guide to relapse” rather than “click here”."
    )
