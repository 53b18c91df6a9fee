"""What an import did, item by item, and its summary."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class VagueLink:
    post_id: str
    title: str
    text: str
    url: str


@dataclass
class Report:
    dry_run: bool = False
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    redirects: int = 0
    images: int = 0
    topics: int = 0
    tags: int = 0
    authors: int = 0
    other_types: Counter = field(default_factory=Counter)
    vague_links: list = field(default_factory=list)
    # (WordPress id, sentence): items skipped, and what was changed or left out.
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def problem(self, post_id, message):
        self.problems.append((post_id, message))

    def note(self, post_id, message):
        self.notes.append((post_id, message))

    def as_json(self):
        """What the admin shows of an import, kept on its row."""
        return {
            "dry_run": self.dry_run,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "redirects": self.redirects,
            "images": self.images,
            "vague_links": [
                {"post_id": v.post_id, "title": v.title, "text": v.text, "url": v.url}
                for v in self.vague_links
            ],
            "lines": self.lines(),
        }

    def summary(self):
        would = "would be " if self.dry_run else ""
        lines = [
            f"Posts {would}imported: {self.imported}",
            f"Posts {would}updated: {self.updated}",
            f"Posts unchanged: {self.unchanged}",
            f"Posts skipped: {self.skipped}",
            f"Old addresses {would}redirected: {self.redirects}",
            f"Images {would}imported: {self.images}",
            f"Topics, tags and authors {would}added: "
            f"{self.topics}, {self.tags}, {self.authors}",
            f"Vague links found: {len(self.vague_links)}",
        ]
        if self.other_types:
            kinds = ", ".join(
                f"{n} {kind}" for kind, n in sorted(self.other_types.items())
            )
            lines.append(f"Not posts, left out: {kinds}")
        return lines

    def lines(self):
        """The whole report as text lines: problems, notes, vague links, then
        the summary."""
        out = []
        if self.problems:
            out.append("Skipped or incomplete:")
            out += [
                f"  WordPress id {pid}: {message}" for pid, message in self.problems
            ]
        if self.notes:
            out.append("Changed on the way in:")
            out += [f"  WordPress id {pid}: {message}" for pid, message in self.notes]
        if self.vague_links:
            out.append("Vague links (reword them so they say where they go):")
            out += [
                f"  WordPress id {link.post_id} “{link.title}”: “{link.text}” → {link.url}"
                for link in self.vague_links
            ]
        out.append("Summary:")
        out += [f"  {line}" for line in self.summary()]
        return out
