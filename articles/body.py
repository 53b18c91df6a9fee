"""The article body as readers get it: numbered citations, heading anchors, a
table of contents, a reading-time estimate, the first use of each glossary
term linked to its definition; and, for the admin's list, its reading grade
(articles.reading_level).

It runs when an article or its references are saved, and its output is stored
on the article (``stored_parts``), so that a page view renders nothing. It
makes one pass over the body with Python's own HTML parser. The stored body
has already been through articles.sanitize (SanitizedHTMLField cleans it on
every write). Even so, the body is rebuilt from allowlisted tags and attributes
only, and every text and attribute value is escaped again, so nothing added
here can open a hole.
"""

import json
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from articles.glossary.linking import EMPTY as EMPTY_GLOSSARY
from articles.reading_level import reading_grade
from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from articles.site import absolute_url
from articles.structured_data import citation, defined_term

# Bump whenever what is stored changes (this module or the templates it
# renders): articles stored by an older version are rendered afresh on each
# view until `manage.py rebuild_bodies` (run by `migrate`) stores them again.
RENDERING = 2

WORDS_PER_MINUTE = 200
# Two headings are easy to scan by eye; from three on, a list of them helps.
TOC_MIN_HEADINGS = 3
# nh3 adds rel="noopener noreferrer" to every link, outside the allowlist.
KEPT_ATTRIBUTES = ALLOWED_ATTRIBUTES | {"a": ALLOWED_ATTRIBUTES["a"] | {"rel"}}
VOID_TAGS = {"br"}
# Tags that sit inside a word ("<em>re</em>lapse") rather than between words.
INLINE_TAGS = {"a", "strong", "em"}
# Ids the article page gives its own elements; a heading must not take them.
PAGE_IDS = {
    "main",
    "contents-heading",
    "references-heading",
    "related-heading",
    "terms-heading",
}
PAGE_ID_PATTERN = re.compile(r"(ref-\d|cite-\d|term-)")
# A glossary term is never linked inside these: a heading is a label, not
# prose, and a link inside a link is no link at all.
NO_TERM_TAGS = {"h2", "h3", "h4", "a"}


@dataclass(frozen=True)
class Heading:
    id: str
    text: str


@dataclass(frozen=True)
class Citation:
    """One place in the text that cites a reference, and the way back to it."""

    id: str
    number: int
    place: int
    places: int

    @property
    def back_text(self):
        # Several places: "↩a ↩b", as readers know it from Wikipedia.
        return "↩" if self.places == 1 else f"↩{chr(ord('a') + self.place - 1)}"

    @property
    def back_label(self):
        label = f"Back to citation {self.number} in the text"
        if self.places > 1:
            label += f", place {self.place} of {self.places}"
        return label


@dataclass(frozen=True)
class ReferenceEntry:
    number: int
    reference: object
    citations: tuple[Citation, ...]
    # The reference's link (articles.models.Link) when it is broken: readers
    # are told, with the day it was last checked.
    broken_link: object = None


@dataclass(frozen=True)
class ReaderBody:
    html: SafeString
    headings: tuple[Heading, ...]
    references: tuple[ReferenceEntry, ...]
    words: int
    # The glossary terms linked, in the order the text first uses them.
    terms: tuple = ()

    @property
    def reading_minutes(self):
        """At about 200 words a minute, rounded; never "0 min read"."""
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def toc(self):
        """The headings to list as contents; none for a short article."""
        return self.headings if len(self.headings) >= TOC_MIN_HEADINGS else ()


