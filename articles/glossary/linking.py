"""Which words of a text are glossary terms.

Matching is by whole word and ignores case: "Remission" and "remission" are
the same term, "remissions" is a term only if it is listed as one of the
term's other forms, and "premission" never is. A hyphen counts as part of a
word, so "CAR-T" is one and "myeloma-related" does not contain "myeloma".
Where two forms overlap ("stem cell" and "stem cell transplant"), the longer
one wins.

This module knows nothing of HTML: articles.body decides which text may be
linked (not headings, links or citations) and builds the links.
"""

import re
from dataclasses import dataclass

# Letters, digits and hyphens make up a word.
WORD_BOUNDARY_BEFORE = r"(?<![\w-])"
WORD_BOUNDARY_AFTER = r"(?![\w-])"


@dataclass(frozen=True)
class GlossaryTerm:
    """What an article needs of a term to link and define it."""

    name: str
    slug: str
    url: str
    definition_html: str
    definition_text: str


class Glossary:
    """A set of terms, compiled once into one pattern that finds any of them.

    ``terms`` are (GlossaryTerm, forms) pairs, forms being every way of
    writing the term; a form two terms share belongs to the first.
    """

    def __init__(self, terms):
        self.by_form = {}
        for term, forms in terms:
            for form in forms:
                self.by_form.setdefault(form.lower(), term)
        alternatives = "|".join(
            r"\s+".join(re.escape(word) for word in form.split())
            for form in sorted(self.by_form, key=len, reverse=True)
        )
        self.pattern = (
            re.compile(
                f"{WORD_BOUNDARY_BEFORE}(?:{alternatives}){WORD_BOUNDARY_AFTER}",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    def find(self, text):
        """(start, end, term) for each place in ``text`` that uses a term."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            form = " ".join(match.group().split()).lower()
            # None only where lowercasing and the pattern's case rules differ
            # (a few letters outside English): then the words stay unlinked.
            if (term := self.by_form.get(form)) is not None:
                yield match.start(), match.end(), term


EMPTY = Glossary(())
