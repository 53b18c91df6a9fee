"""The three feed formats: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Small subclasses of django.utils.feedgenerator, through its documented hooks,
for what it leaves out: the whole article (RSS content:encoded, Atom content),
a feed icon, and JSON Feed, which Django does not have. Every format gets the
same items from articles.feeds.views, so readers of each see the same articles.
"""

import json
import re

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Not allowed anywhere in an XML 1.0 document, even escaped: C0 controls other
# than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
# Editors paste them in from PDFs and word processors without seeing them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value):
    """Strings (also inside lists) without the characters XML cannot carry."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(part) for part in value)
    return value


class ArticleFeedMixin:
    """What the three formats share.

    Django's XML writer raises on a control character rather than drop it, so
    one stray character in a title would turn the whole feed into a 500: every
    text is cleaned on its way in. Extra keyword arguments (content_html, icon,
    …) come from articles.feeds.views.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(
            *(xml_safe(value) for value in args),
            **{name: xml_safe(value) for name, value in kwargs.items()},
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *(xml_safe(value) for value in args),
            **{name: xml_safe(value) for name, value in kwargs.items()},
        )

    def latest_post_date(self):
        # Django falls back to "now" for a feed with no items, which would change
        # an unchanged empty feed on every poll; the feed's own last change won't.
        if self.items:
            return super().latest_post_date()
        return self.feed["last_modified"]


class RssFeed(ArticleFeedMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:content": CONTENT_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        image = self.feed["rss_image"]
        handler.startElement("image", {})
        # RSS wants the channel's own title and link here, and says readers may
        # check that they match.
        handler.addQuickElement("url", image["url"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.addQuickElement("width", str(image["width"]))
        handler.addQuickElement("height", str(image["height"]))
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(ArticleFeedMixin, feedgenerator.Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("icon", self.feed["icon"]["url"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(ArticleFeedMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

    A generator like the XML ones rather than a view of its own, so that it is
    filled by the same Feed class: one place decides what an item says.
    Titles and summaries are plain text here, as the format defines them.
    """

    # JSON is UTF-8 by definition, but browsers and some readers decode a
    # response without a charset as Latin-1, mangling every "é" and "–".
    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        # JSON is UTF-8 by definition; the response encodes what is written.
        outfile.write(json.dumps(self.document(), ensure_ascii=False))

    def document(self):
        feed = self.feed
        document = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "icon": feed["icon"]["url"],
            "favicon": feed["favicon"]["url"],
            "language": feed["language"],
        }
        if feed["author_name"]:
            document["authors"] = [person(feed["author_name"], feed["author_link"])]
        # Required, even when empty.
        items = [self.json_item(item) for item in self.items]
        return without_empty(document) | {"items": items}

    def json_item(self, item):
        return without_empty(
            {
                "id": item["unique_id"],
                "url": item["link"],
                "title": item["title"],
                "content_html": item["content_html"],
                "summary": item["description"],
                "image": item.get("image"),
                "date_published": rfc3339_date(item["pubdate"]),
                "date_modified": rfc3339_date(item["updateddate"]),
                "authors": [person(item["author_name"], item["author_link"])]
                if item["author_name"]
                else None,
                "tags": list(item["categories"]),
                "attachments": [
                    {
                        "url": enclosure.url,
                        "mime_type": enclosure.mime_type,
                        "size_in_bytes": int(enclosure.length),
                    }
                    for enclosure in item["enclosures"]
                ],
            }
        )


def person(name, url):
    return without_empty({"name": name, "url": url})


def without_empty(mapping):
    # JSON Feed leaves optional fields out rather than setting them to null.
    return {key: value for key, value in mapping.items() if value not in (None, [])}
