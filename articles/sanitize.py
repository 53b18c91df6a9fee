"""The one HTML allowlist for article bodies: exactly what the editor can produce."""

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


def clean_html(html):
    """Return the body HTML with everything outside the allowlist removed."""
    cleaned = _cleaner.clean(html or "").strip()
    # The editor always leaves one empty paragraph behind; store that as empty.
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned
