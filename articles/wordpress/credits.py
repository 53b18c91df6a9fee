"""The credit line of a post ("Featured image: Depositphotos / pressmaster"),
taken out of the body to become its image's credit."""

import re

from articles.wordpress.body import plain_text

PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
# A line that says whose picture it is and nothing else.
CREDIT_LINE = re.compile(
    r"^(?:"
    r"(?:featured|header|cover|top|hero|lead)?\s*"
    r"(?:image|photo|picture|photograph|illustration|graphic|pic)s?"
    r"(?:\s+credits?)?\s*(?:by|:|–|—|-)\s*"
    r"|credits?\s*:\s*"
    r"|(?:image|photo|picture)\s+(?:courtesy\s+of|via|from)\s+"
    r")(?P<credit>\S.{0,190}?)\s*\.?$",
    re.IGNORECASE,
)


def find_credit_line(html):
    """(credit, body without the line), or (None, body) when there is none.

    Only a paragraph of its own counts, and the last one if there are several:
    credit lines come at the end of WordPress posts.
    """
    found = None
    for match in PARAGRAPH.finditer(html):
        text = plain_text(match[1])
        if credit := CREDIT_LINE.match(text):
            found = (credit["credit"].strip(), match)
    if found is None:
        return None, html
    credit, match = found
    return credit, (html[: match.start()] + html[match.end() :]).strip()
