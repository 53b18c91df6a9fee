"""How hard an article body is to read.

The Flesch–Kincaid grade (the US school grade a reader needs) and the Flesch
reading ease (0–100, higher is easier) come from textstat, which counts
syllables with the CMU pronouncing dictionary and Pyphen. Beside them: the
longest sentences, and the words that have a plainer alternative on the
editors' list (articles.models.PlainerWord).

The body is measured as readers read it: each paragraph, heading and list
item is a sentence of its own even without a full stop, so a heading does not
run on into the paragraph under it.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat
from django.conf import settings

# Elements whose end is the end of a sentence.
BLOCK_TAGS = {"p", "h2", "h3", "h4", "li", "blockquote"}
# textstat's own rule for a sentence (textstat.sentence_count), so that the
# sentences listed are the ones the grade counted.
SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
# A block ends a sentence already when it ends in one of these, perhaps
# inside a closing quote or bracket.
ENDS_A_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
# Plain-language guides (the NHS's, the Plain English Campaign's) ask for
# 15–20 words a sentence on average: a longer one is worth a second look.
LONG_SENTENCE_WORDS = 20
LONGEST_SHOWN = 3


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.parts = []

    def end_block(self):
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append(text if ENDS_A_SENTENCE.search(text) else f"{text}.")
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.end_block()
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.end_block()

    def handle_data(self, data):
        self.parts.append(data)


def text_blocks(html):
    """The body's text, one string per paragraph, heading or list item, each
    ending a sentence."""
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    collector.end_block()
    return collector.blocks


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass(frozen=True)
class PlainerMatch:
    word: str
    plainer: str
    count: int


@dataclass(frozen=True)
class ReadingLevel:
    grade: float | None
    reading_ease: float | None
    words: int
    long_sentences: tuple[Sentence, ...]
    plainer_words: tuple[PlainerMatch, ...]
    target: float

    @property
    def is_above_target(self):
        return self.grade is not None and self.grade > self.target

    def as_json(self):
        return {
            "grade": self.grade,
            "reading_ease": self.reading_ease,
            "words": self.words,
            "target": self.target,
            "is_above_target": self.is_above_target,
            "long_sentences": [
                {"text": s.text, "words": s.words} for s in self.long_sentences
            ],
            "plainer_words": [
                {"word": m.word, "plainer": m.plainer, "count": m.count}
                for m in self.plainer_words
            ],
        }


def target_grade():
    return settings.READING_GRADE_TARGET


def scores(text):
    """(grade, reading ease) of plain text, to one decimal; (None, None)
    when it has no words."""
    if not textstat.lexicon_count(text):
        return None, None
    return (
        round(textstat.flesch_kincaid_grade(text), 1),
        round(textstat.flesch_reading_ease(text), 1),
    )


def reading_grade(html):
    """The Flesch–Kincaid grade of a body, as the article stores it."""
    return scores(" ".join(text_blocks(html)))[0]


def long_sentences(blocks):
    """The longest sentences over LONG_SENTENCE_WORDS words, longest first."""
    sentences = [
        Sentence(match.group().strip(), textstat.lexicon_count(match.group()))
        for block in blocks
        for match in SENTENCE.finditer(block)
    ]
    long = [s for s in sentences if s.words > LONG_SENTENCE_WORDS]
    # sorted() keeps text order among sentences of one length.
    return tuple(sorted(long, key=lambda s: -s.words)[:LONGEST_SHOWN])


def word_pattern(word):
    """A word or phrase on the list, in any case, with its -s, -ed and -ing
    forms ("commence": "commences", "commenced", "commencing"; "modify":
    "modifies", "modified", "modifying")."""
    words = word.lower().split()
    if not words:
        return None
    *head, last = words
    if last.endswith("e"):
        last = re.escape(last[:-1]) + "(?:e|es|ed|ing)"
    elif re.search(r"[^aeiou]y$", last):
        last = re.escape(last[:-1]) + "(?:y|ies|ied|ying)"
    else:
        last = re.escape(last) + "(?:s|es|ed|ing)?"
    phrase = r"\s+".join([*(re.escape(w) for w in head), last])
    return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)


def plainer_words(text, alternatives):
    """Each listed word the text uses, with its plainer alternative and how
    often it is used, in the order the text first uses them."""
    found = []
    for word, plainer in alternatives:
        pattern = word_pattern(word)
        matches = list(pattern.finditer(text)) if pattern else []
        if matches:
            found.append(
                (matches[0].start(), PlainerMatch(word, plainer, len(matches)))
            )
    return tuple(match for _, match in sorted(found, key=lambda pair: pair[0]))


def measure(html, alternatives=()):
    """Everything the admin shows of a body's reading level; `alternatives`
    are (word, plainer) pairs."""
    blocks = text_blocks(html)
    text = " ".join(blocks)
    grade, ease = scores(text)
    return ReadingLevel(
        grade=grade,
        reading_ease=ease,
        words=textstat.lexicon_count(text) if text else 0,
        long_sentences=long_sentences(blocks),
        plainer_words=plainer_words(text, alternatives),
        target=target_grade(),
    )