def normalize_url(url):
    """What decides where an address leads, for telling two addresses apart.

    Editors paste the same source as "http://www.example.org/a/" in one place
    and "https://example.org/a#results" in another: the scheme, "www.", a default
    port, a trailing slash and the fragment are all ignored. None for anything
    that is not a web address.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if port in {80, 443}:
        port = None
    host = parts.hostname.removeprefix("www.")
    return (host, port, parts.path.rstrip("/"), parts.query)


def reference_numbers(references):
    """Map each reference's normalized addresses to its number in the list.

    A link to the reference's DOI or PubMed page cites it as much as a link to
    its own address. When two references share an address, the first wins.
    """
    numbers = {}
    for number, reference in enumerate(references, start=1):
        for url in (reference.url, reference.doi_url, reference.pubmed_url):
            key = normalize_url(url) if url else None
            if key is not None:
                numbers.setdefault(key, number)
    return numbers


def heading_id(text, taken):
    slug = slugify(text) or "section"
    if slug in PAGE_IDS or PAGE_ID_PATTERN.match(slug):
        slug = f"section-{slug}"
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def start_tag(tag, attrs, extra=(), base_url=None):
    kept = KEPT_ATTRIBUTES.get(tag, set())
    parts = [tag]
    for name, value in [*((n, v) for n, v in attrs if n in kept), *extra]:
        if base_url is not None and name == "href" and value is not None:
            value = urljoin(base_url, value.strip())
        parts.append(name if value is None else f'{name}="{escape(value)}"')
    return f"<{' '.join(parts)}>"


def broken_link_note(link):
    """Said after a link in the text that the link checker found broken, as
    the references list says it of a source: readers are never sent to a dead
    page without a word."""
    day = timezone.localdate(link.checked_at)
    return format_html(
        ' <span class="link-check">(This link did not work when last checked on '
        '<time datetime="{}">{}</time>.)</span>',
        day.isoformat(),
        date_format(day, "DATE_FORMAT"),
    )


class _BodyBuilder(HTMLParser):
    def __init__(self, numbers, base_url=None, glossary=EMPTY_GLOSSARY, broken=None):
        super().__init__(convert_charrefs=True)
        self.numbers = numbers
        self.base_url = base_url
        self.glossary = glossary
        self.broken = broken or {}  # address -> broken Link, for links in the text
        self.broken_link = None  # the Link while inside a link to it
        self.terms = {}  # slug -> term, for each term linked so far
        self.no_terms = 0  # depth inside headings and links
        self.out = []
        self.text = []
        self.headings = []
        self.heading_ids = set()
        self.citations = {}  # reference number -> citation ids, in text order
        self.heading = None  # (index in out, text parts) while inside an h2
        self.citing = None  # reference number while inside a link that cites one

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE_TAGS:
            self.text.append(" ")
        if tag not in ALLOWED_TAGS:
            return
        if tag in NO_TERM_TAGS:
            self.no_terms += 1
        if tag == "h2" and self.heading is None:
            self.heading = (len(self.out), [])
        if tag == "a" and self.citing is None:
            href = dict(attrs).get("href") or ""
            self.citing = self.numbers.get(normalize_url(href))
            if self.citing is None:
                # A citation's note is in the references list.
                self.broken_link = self.broken.get(href)
        self.out.append(start_tag(tag, attrs, base_url=self.base_url))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in INLINE_TAGS:
            self.text.append(" ")
        if tag not in ALLOWED_TAGS or tag in VOID_TAGS:
            return
        if tag in NO_TERM_TAGS and self.no_terms:
            self.no_terms -= 1
        self.out.append(f"</{tag}>")
        if tag == "a" and self.citing is not None:
            self.out.append(self.citation_mark(self.citing))
            self.citing = None
        if tag == "a" and self.broken_link is not None:
            self.out.append(broken_link_note(self.broken_link))
            self.broken_link = None
        if tag == "h2" and self.heading is not None:
            index, parts = self.heading
            text = " ".join("".join(parts).split())
            anchor = heading_id(text, self.heading_ids)
            if self.base_url is None:
                self.out[index] = start_tag("h2", [], extra=[("id", anchor)])
            self.headings.append(Heading(anchor, text))
            self.heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self.heading is not None:
            self.heading[1].append(data)
        if self.no_terms:
            self.out.append(escape(data, quote=False))
            return
        end = 0
        for start, stop, term in self.glossary.find(data):
            if term.slug in self.terms:
                continue
            self.terms[term.slug] = term
            self.out.append(escape(data[end:start], quote=False))
            self.out.append(self.term_link(term, data[start:stop]))
            end = stop
        self.out.append(escape(data[end:], quote=False))

    def term_link(self, term, text):
        """The first use of a term, linked to its definition: on the page, the
        entry under "Words explained", which a screen reader also reads out as
        the link's description; in a feed, the term's own page."""
        if self.base_url is not None:
            href = escape(urljoin(self.base_url, term.url))
            return f'<a href="{href}">{escape(text, quote=False)}</a>'
        slug = escape(term.slug)
        return (
            f'<a class="term" href="#term-{slug}" id="term-{slug}-use" '
            f'aria-describedby="term-{slug}-definition">'
            f"{escape(text, quote=False)}</a>"
        )

    def citation_mark(self, number):
        ids = self.citations.setdefault(number, [])
        ids.append(f"cite-{number}-{len(ids) + 1}")
        if self.base_url is None:
            link = f'href="#ref-{number}" id="{ids[-1]}"'
        else:
            link = f'href="{escape(urljoin(self.base_url, f"#ref-{number}"))}"'
        # The label makes a screen reader say "reference 2", not a bare "2".
        return (
            f'<sup class="cite"><a {link} '
            f'aria-label="Reference {number}">{number}</a></sup>'
        )


def render_body(
    html, references, base_url=None, glossary=EMPTY_GLOSSARY, broken_links=None
):
    """The reader's version of a sanitized body, with its references in order.

    `references` must be in the order the references list shows them: a
    citation's number is the position of its reference there. Every place that
    cites a reference gets its own id, and the reference entry links back to
    each of them.

    With `base_url`, the article's own address, the body is for reading away
    from the article page, as in a feed item: every address is resolved
    against it ("#ref-2" becomes the reference on the article page), and no
    element has an id, since a reader that shows many items on one page would
    get one "ref-1" from each of them.

    ``glossary`` (articles.glossary.linking.Glossary) holds the terms whose
    first use is linked. ``broken_links`` maps the addresses the link checker
    found broken to their Link: a reference to one says so in the list, a link
    in the text right after it.
    """
    references = list(references)
    builder = _BodyBuilder(
        reference_numbers(references), base_url, glossary, broken_links
    )
    builder.feed(html or "")
    builder.close()
    entries = []
    for number, reference in enumerate(references, start=1):
        ids = builder.citations.get(number, [])
        citations = tuple(
            Citation(id=cite_id, number=number, place=place, places=len(ids))
            for place, cite_id in enumerate(ids, start=1)
        )
        broken = (broken_links or {}).get(reference.url)
        entries.append(ReferenceEntry(number, reference, citations, broken))
    return ReaderBody(
        html=mark_safe("".join(builder.out)),  # Built from escaped parts above.
        headings=tuple(builder.headings),
        references=tuple(entries),
        words=len("".join(builder.text).split()),
        terms=tuple(builder.terms.values()),
    )


def stored_parts(article, references, glossary=EMPTY_GLOSSARY, broken_links=None):
    """What an article stores of its rendered body, as field values.

    ``references`` in list order; ``broken_links`` maps the addresses the
    link checker found broken to their Link. The feed's version is rendered against the
    article's address on SITE_URL, which is stored with it (``feed_base_url``).
    """
    references = list(references)
    page = render_body(
        article.body, references, glossary=glossary, broken_links=broken_links
    )
    feed_base_url = absolute_url(article.get_absolute_url())
    feed = render_body(
        article.body,
        references,
        base_url=feed_base_url,
        glossary=glossary,
        broken_links=broken_links,
    )
    return {
        "body_html": page.html,
        "headings_json": json.dumps([[h.id, h.text] for h in page.headings]),
        "reading_minutes": page.reading_minutes,
        "references_html": render_to_string(
            "articles/_references.html", {"article_body": page}
        ),
        "citations_json": json.dumps([citation(r) for r in references]),
        "terms_html": render_to_string("articles/_terms.html", {"terms": page.terms}),
        "defined_terms_json": json.dumps([defined_term(t) for t in page.terms]),
        "feed_html": render_to_string("articles/_feed_body.html", {"body": feed}),
        "feed_base_url": feed_base_url,
        "reading_grade": reading_grade(article.body),
        "body_rendering": RENDERING,
    }


STORED_FIELDS = (
    "body_html",
    "headings_json",
    "reading_minutes",
    "references_html",
    "citations_json",
    "terms_html",
    "defined_terms_json",
    "feed_html",
    "feed_base_url",
    "reading_grade",
    "body_rendering",
)


@dataclass(frozen=True)
class StoredBody:
    """The stored parts of an article page, as its templates use them."""

    html: SafeString
    headings: tuple
    reading_minutes: int
    references_html: SafeString
    terms_html: SafeString = mark_safe("")

    @property
    def toc(self):
        return self.headings if len(self.headings) >= TOC_MIN_HEADINGS else ()

    @classmethod
    def of(cls, article):
        return cls(
            html=mark_safe(article.body_html),  # Rendered by render_body.
            headings=tuple(
                Heading(*pair) for pair in json.loads(article.headings_json or "[]")
            ),
            reading_minutes=article.reading_minutes,
            references_html=mark_safe(article.references_html),  # A template's.
            terms_html=mark_safe(article.terms_html),  # A template's.
        )
