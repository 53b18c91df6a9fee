"""The whole article as a feed item carries it, readable away from the site.

A feed reader shows the item on its own page, on another host, often offline:
every address in it must be absolute (a relative one resolves against the
reader's host, or nowhere), the featured image must come along, and so must the
sources, which on the site sit in a list below the text, and who medically
reviewed the article and when, in the words of the article page.
"""

import mimetypes
from dataclasses import dataclass

from django.template.loader import render_to_string

from articles.site import absolute_url

# The rendition a feed shows and encloses: sharp on a large screen, and about a
# tenth of what the original can weigh.
FEED_IMAGE_WIDTH = 1200


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

    Expects the article's reviews prefetched (ArticleQuerySet.with_reviews), as
    articles.feeds.views loads them; the body and references come stored
    (Article.feed_body).
    """
    context = {
        "article": article,
        "latest_review": article.review_for_readers,
        "feed_html": article.feed_body(),
        "image": image,
    }
    return render_to_string("articles/feed_item.html", context)
