"""The whole article as a feed item carries it, readable away from the site.

A feed reader shows the item on its own page, on another host, often offline:
every address in it must be absolute (a relative one resolves against the
reader's host, or nowhere), the featured image must come along, and so must the
sources, which on the site sit in a list below the text, and who medically
reviewed the article and when, in the words of the article page.
"""

import mimetypes
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.template.loader import render_to_string

from articles.body import render_body
from articles.site import absolute_url

# The rendition a feed shows and encloses: sharp on a large screen, and about a
# tenth of what the original can weigh.
FEED_IMAGE_WIDTH = 1200
URL_ATTRIBUTES = {"href", "src", "cite", "poster", "longdesc"}
VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "source", "track", "wbr"}


@dataclass(frozen=True)
class FeedImage:
    """The featured image as the feed serves it: one file, with its real size."""

    url: str
    width: int
    height: int
    mime_type: str
    length: int
    alt: str
    caption: str
    credit: str


def feed_image(article):
    """The article's featured image for the feed, or None.

    The rendition about 1200 pixels wide in JPEG (or PNG, for transparency);
    the original if no renditions were made. None when the file is missing,
    since an enclosure must give the file's length in bytes.
    """
    image = article.featured_image
    if image is None:
        return None
    renditions = (
        image.whole_renditions(image.fallback_format) if image.fallback_format else []
    )
    fitting = [r for r in renditions if r.width <= FEED_IMAGE_WIDTH] or renditions
    if fitting:
        served = fitting[-1]
        file, width, height, mime_type = (
            served.file,
            served.width,
            served.height,
            served.mime_type,
        )
    else:
        file, width, height = image.file, image.width, image.height
        mime_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    try:
        length = file.storage.size(file.name)
    except OSError:
        return None
    return FeedImage(
        url=absolute_url(file.url),
        width=width,
        height=height,
        mime_type=mime_type,
        length=length,
        alt="" if image.is_decorative else image.alt_text,
        caption=image.caption,
        credit=image.credit,
    )


def item_content(article, image):
    """The item's HTML: the medical review line, featured image, body with its
    citations, references.

    Expects the article's references prefetched in list order and its reviews
    prefetched (ArticleQuerySet.with_reviews), as articles.feeds.views loads them.
    """
    body = render_body(article.body, article.references.all())
    context = {
        "article": article,
        "latest_review": article.review_for_readers,
        "body": body,
        "image": image,
    }
    html = render_to_string("articles/feed_item.html", context)
    return absolutize(html, absolute_url(article.get_absolute_url()))


def absolutize(html, base):
    """``html`` with every address absolute, resolved as a browser would on the
    page at ``base``: "#ref-2" becomes the reference on the article page."""
    parser = _Absolutizer(base)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


class _Absolutizer(HTMLParser):
    # Rebuilds the document from parsed parts, re-escaping every text and
    # attribute value, so what comes out is exactly as safe as what went in.

    def __init__(self, base):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out = []

    def handle_starttag(self, tag, attrs):
        parts = [tag]
        for name, value in attrs:
            # Ids are for the article page; many items share one reader page,
            # where "ref-1" from each article would collide.
            if name == "id":
                continue
            if value is None:
                parts.append(name)
                continue
            if name in URL_ATTRIBUTES:
                value = urljoin(self.base, value.strip())
            elif name == "srcset":
                value = self.absolute_srcset(value)
            parts.append(f'{name}="{escape(value)}"')
        self.out.append(f"<{' '.join(parts)}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))

    def absolute_srcset(self, srcset):
        candidates = []
        for candidate in srcset.split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            joined = urljoin(self.base, url)
            candidates.append(f"{joined} {descriptor}".strip())
        return ", ".join(candidates)
