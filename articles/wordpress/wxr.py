"""Reading a WordPress export (WXR 1.1 or 1.2: RSS 2.0 with WordPress's own
namespaces), one item at a time.

The file is read with defusedxml's streaming parser: a document type
declaration, and with it every entity trick (a billion laughs, an external
entity reading /etc/passwd), is refused before anything is expanded; WordPress
never writes one. Each item is turned into plain data and its elements are
dropped at once, so a 200 MB export is read in the memory of one post.
"""

from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://wordpress.org/export/1.0/excerpt/": "excerpt",
    "http://wordpress.org/export/1.1/excerpt/": "excerpt",
    "http://wordpress.org/export/1.2/excerpt/": "excerpt",
    "http://purl.org/dc/elements/1.1/": "dc",
}
# WXR 1.0, 1.1 and 1.2 differ only in this namespace's version.
WORDPRESS_NAMESPACE = "http://wordpress.org/export/"


class NotAnExport(Exception):
    """The file is not a WordPress export we can read safely."""


@dataclass
class Term:
    """A category or a tag."""

    kind: str  # "category" or "post_tag"
    slug: str
    name: str
    description: str = ""
    parent: str = ""


@dataclass
class Author:
    login: str
    display_name: str


@dataclass
class Item:
    """A post, page, attachment or any other item, as the export has it."""

    post_id: str = ""
    post_type: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    status: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_parent: str = ""
    attachment_url: str = ""
    terms: list = field(default_factory=list)  # (kind, slug, name)
    meta: dict = field(default_factory=dict)


@dataclass
class Site:
    """What the export says of the site it came from."""

    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


def local_name(tag):
    """ "{uri}name" as "prefix:name" for the namespaces WXR uses."""
    if not tag.startswith("{"):
        return tag
    uri, name = tag[1:].split("}", 1)
    if uri.startswith(WORDPRESS_NAMESPACE) and "excerpt" not in uri:
        return f"wp:{name}"
    prefix = NAMESPACES.get(uri)
    return f"{prefix}:{name}" if prefix else name


def text_of(element):
    return (element.text or "").strip()


ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "post_id",
    "wp:post_type": "post_type",
    "wp:post_name": "post_name",
    "wp:status": "status",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:post_parent": "post_parent",
    "wp:attachment_url": "attachment_url",
}
# The body and excerpt keep their whitespace: line breaks are paragraphs.
UNSTRIPPED = {"content", "excerpt"}


def read_item(element):
    item = Item()
    for child in element:
        name = local_name(child.tag)
        if name in ITEM_FIELDS:
            attribute = ITEM_FIELDS[name]
            value = child.text or ""
            setattr(
                item, attribute, value if attribute in UNSTRIPPED else value.strip()
            )
        elif name == "category":
            kind = child.get("domain", "category")
            item.terms.append((kind, child.get("nicename", ""), text_of(child)))
        elif name == "wp:postmeta":
            parts = {local_name(c.tag): (c.text or "") for c in child}
            key = parts.get("wp:meta_key", "").strip()
            if key:
                item.meta[key] = parts.get("wp:meta_value", "")
    return item


def read_term(element, kind):
    parts = {local_name(c.tag): text_of(c) for c in element}
    if kind == "category":
        return Term(
            kind,
            parts.get("wp:category_nicename", ""),
            parts.get("wp:cat_name", ""),
            parts.get("wp:category_description", ""),
            parts.get("wp:category_parent", ""),
        )
    return Term(
        kind,
        parts.get("wp:tag_slug", ""),
        parts.get("wp:tag_name", ""),
        parts.get("wp:tag_description", ""),
    )


def read_author(element):
    parts = {local_name(c.tag): text_of(c) for c in element}
    login = parts.get("wp:author_login", "")
    return Author(login, parts.get("wp:author_display_name", "") or login)


CHANNEL_TEXT = {
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "version",
}


READERS = {
    "wp:category": lambda element: read_term(element, "category"),
    "wp:tag": lambda element: read_term(element, "post_tag"),
    "wp:author": read_author,
    "item": read_item,
}


def read(source):
    """Yield the export's site, categories, tags, authors and items, in file
    order: the Site first, then Term, Author and Item objects.

    ``source`` is a path or a file open in binary. Raises NotAnExport for a
    file that is not well-formed XML, declares a document type or entities,
    or is not an RSS export.
    """
    site = Site()
    site_given = False
    channel = None
    depth = 0
    try:
        for event, element in iterparse(
            source if hasattr(source, "read") else str(source),
            events=("start", "end"),
            forbid_dtd=True,
        ):
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    raise NotAnExport(
                        "This is not a WordPress export: it is not an RSS file."
                    )
                if depth == 2 and element.tag == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = local_name(element.tag)
            if name in CHANNEL_TEXT:
                setattr(site, CHANNEL_TEXT[name], text_of(element))
            elif reader := READERS.get(name):
                # The channel's own details come before its first record.
                if not site_given:
                    site_given = True
                    yield site
                yield reader(element)
            # Done with it: the channel keeps no items, however many there are.
            channel.remove(element)
    except DefusedXmlException as error:
        raise NotAnExport(
            "This file declares a document type or entities, which a WordPress "
            f"export never does; it was not read ({type(error).__name__})."
        ) from None
    except ParseError as error:
        raise NotAnExport(f"This is not well-formed XML: {error}.") from None
    if channel is None:
        raise NotAnExport("This is not a WordPress export: it has no channel.")
    if not site_given:
        yield site
