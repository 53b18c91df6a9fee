"""When a feed last changed, so that a poll that changed nothing gets a 304.

Feed readers poll every few minutes, most of them with If-None-Match or
If-Modified-Since. One query answers them without building the feed, and
costs about the same however many articles there are.

What it watches, and why:
- the newest ``modified_at`` of any article, published or not and in any
  topic: every save moves it, so an edit, an unpublish or an article leaving a
  topic all show, while a feed of one topic alone could not see the last two;
- the newest publish time and the ids of the articles the feed shows: a
  scheduled article goes live without any write, and its publish time is then
  newer than anything a reader was sent before, so neither the ETag nor
  Last-Modified can hide it;
- the newest expiry time (expire_at) already passed in the feed's scope: an
  article leaves the feed at that moment, again without any write, so it
  counts as a change then;
- the newest ``modified_at`` of any topic, tag, author and image: feeds carry
  their names, alt texts and credits, and renaming one changes no article;
- the newest medical review recorded: feeds show each article's latest, and a
  re-review of a live article saves nothing of the article;
- the next scheduled publish time and the next expiry time of a live
  article, which cap how long caches may keep the feed (Cache-Control max-age).

Deleting an article the feed shows changes those ids, so the ETag (one it
does not show changes nothing in it); a reader that sends only
If-Modified-Since sees the deletion with the next change. Editors unpublish
rather than delete, which moves ``modified_at``.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Subquery
from django.utils import timezone

from articles.images.models import Image
from articles.models import Article, Author, MedicalReview, Tag, Topic
from articles.models.nested import JSONList

# What feeds show of other models (names, alt texts, credits, the latest
# review), and the field that moves when that changes.
RELATED = {
    "topic": (Topic, "modified_at"),
    "tag": (Tag, "modified_at"),
    "author": (Author, "modified_at"),
    "image": (Image, "modified_at"),
    "review": (MedicalReview, "recorded_at"),
}

# The articles a feed shows, newest first.
FEED_LENGTH = 20
# Five minutes: as often as the keenest readers poll, and short enough that an
# edit reaches every cache within one poll.
MAX_AGE = 300
# Bump when what the feeds write changes shape, so that every ETag changes too.
FORMAT_VERSION = 4
# Last-Modified of a site that has never had an article.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Freshness:
    changed: datetime | None
    newest: datetime | None
    shown: tuple
    next_due: datetime | None
    now: datetime
    expired: datetime | None = None
    next_expiry: datetime | None = None
    related_changed: datetime | None = None

    @property
    def last_modified(self):
        moments = (self.changed, self.newest, self.expired, self.related_changed)
        return max((t for t in moments if t), default=NEVER)

    def etag(self, feed_path):
        """Strong: the same state always writes the same bytes at that address."""
        state = [FORMAT_VERSION, settings.SITE_URL, feed_path]
        state += [self.changed, self.newest, self.shown, self.expired]
        state += [self.related_changed]
        digest = hashlib.sha256(repr(state).encode()).hexdigest()
        return f'"{digest[:32]}"'

    @property
    def max_age(self):
        """Seconds a cache may keep the feed: never past the next publish or
        expiry time."""
        upcoming = [t for t in (self.next_due, self.next_expiry) if t]
        if not upcoming:
            return MAX_AGE
        seconds = int((min(upcoming) - self.now).total_seconds())
        return max(0, min(MAX_AGE, seconds))


def freshness(articles):
    """The state of a feed over ``articles`` (all articles of its scope, a
    queryset of any status), in one query.

    Each figure is a scalar subquery that an index answers, the newest or
    next row in time order, so the cost hardly grows with the number of
    articles; only the count of live articles reads one index entry each."""
    live = articles.published()
    # Taken after published() took its time, so max-age can only come out
    # shorter than the true time to the next publish, never longer.
    scheduled, expired = articles.scheduled(), articles.expired()
    now = timezone.now()
    figures = {
        "changed": first(Article.objects.all(), "-modified_at"),
        "newest": first(live, "-published_at"),
        "shown": JSONList(live.order_by("-published_at", "-pk")[:FEED_LENGTH], id="id"),
        "next_due": first(scheduled, "published_at"),
        "expired": first(expired, "-expire_at"),
        "next_expiry": first(live.filter(expire_at__isnull=False), "expire_at"),
        **{
            f"{name}_changed": first(model.objects.all(), f"-{field}")
            for name, (model, field) in RELATED.items()
        },
    }
    # Any one row to hang the subqueries on: each is worked out once.
    stats = Article.objects.order_by().annotate(**figures).values(
        *figures
    ).first() or dict.fromkeys(figures)
    stats["shown"] = tuple(item["id"] for item in stats["shown"] or ())
    related = [stats.pop(f"{name}_changed") for name in RELATED]
    return Freshness(
        now=now, related_changed=max((t for t in related if t), default=None), **stats
    )


def first(queryset, ordering):
    """The first ``ordering`` value of ``queryset``'s rows, as a scalar
    subquery: one step along an index."""
    field = ordering.lstrip("-")
    return Subquery(
        queryset.exclude(**{f"{field}__isnull": True})
        .order_by(ordering)
        .values(field)[:1]
    )
