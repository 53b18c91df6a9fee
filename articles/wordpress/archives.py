"""WordPress's list and feed addresses, and where the same lists are here.

Categories became topics and tags stayed tags, with their slugs, so the old
addresses can be worked out rather than stored: "/category/relapse/" is
"/topics/relapse/", "/tag/diet/feed/" is "/tags/diet/feed/". Only addresses
of a topic, tag or author that exists here are redirected.
"""

import re

from django.urls import reverse

from articles.models import Author, Tag, Topic

# WordPress's default bases. A nested category's address names its parents
# ("/category/myeloma/relapse/"); the last slug is the category's own.
ARCHIVE = re.compile(
    r"^/(?P<base>category|tag|author)/(?:[^/]+/)*?(?P<slug>[^/]+)"
    r"(?:/page/\d+)?(?P<feed>/feed(?:/(?:rss2?|atom|rdf))?)?/?$"
)
OWNERS = {
    "category": (Topic, "topic"),
    "tag": (Tag, "tag"),
    "author": (Author, "author"),
}
# "/feed/" and "/feed/atom/" are the same here as there.
SITE_FEEDS = {
    "/feed/rss2": "articles:feed",
    "/feed/rss": "articles:feed",
    "/feed/rdf": "articles:feed",
    "/comments/feed": "articles:feed",
}
DATE_ARCHIVE = re.compile(r"^/(?P<year>\d{4})/(?P<month>\d{2})/?$")


def new_address(path):
    """Where an old list or feed address is now, or None."""
    if name := SITE_FEEDS.get(path.rstrip("/")):
        return reverse(name)
    if match := DATE_ARCHIVE.match(path):
        year, month = int(match["year"]), int(match["month"])
        if 1 <= month <= 12:
            return reverse("articles:archive_month", args=[year, month])
        return None
    match = ARCHIVE.match(path)
    if match is None:
        return None
    model, name = OWNERS[match["base"]]
    slug = match["slug"].lower()
    if not model.objects.filter(slug=slug).exists():
        return None
    feed = match["feed"] or ""
    suffix = "_feed_atom" if feed.endswith("/atom") else "_feed" if feed else ""
    return reverse(f"articles:{name}{suffix}", kwargs={"slug": slug})
