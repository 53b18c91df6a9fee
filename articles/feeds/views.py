"""Feeds for subscribers: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

One for the whole site and one for each topic, tag and author, in each format:
the 20 newest live articles, whole, with their medical review line, images and
sources (articles.feeds.content). Readers poll often, so every feed answers an
unchanged poll with a 304 before building anything (articles.feeds.caching).

Addresses are absolute on SITE_URL, like the item content they sit beside, so
a feed fetched through any host name still points readers at the public site.
"""

from functools import cached_property

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.http import condition

from articles.feeds.caching import FEED_LENGTH, freshness
from articles.feeds.content import feed_image, item_content
from articles.feeds.generators import AtomFeed, JsonFeed, RssFeed
from articles.models import Article, Author, Tag, Topic
from articles.site import DESCRIPTION as SITE_DESCRIPTION
from articles.site import absolute_url

# Kind of owner -> (model, the Article field that points at it).
OWNERS = {
    "topic": (Topic, "topics"),
    "tag": (Tag, "tags"),
    "author": (Author, "author"),
}
# Format -> (URL name suffix, MIME type, what people call it).
FORMATS = {
    "rss": ("", "application/rss+xml", "RSS"),
    "atom": ("_atom", "application/atom+xml", "Atom"),
    "json": ("_json", "application/feed+json", "JSON Feed"),
}
# Square PNG icons (RSS allows only GIF, JPEG or PNG, at most 144 pixels wide).
ICONS = {size: f"feed-icon-{size}.png" for size in (64, 144, 512)}


class Scope:
    """What one feed covers: the whole site, or one topic, tag or author."""

    def __init__(self, kind=None, owner=None):
        self.kind, self.owner = kind, owner

    def articles(self):
        """Every article of the scope, whatever its status."""
        if self.owner is None:
            return Article.objects.all()
        return Article.objects.filter(**{OWNERS[self.kind][1]: self.owner})

    @cached_property
    def freshness(self):
        return freshness(self.articles())

    @property
    def title(self):
        if self.owner is None:
            return settings.SITE_NAME
        return f"{self.owner.name} – {settings.SITE_NAME}"

    @property
    def description(self):
        if self.kind == "topic":
            return self.owner.description or f"Articles about {self.owner.name}."
        if self.kind == "tag":
            return f"Articles tagged “{self.owner.name}”."
        if self.kind == "author":
            return f"Articles by {self.owner}."
        return SITE_DESCRIPTION

    @property
    def page_url(self):
        if self.owner is None:
            return absolute_url(reverse("articles:list"))
        return absolute_url(self.owner.get_absolute_url())

    def feed_url(self, feed_format):
        suffix = FORMATS[feed_format][0]
        if self.owner is None:
            return absolute_url(reverse(f"articles:feed{suffix}"))
        return absolute_url(
            reverse(
                f"articles:{self.kind}_feed{suffix}", kwargs={"slug": self.owner.slug}
            )
        )


def feed_addresses(owner=None):
    """The three feeds of the site (or of a topic, tag or author), for
    <link rel="alternate"> and Subscribe links: dicts of type, title and url."""
    if owner is None:
        # Linked from every reader page: worked out once per site address.
        key = (
            settings.SITE_URL,
            settings.SITE_NAME,
            get_urlconf(),
            get_script_prefix(),
        )
        if key not in _SITE_FEEDS:
            _SITE_FEEDS[key] = _feed_addresses(None)
        return [dict(feed) for feed in _SITE_FEEDS[key]]
    return _feed_addresses(owner)


_SITE_FEEDS = {}


def _feed_addresses(owner):
    kind = next(
        (k for k, (model, _) in OWNERS.items() if isinstance(owner, model)), None
    )
    scope = Scope(kind, owner)
    return [
        {
            "type": mime_type,
            "title": f"{scope.title} ({name})",
            "url": scope.feed_url(f),
        }
        for f, (_, mime_type, name) in FORMATS.items()
    ]


def icon(size):
    return {"url": absolute_url(static(ICONS[size])), "width": size, "height": size}


class LatestArticlesFeed(Feed):
    """RSS 2.0; the Atom and JSON feeds below change only what differs."""

    feed_type = RssFeed
    feed_format = "rss"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The XML writer hands the response thousands of small pieces, and a
        # WSGI server sends each with a system call of its own: a 60 KB feed
        # took four times as long to send as to build. Joined, it goes at once.
        response.content = response.content
        return response

    def get_object(self, request, scope):
        # Found by the view (feed_view), which needs it before the feed is built.
        return scope

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.page_url

    def description(self, scope):
        return scope.description

    def feed_url(self, scope):
        return scope.feed_url(self.feed_format)

    def author_name(self):
        # Atom needs an author for entries that have none of their own.
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url("/")

    def feed_extra_kwargs(self, scope):
        return {
            "icon": icon(512),
            "favicon": icon(64),
            "rss_image": icon(144),
            "last_modified": scope.freshness.last_modified,
        }

    def items(self, scope):
        # What a feed item shows; of the body's forms, only the feed's own.
        return (
            scope.articles()
            .published()
            .for_listing()
            .defer(None)
            .defer(
                "body",
                "body_html",
                "headings_json",
                "references_html",
                "citations_json",
            )
            .with_reviews()
            .prefetch_related("topics", "tags")[:FEED_LENGTH]
        )

    def item_title(self, article):
        # Plain text in every format, escaped once, by the XML writer. Django
        # escapes RSS titles once more by default, and readers then showed
        # "What&#x27;s next &amp; why".
        return article.title

    def item_description(self, article):
        return escape(article.summary)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article):
        # The title, slug and date may all change; the UUID never does, so a
        # corrected article replaces itself in readers instead of showing twice.
        # An imported article keeps the id its old site's feed gave it.
        return article.feed_guid or f"urn:uuid:{article.uuid}"

    item_guid_is_permalink = False

    def item_author_name(self, article):
        return article.author.name if article.author else None

    def item_author_link(self, article):
        return absolute_url(article.author.get_absolute_url())

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # The last substantive update, else the publish time (Atom requires one).
        return article.last_changed_at

    def item_categories(self, article):
        names = [topic.name for topic in article.topics.all()]
        names += [tag.name for tag in article.tags.all()]
        return list(dict.fromkeys(names))

    def item_enclosures(self, article):
        image = feed_image(article)
        if image is None:
            return []
        return [Enclosure(image.url, str(image.length), image.mime_type)]

    def item_extra_kwargs(self, article):
        image = feed_image(article)
        return {
            "content_html": item_content(article, image),
            "image": image.url if image else None,
        }


class AtomLatestArticlesFeed(LatestArticlesFeed):
    feed_type = AtomFeed
    feed_format = "atom"

    def subtitle(self, scope):
        return scope.description


class JsonLatestArticlesFeed(LatestArticlesFeed):
    feed_type = JsonFeed
    feed_format = "json"

    def item_description(self, article):
        # JSON Feed's summary is plain text.
        return article.summary


def feed_view(feed):
    """``feed`` as a view for the feed's URLs, which may name an owner: a poll
    that changed nothing gets a 304 before the feed is built.

    Last-Modified is the feed's last change of any kind (articles.feeds.caching)
    rather than its items' newest date, as Feed would set it, and is sent even
    for a site that has never had an article, where it is the epoch, which
    ``condition`` would leave out. Caches may keep the feed up to the next
    publish or expiry time and no longer.
    """

    def etag(request, scope):
        return scope.freshness.etag(scope.feed_url(feed.feed_format))

    def last_modified(request, scope):
        return scope.freshness.last_modified

    conditional = condition(etag_func=etag, last_modified_func=last_modified)(feed)

    def view(request, owner=None, slug=None):
        if owner is None:
            scope = Scope()
        else:
            scope = Scope(owner, get_object_or_404(OWNERS[owner][0], slug=slug))
        response = conditional(request, scope)
        state = scope.freshness
        response.headers["Last-Modified"] = http_date(state.last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=state.max_age)
        return response

    return view


rss_feed = feed_view(LatestArticlesFeed())
atom_feed = feed_view(AtomLatestArticlesFeed())
json_feed = feed_view(JsonLatestArticlesFeed())
