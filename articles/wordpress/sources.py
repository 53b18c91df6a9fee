"""A post's sources: the links in its body to other sites, as references.

WordPress has no place for sources, so writers link them in the text ("Read
that by clicking here"). Each external link becomes a reference with its
address, a publisher found in its sentence (or else the site's name) and a
title from the link text, unless that text names nothing: then the link is
listed in the import report for an editor to reword.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from articles.link_text import is_vague

MAX_TITLE = 500
MAX_PUBLISHER = 200
# A name: capitalised words, with the small words names carry inside them
# ("Multiple Myeloma Research Foundation", "Institute of Cancer Research").
NAME = r"(?P<name>[A-Z][\w’'&.-]*(?:\s+(?:of|and|for|on|the|&|[A-Z][\w’'&.-]*))*)"
PUBLISHER_PATTERNS = [
    re.compile(
        r"\baccording to (?:the )?(?:(?:journal|website|site|magazine)\s+"
        rf"(?:of (?:the )?)?)?{NAME}"
    ),
    re.compile(
        r"\b(?:published|reported|posted) (?:in|by|on) (?:the )?"
        rf"(?:(?:journal|website|magazine)\s+)?{NAME}"
    ),
    re.compile(
        rf"\b(?:the )?{NAME}\s+(?:says|said|reports|reported|recommends|"
        r"explains|notes|states|found|suggests)\b"
    ),
    re.compile(rf"\b(?:from|by|at|on) the (?:journal |website of the )?{NAME}"),
]
SMALL_WORDS = {"of", "and", "for", "on", "the", "&"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Words that start a sentence without naming anything.
NOT_NAMES = {"Read", "The", "This", "That", "It", "In", "A", "An", "See", "Click"}


@dataclass
class Source:
    url: str
    title: str
    publisher: str
    link_text: str
    is_vague: bool


@dataclass
class _Link:
    href: str
    text: list = field(default_factory=list)
    # The paragraph's text up to the link's end, to find its sentence.
    context_end: int = 0


class _LinkReader(HTMLParser):
    BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (link, paragraph index)
        self.paragraphs = [[]]
        self.open = None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.paragraphs.append([])
        if tag == "a" and self.open is None:
            self.open = _Link(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag == "a" and self.open is not None:
            self.open.context_end = len("".join(self.paragraphs[-1]))
            self.links.append((self.open, len(self.paragraphs) - 1))
            self.open = None
        if tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data):
        self.paragraphs[-1].append(data)
        if self.open is not None:
            self.open.text.append(data)


def host_of(url):
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def is_external(url, own_hosts):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    return host_of(url) not in own_hosts


def publisher_in(text):
    """The organisation or journal a sentence names as the source, or ""."""
    for pattern in PUBLISHER_PATTERNS:
        for match in pattern.finditer(text):
            words = match["name"].split()
            while words and words[-1].lower() in SMALL_WORDS:
                words.pop()
            if words and words[0] not in NOT_NAMES:
                return " ".join(words).rstrip(".,;:")[:MAX_PUBLISHER]
    return ""


def sentence_around(paragraph, end):
    """The sentence that ends at or after ``end`` and the one before it."""
    sentences = SENTENCE_END.split(paragraph)
    position = 0
    for index, sentence in enumerate(sentences):
        position += len(sentence) + 1
        if position >= end:
            return sentence, sentences[index - 1] if index else ""
    return paragraph, ""


def find_sources(html, own_hosts=()):
    """The external links of a body as Sources, each address once, in order."""
    reader = _LinkReader()
    reader.feed(html)
    reader.close()
    own = {host.removeprefix("www.") for host in own_hosts}
    sources, seen = [], set()
    for link, paragraph_index in reader.links:
        url = link.href.strip()
        if not is_external(url, own) or url in seen:
            continue
        seen.add(url)
        text = " ".join("".join(link.text).split())
        paragraph = "".join(reader.paragraphs[paragraph_index])
        sentence, before = sentence_around(paragraph, link.context_end)
        publisher = publisher_in(sentence) or publisher_in(before) or host_of(url)
        vague = is_vague(text)
        title = publisher if vague else text
        sources.append(Source(url, title[:MAX_TITLE], publisher, text, vague))
    return sources
