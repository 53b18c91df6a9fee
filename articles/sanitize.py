"""The HTML allowlists: article bodies, exactly what the editor can produce,
and glossary definitions, which are shorter still."""

import re

import nh3

# Mirrors EDITOR_EXTENSIONS in articles/fields.py: paragraphs, h2-h4, bold,
# italic, links, lists, blockquote and line breaks.
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _drop_empty_attributes(tag, attribute, value):
    # The editor's link dialog leaves title="" behind on every link.
    return value if value.strip() else None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_drop_empty_attributes,
)
_EMPTY_PARAGRAPH = re.compile(r"^<(?P<tag>\w+)></(?P=tag)>$")


# A glossary definition is a sentence or two read inside an article's text:
# emphasis at most, no links, headings or lists.
DEFINITION_TAGS = {"p", "strong", "em"}
_definition_cleaner = nh3.Cleaner(
    tags=DEFINITION_TAGS, attributes={}, url_schemes=set(), strip_comments=True
)


def clean_html(html):
    """Return the body HTML with everything outside the allowlist removed."""
    cleaned = _cleaner.clean(html or "").strip()
    # The editor always leaves one empty paragraph behind; store that as empty.
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned


def clean_definition(html):
    """Return a glossary definition with everything but paragraphs and emphasis
    removed."""
    cleaned = _definition_cleaner.clean(html or "").strip()
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned
