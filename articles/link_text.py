"""Finds links whose text says nothing on its own (WCAG 2.4.4, Link Purpose).

Screen-reader users often pull up a list of a page's links, or tab from one to
the next, and hear only the link text: "clicking here" or a long address tells
them nothing about where the link goes.

A link is vague when none of its words names anything: each is a pointer
("here", "this"), a call to act in any form ("click", "clicking"), a generic
noun ("link", "website", "study"), filler ("by", "please", "the") or a web
address. One word that names something is enough to pass: "the MMRF", "NHS",
"Read more about CAR-T therapy".

The body editor runs the same rules in the browser, so these lists and
patterns are the only copy: see browser_rules() and
static/articles/admin/vague_links.js.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Each verb with its inflections: editors write "by clicking here" as often as
# "click here".
CALLS_TO_ACT = """
    access accessed accesses accessing  check checked checking checks
    click clicked clicking clicks  continue continued continues continuing
    discover discovered discovering discovers  download downloaded downloading
    downloads  explore explored explores exploring  find finding finds found
    follow followed following follows  get gets getting got  go goes going gone
    went  know knowing  learn learned learning learns learnt  look looked
    looking looks  open opened opening opens  press pressed presses pressing
    read reading reads  see seeing seen sees saw  tap tapped tapping taps
    view viewed viewing views  visit visited visiting visits  watch watched
    watches watching
"""
POINTERS = """
    above below following here it its such that them there these they this
    those one ones
"""
# Nouns and adjectives that could name any destination: "the study" or "this
# website" does not say which.
GENERIC_NOUNS = """
    additional article articles detail details doc docs document documents
    extra file files full further guide guides info information item items
    journal journals latest link links more new official online original
    page pages paper papers pdf post posts recent report reports research
    resource resources site sites source sources studies study url urls video
    videos web webpage webpages website websites
"""
# "s" is what is left of "here's" and "it's" once the apostrophe splits them.
FILLER = """
    a about also an and any are as at be by can could for from how in is just
    me my now of on or our out please s simply so some the their to up us want
    we what when where which who why will with you your
"""
EMPTY_WORDS = frozenset((CALLS_TO_ACT + POINTERS + GENERIC_NOUNS + FILLER).split())

# A word is a run of anything but whitespace, punctuation and symbols (ASCII,
# Latin-1, general punctuation such as “ ” ’ – — …, arrows, and shapes such as
# ▶), written so that Python's re and JavaScript's RegExp read it alike.
WORD_PATTERN = (
    r"[^\s!-/:-@\[-`{-~\u00a1-\u00bf\u2010-\u205e\u2190-\u21ff\u25a0-\u25ff]+"
)
# A word-token that is itself an address: "https://…", "www.…" or
# "cancer.gov/…", perhaps in brackets or followed by a full stop.
ADDRESS_PATTERN = (
    r"[(\[<\"'“‘]*(?:(?:https?://|www\.)\S+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#:]\S*)?[)\]>\"'”’.,;:!?]*)"
)
WORD = re.compile(WORD_PATTERN)
# ASCII: with IGNORECASE alone, Python's [a-z] also takes "K" (Kelvin) and
# "ſ", which JavaScript's does not.
ADDRESS = re.compile(ADDRESS_PATTERN, re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def says_nothing(token):
    """One space-separated piece of link text that names nothing: a web
    address, or empty words only ("clicking", "here.", "click-here")."""
    if ADDRESS.fullmatch(token):
        return True
    return all(word.lower() in EMPTY_WORDS for word in WORD.findall(token))


def is_vague(text):
    return all(says_nothing(token) for token in text.split())


def browser_rules():
    """The rules above, for the editor's script: it applies them exactly as
    is_vague() and says_nothing() do."""
    return {
        "emptyWords": sorted(EMPTY_WORDS),
        "wordPattern": WORD_PATTERN,
        "addressPattern": ADDRESS_PATTERN,
    }


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.open = None  # (href, text parts) while inside a link

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self.open is None:
            self.open = (dict(attrs).get("href") or "", [])
        elif tag == "br" and self.open is not None:
            # A line break inside a link separates two words.
            self.open[1].append(" ")

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


ADVICE = (
    "People using screen readers often jump from link to link and hear only the "
    "link text, so it should make sense on its own (WCAG 2.4.4, Link Purpose). "
    "Describe the destination instead, e.g. “the MMRF guide to relapse” rather "
    "than “click here”."
)


def vague_links_message(links):
    named = "; ".join(f"“{link.text or '(no text)'}” ({link.href})" for link in links)
    return (
        f"The article was saved, but some link text does not say where the link "
        f"goes: {named}. {ADVICE}"
    )
