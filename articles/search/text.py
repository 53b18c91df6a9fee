"""Text helpers both search backends share: words, respelling, snippets.

Snippets end up in pages as HTML, and their text comes from article bodies,
so every piece of text is escaped here and the only markup added is <mark>.
"""

import html
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Words as the spelling suggestions know them: 3 to 40 letters, no digits.
WORD = re.compile(r"[^\W\d_]{3,40}")
# As articles_html_text in migration 0004: tags inside a line of text join
# what they split, the others separate words.
INLINE_TAG = re.compile(r"</?(?:a|strong|em)(?:\s[^>]*)?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
SPACES = re.compile(r"\s+")
# Markers PostgreSQL puts around matches in a headline: private-use characters,
# which no sanitized body or query is expected to contain.
START, STOP = "\ue000", "\ue001"
MARKERS = re.compile(f"({START}|{STOP})")
SNIPPET_CHARS = 240


def query_words(text):
    """The query's words that a spelling suggestion may replace, lowercased."""
    return [word for word in WORD.findall(text.lower()) if word != "or"]


def respell(text, corrections):
    """The query with each misspelled word replaced, the rest ("", -, or) kept."""
    return WORD.sub(
        lambda match: corrections.get(match.group().lower(), match.group()), text
    )


def plain_text(body_html):
    """A sanitized body as plain text: tags dropped, entities decoded."""
    text = TAG.sub(" ", INLINE_TAG.sub("", body_html or ""))
    return " ".join(html.unescape(text).split())


def marked_headline(headline):
    """A PostgreSQL headline (text with START/STOP markers) as safe HTML.

    The headline's text still carries the body's HTML entities: decode them,
    then escape everything, so that nothing in a body can become markup.
    """
    pieces, inside = [], False
    for piece in MARKERS.split(headline):
        if piece == START and not inside:
            pieces.append("<mark>")
            inside = True
        elif piece == STOP and inside:
            pieces.append("</mark>")
            inside = False
        elif piece not in (START, STOP):
            pieces.append(escape(html.unescape(piece)))
    if inside:
        pieces.append("</mark>")
    return mark_safe(SPACES.sub(" ", "".join(pieces)).strip())


def highlight(text, patterns):
    """An extract of plain text around the first match, matches in <mark>.

    patterns: compiled regular expressions, one per searched word or phrase.
    Without a match, the start of the text.
    """
    matches = sorted(
        (match.span() for pattern in patterns for match in pattern.finditer(text)),
        key=lambda span: (span[0], -span[1]),
    )
    first = matches[0][0] if matches else 0
    start = 0 if first < SNIPPET_CHARS // 3 else text.rfind(" ", 0, first - 60) + 1
    end = text.find(" ", start + SNIPPET_CHARS)
    end = len(text) if end == -1 else end
    pieces, position = [], start
    for begin, finish in matches:
        if begin < position or finish > end:
            continue  # Overlapping an earlier match, or outside the extract.
        pieces += [
            escape(text[position:begin]),
            f"<mark>{escape(text[begin:finish])}</mark>",
        ]
        position = finish
    pieces.append(escape(text[position:end]))
    extract = "".join(pieces)
    return mark_safe(
        f"{'… ' if start else ''}{extract}{' …' if end < len(text) else ''}"
    )
