"""Readable differences between two versions of an article, for editors.

Pure functions over plain data: strings, lists and dicts. The admin's compare
page (articles.admin.revisions) turns stored revisions into that data first.

Output is HTML built here from escaped text, so that only <ins> and <del>
(and nothing an editor typed) reach the page as markup.
"""

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Elements of the body that start a line of their own.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "div"}
# How a line shows what kind of block it came from.
PREFIXES = {"h2": "## ", "h3": "### ", "h4": "#### ", "li": "• "}
BARE_PREFIXES = {prefix.strip() for prefix in PREFIXES.values()}
# Below this share of words in common, a changed paragraph reads better as one
# removed and one added than as a mesh of <del> and <ins>.
MIN_SIMILARITY = 0.4
# Unchanged lines shown around each change; the rest fold into a gap.
CONTEXT = 1


@dataclass(frozen=True)
class Line:
    """One line of a body diff: kind is same, changed, added, removed or gap."""

    kind: str
    html: str = ""
    count: int = 0


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions.

    kind says how to show it: "text" (html: a word diff), "value" (old and
    new), "body" (lines), "names" (added and removed names) or "references".
    """

    label: str
    kind: str
    html: str = ""
    old: str = ""
    new: str = ""
    lines: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    references: list = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceChange:
    """A reference added, removed or changed (with its changed fields)."""

    kind: str
    title: str
    fields: list = field(default_factory=list)


class _LineParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.current = ""
        self.hrefs = []

    def flush(self):
        text = " ".join(self.current.split())
        if text and text not in BARE_PREFIXES:
            self.lines.append(text)
            self.current = ""

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
            # A paragraph inside a list item keeps the item's bullet.
            if not self.current.strip():
                self.current = PREFIXES.get(tag, self.current)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        # A changed link target is a change, though the words stay the same.
        if tag == "a" and self.hrefs and (href := self.hrefs.pop()):
            self.current += f" [{href}]"
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        self.current += data


def html_to_lines(html):
    """The body as lines of plain text: one per paragraph, heading or list item,
    headings marked with #, list items with •, and link targets in brackets."""
    parser = _LineParser()
    parser.feed(html or "")
    parser.close()
    parser.flush()
    return parser.lines


def _words(text):
    return re.findall(r"\s+|\w+|[^\w\s]", text)


def similarity(old, new):
    return difflib.SequenceMatcher(
        None, _words(old), _words(new), autojunk=False
    ).ratio()


def diff_words(old, new):
    """The new text with removed words in <del> and added ones in <ins>."""
    old_words, new_words = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if op == "equal":
            parts.append(escape(added))
            continue
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
    # Every part was escaped above.
    return mark_safe("".join(parts))


def _replaced(old_lines, new_lines):
    rows = []
    for old, new in zip(old_lines, new_lines, strict=False):
        # Words added to the end of a paragraph are an edit, however many.
        if old in new or new in old or similarity(old, new) >= MIN_SIMILARITY:
            rows.append(Line("changed", diff_words(old, new)))
        else:
            rows += [_removed(old), _added(new)]
    rows += [_removed(old) for old in old_lines[len(new_lines) :]]
    rows += [_added(new) for new in new_lines[len(old_lines) :]]
    return rows


def _removed(text):
    return Line("removed", format_html("<del>{}</del>", text))


def _added(text):
    return Line("added", format_html("<ins>{}</ins>", text))


def diff_lines(old_lines, new_lines, context=CONTEXT):
    """Line by line, with word diffs inside changed lines; long runs of unchanged
    lines fold into a "gap" line that says how many were left out. Empty when
    nothing changed."""
    if old_lines == new_lines:
        return []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows = []
    shown_up_to = 0
    for group in matcher.get_grouped_opcodes(context):
        if (start := group[0][1]) > shown_up_to:
            rows.append(Line("gap", count=start - shown_up_to))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows += [Line("same", escape(line)) for line in old_lines[i1:i2]]
            elif op == "delete":
                rows += [_removed(line) for line in old_lines[i1:i2]]
            elif op == "insert":
                rows += [_added(line) for line in new_lines[j1:j2]]
            else:
                rows += _replaced(old_lines[i1:i2], new_lines[j1:j2])
        shown_up_to = group[-1][2]
    if shown_up_to < len(old_lines):
        rows.append(Line("gap", count=len(old_lines) - shown_up_to))
    return rows


def diff_names(label, old, new):
    added = [name for name in new if name not in old]
    removed = [name for name in old if name not in new]
    if added or removed:
        return Change(label, "names", added=added, removed=removed)
    return None


def diff_references(old, new):
    """References keyed by id, each {"title": ..., "fields": {label: value}}."""
    changes = []
    for key, reference in new.items():
        if key not in old:
            changes.append(ReferenceChange("added", reference["title"]))
            continue
        before = old[key]["fields"]
        fields = [
            (label, before.get(label, ""), value)
            for label, value in reference["fields"].items()
            if before.get(label, "") != value
        ]
        if fields:
            changes.append(ReferenceChange("changed", reference["title"], fields))
    changes += [
        ReferenceChange("removed", reference["title"])
        for key, reference in old.items()
        if key not in new
    ]
    return changes


def diff_snapshots(old, new):
    """What changed from one article snapshot to another, in form order.

    A snapshot is a dict: "text" and "values" ({label: str}), "body" (HTML),
    "topics" and "tags" (names), "references" (see diff_references).
    """
    changes = []
    for label, value in new["text"].items():
        if (before := old["text"].get(label, "")) != value:
            changes.append(Change(label, "text", html=diff_words(before, value)))
    if lines := diff_lines(html_to_lines(old["body"]), html_to_lines(new["body"])):
        changes.append(Change("Body", "body", lines=lines))
    for label, value in new["values"].items():
        if (before := old["values"].get(label, "")) != value:
            changes.append(Change(label, "value", old=before, new=value))
    for key, label in (("topics", "Topics"), ("tags", "Tags")):
        if change := diff_names(label, old[key], new[key]):
            changes.append(change)
    if references := diff_references(old["references"], new["references"]):
        changes.append(Change("References", "references", references=references))
    return changes
