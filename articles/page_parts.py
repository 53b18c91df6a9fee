"""The article page's head and article element, rendered once and kept.

Rendering the head (sharing cards, JSON-LD) and the article element (byline,
review line, picture, body, sources) is most of an uncached article request.
Both are made only of what the page's query loads (ArticleQuerySet.for_page:
the article's row, author, image and renditions, and as JSON its topics, tags,
notes and review), the published site pages, a few settings and the code that
renders them. So they are kept (StoredPage) with a digest of all of that, and
a request whose loaded rows digest the same sends the kept HTML. Any other
renders them afresh and keeps the new ones: a rename, a new review or a new
release is on the page at its first request, whatever made the change.

A template marks the parts with ``{% kept "head" %}…{% endkept %}``
(articles.templatetags.page_parts); they render as usual where the view sets
no keeper (a preview).

Related articles stay out: they depend on other articles.
"""

import functools
import hashlib
import logging

import django
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import StoredPage

logger = logging.getLogger(__name__)

PARTS = ("head", "main")
# The code a part is rendered by: templates, template tags, models, settings.
CODE_ROOTS = ("templates", "articles", "blog")
CODE_SUFFIXES = {".py", ".html", ".txt", ".xml"}
# Settings the parts read, besides the site context (SITE_NAME, SITE_URL…).
SETTINGS_READ = (
    "MEDIA_URL",
    "STATIC_URL",
    "STORAGES",
    "TIME_ZONE",
    "USE_TZ",
    "LANGUAGE_CODE",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "FORMAT_MODULE_PATH",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_ENDPOINT_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_LOCATION",
    "AWS_QUERYSTRING_AUTH",
)
SITE_CONTEXT = ("SITE_NAME", "SITE_URL", "SITE_DESCRIPTION")


@functools.cache
def code_version():
    """A digest of the project's templates and code, and of the static files'
    names: a release that changes any of them renders every page afresh."""
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=16)
    for root in CODE_ROOTS:
        for path in sorted((settings.BASE_DIR / root).rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def row(instance):
    """What was loaded of ``instance``: each of its concrete fields."""
    if instance is None:
        return None
    loaded = instance.__dict__
    return tuple(loaded.get(field.attname) for field in instance._meta.concrete_fields)


def inputs_digest(article, context):
    """A digest of everything the kept parts of ``article``'s page are made of."""
    image = article.featured_image
    inputs = (
        code_version(),
        tuple(getattr(settings, name, None) for name in SETTINGS_READ),
        tuple(context.get(name) for name in SITE_CONTEXT),
        # Nothing in the parts reads the clock today; a date that does is
        # still right the next day.
        timezone.localdate().isoformat(),
        row(article),
        row(article.author),
        row(image),
        article.page_renditions,
        article.page_topics,
        article.page_tags,
        article.page_change_notes,
        article.page_reviews,
        tuple(row(page) for page in context.get("site_pages") or ()),
    )
    digest = hashlib.blake2b(digest_size=32)
    feed(digest, inputs)
    return digest.hexdigest()


def feed(digest, value):
    """``value`` into ``digest``, texts as they are (repr() of a long body
    would escape it character by character first)."""
    if isinstance(value, tuple | list):
        digest.update(b"(%d" % len(value))
        for item in value:
            feed(digest, item)
        digest.update(b")")
    elif isinstance(value, str):
        data = value.encode()
        digest.update(b"s%d:" % len(data))
        digest.update(data)
    else:
        data = repr(value).encode()
        digest.update(b"r%d:" % len(data))
        digest.update(data)


class PageKeeper:
    """One live article page's kept parts: sent as kept when this request
    loaded what they were rendered from, else rendered now and kept once the
    response is rendered (``keep``, a post-render callback)."""

    def __init__(self, article):
        self.article = article
        try:
            self.stored = article.stored_page
        except StoredPage.DoesNotExist:
            self.stored = None
        self.digest = None
        self.rendered = {}

    def part(self, name, render, context):
        if self.digest is None:
            self.digest = inputs_digest(self.article, context)
        if self.stored is not None and self.stored.inputs == self.digest:
            return mark_safe(
                getattr(self.stored, f"{name}_html")
            )  # Rendered here before.
        html = render()
        self.rendered[name] = html
        return html

    def keep(self, response=None):
        if set(self.rendered) != set(PARTS):
            return
        page = StoredPage(
            article=self.article,
            inputs=self.digest,
            head_html=self.rendered["head"],
            main_html=self.rendered["main"],
        )
        try:
            with transaction.atomic():
                StoredPage.objects.bulk_create(
                    [page],
                    update_conflicts=True,
                    unique_fields=["article"],
                    update_fields=["inputs", "head_html", "main_html"],
                )
        except DatabaseError:
            # The page was sent; the next request renders it again.
            logger.warning("Could not keep the parts of %s", self.article.slug)
