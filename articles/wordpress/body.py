"""A WordPress post's HTML turned into a body this editor can hold.

Block-editor comments go, classic-editor text gets its paragraphs (what
WordPress's wpautop() does on display), shortcodes are handled or removed,
and images come out of the text as figures, since the body holds text only.
The sanitizer (articles.sanitize) then runs as on every save.
"""

import html
import re
from dataclasses import dataclass, field

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# The tags wpautop() does not wrap in a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|dd|div|dl|dt|fieldset|figcaption|figure|"
    "footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|"
    "tfoot|th|thead|tr|ul"
)
BLOCK_START = re.compile(rf"(<(?:{BLOCK_TAGS})\b[^>]*>)", re.IGNORECASE)
BLOCK_END = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.IGNORECASE)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# [name attrs]inner[/name], or [name attrs] alone. "[[name]]" is WordPress's
# way to write a shortcode as text.
ENCLOSING = re.compile(
    r"(?<!\[)\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?P<inner>.*?)\[/(?P=name)\](?!\])",
    re.DOTALL | re.IGNORECASE,
)
SELF_CLOSING = re.compile(
    r"(?<!\[)\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)/?\](?!\])",
    re.IGNORECASE,
)
ESCAPED = re.compile(r"\[(\[[a-z][^\]]*\])\]", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# Shortcodes of WordPress itself and its common plug-ins: anything else in
# square brackets without attributes ("[sic]", "[1]") is left as text.
KNOWN = {
    "audio",
    "caption",
    "embed",
    "gallery",
    "playlist",
    "video",
    "wp_caption",
    "contact-form-7",
    "wpforms",
    "gravityform",
}
# Media that has no text to keep.
MEDIA = {"audio", "gallery", "playlist", "video", "contact-form-7", "wpforms"}
MEDIA |= {"gravityform"}
# A line holding only an address is an embed in WordPress (oEmbed).
BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)

FIGURE = re.compile(r"<figure\b[^>]*>.*?</figure>", re.DOTALL | re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# A link around an image only, as WordPress makes it ("link to media file").
LINKED_IMG = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.I)
TAG = re.compile(r"<[^>]+>")
HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}
HEADING_TAG = re.compile(r"<(/?)(h1|h5|h6)\b", re.IGNORECASE)


@dataclass
class Figure:
    """An image taken out of the body."""

    src: str
    alt: str = ""
    caption: str = ""
    attachment_id: str = ""


@dataclass
class CleanBody:
    html: str
    figures: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def plain_text(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def attributes(text):
    found = {}
    for match in ATTRIBUTE.finditer(text or ""):
        found[match[1].lower()] = next(v for v in match.groups()[1:] if v is not None)
    return found


def figure_of(fragment, caption=""):
    """The Figure of the first <img> in ``fragment``, or None."""
    image = IMG.search(fragment)
    if image is None:
        return None
    attrs = attributes(image[0][4:])
    attachment_id = ""
    for css_class in attrs.get("class", "").split():
        if css_class.startswith("wp-image-"):
            attachment_id = css_class.removeprefix("wp-image-")
    return Figure(
        src=attrs.get("src", ""),
        alt=html.unescape(attrs.get("alt", "")),
        caption=caption,
        attachment_id=attachment_id,
    )


def handle_shortcodes(text, body):
    def enclosing(match):
        name, inner = match["name"].lower(), match["inner"]
        attrs = attributes(match["attrs"])
        if name in ("caption", "wp_caption"):
            caption_text = attrs.get("caption") or plain_text(IMG.sub("", inner))
            if figure := figure_of(inner, html.unescape(caption_text)):
                if not figure.attachment_id:
                    figure.attachment_id = attrs.get("id", "").removeprefix(
                        "attachment_"
                    )
                body.figures.append(figure)
            return "\n\n"
        if name == "embed":
            return embed(inner.strip(), body)
        if name in MEDIA:
            body.notes.append(f"[{name}] removed: the body holds text only.")
            return ""
        body.notes.append(f"[{name}] shortcode removed; the text inside it kept.")
        return inner

    def self_closing(match):
        name = match["name"].lower()
        if name not in KNOWN and "=" not in match["attrs"]:
            return match[0]
        if name == "embed" and (src := attributes(match["attrs"]).get("src")):
            return embed(src, body)
        body.notes.append(f"[{name}] shortcode removed.")
        return ""

    text = ENCLOSING.sub(enclosing, text)
    text = SELF_CLOSING.sub(self_closing, text)
    return ESCAPED.sub(r"\1", text)


def embed(url, body):
    body.notes.append(f"Embedded {url} turned into a link.")
    safe = html.escape(url)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


def take_figures(text, body):
    """Move every image out of the text into ``body.figures``."""

    def figure(match):
        fragment = match[0]
        caption = FIGCAPTION.search(fragment)
        if found := figure_of(fragment, plain_text(caption[1]) if caption else ""):
            body.figures.append(found)
            return "\n\n"
        return fragment

    def image(match):
        if found := figure_of(match[0]):
            body.figures.append(found)
        return ""

    text = FIGURE.sub(figure, text)
    # The link goes with its image: it led to a bigger copy of it.
    text = LINKED_IMG.sub(image, text)
    return IMG.sub(image, text)


def autop(text):
    """Paragraphs from blank lines and line breaks from single ones, as
    WordPress shows classic-editor text; block-level HTML left as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Each block element starts a chunk of its own and ends one.
    text = BLOCK_START.sub(r"\n\n\1", text)
    text = BLOCK_END.sub(r"\1\n\n", text)
    chunks = []
    for chunk in PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if STARTS_WITH_BLOCK.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(chunks)


def is_block_editor(text):
    return "<!-- wp:" in text


def clean_body(text):
    """The body of a post as this editor holds it, with its figures and what
    was changed on the way (notes for the import report)."""
    body = CleanBody("")
    block_editor = is_block_editor(text)
    text = BLOCK_COMMENT.sub("", text)
    text = COMMENT.sub("", text)
    text = BARE_URL_LINE.sub(lambda m: embed(m[1], body), text)
    text = handle_shortcodes(text, body)
    text = take_figures(text, body)
    text = HEADING_TAG.sub(lambda m: f"<{m[1]}{HEADINGS[m[2].lower()]}", text)
    body.html = text.strip() if block_editor else autop(text)
    return body
