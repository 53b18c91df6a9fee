"""A WordPress export imported into articles, one post per transaction.

The export is read twice, streaming both times: first for the site, its
categories, tags and authors and its attachments (small records, kept), then
for the posts, each imported on its own, so that one bad post is reported
and skipped and an interruption leaves no half article. A post already
imported is matched on its WordPress id: unchanged, it is left alone;
changed in the export, its article is updated, unless an editor has changed
the article here since, which is never overwritten.
"""

import hashlib
import html
import zoneinfo
from datetime import UTC, datetime
from urllib.parse import unquote

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify

from articles.link_text import vague_links
from articles.models import Article, Author, Reference, SlugRedirect, Status, Tag, Topic
from articles.models.articles import out_of_range
from articles.wordpress import addresses, media, wxr
from articles.wordpress.body import clean_body, plain_text
from articles.wordpress.credits import find_credit_line
from articles.wordpress.models import ImportedAttachment, ImportedPost, OldAddress
from articles.wordpress.report import Report, VagueLink
from articles.wordpress.sources import find_sources, host_of

AS_IS, DRAFT = "as-is", "draft"
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,  # Scheduled: its publish time is ahead.
    "draft": Status.DRAFT,
    "pending": Status.IN_REVIEW,
    # Never public on the old site: a draft here, for an editor to decide.
    "private": Status.DRAFT,
}
# Kept by WordPress but not posts anyone meant to keep.
LEFT_OUT_STATUSES = {"trash", "auto-draft", "inherit"}
WORDPRESS_DATE = "%Y-%m-%d %H:%M:%S"
NO_DATE = "0000-00-00 00:00:00"
MAX_TITLE = 200
MAX_SUMMARY = 300
MAX_URL = 500


class ItemProblem(Exception):
    """A post that cannot be imported; the message says why."""


def parse_date(value):
    """A naive datetime from WordPress's "YYYY-MM-DD HH:MM:SS", or None for
    its empty date. Raises ItemProblem for anything else."""
    value = value.strip()
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.strptime(value, WORDPRESS_DATE)
    except ValueError:
        raise ItemProblem(f"its date “{value}” cannot be read") from None


def fingerprint(item, status_option):
    parts = [
        item.title,
        item.post_name,
        item.content,
        item.excerpt,
        item.status,
        item.post_date,
        item.post_date_gmt,
        item.guid,
        item.link,
        item.creator,
        item.meta.get("_thumbnail_id", ""),
        repr(sorted(item.terms)),
        status_option,
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class Importer:
    def __init__(self, path, media_dir=None, dry_run=False, status=AS_IS):
        self.path = path
        self.media_dir = media_dir
        self.dry_run = dry_run
        self.status_option = status
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.report = Report(dry_run=dry_run)
        self.own_hosts = set()
        self.terms = []
        self.authors = []
        self.parents = {}
        self.attachments = {}
        self.attachment_urls = {}
        self.total = 0

    def run(self, progress=None):
        """Import every post; returns the Report. ``progress(done, total)`` is
        called after each post. Raises wxr.NotAnExport for a file that is not
        a safe WordPress export, before anything is written."""
        self.first_reading()
        if not self.dry_run:
            with transaction.atomic():
                self.import_taxonomy()
            self.second_reading(progress)
            return self.report
        # Everything done and undone in one transaction: each post meets the
        # topics, tags and earlier posts it would have, and nothing is kept.
        # Image files are only checked, never stored.
        with transaction.atomic():
            self.import_taxonomy()
            self.second_reading(progress)
            transaction.set_rollback(True)
        return self.report

    def first_reading(self):
        for record in wxr.read(self.path):
            if isinstance(record, wxr.Site):
                for url in (record.link, record.base_site_url, record.base_blog_url):
                    if host := host_of(url):
                        self.own_hosts.add(host)
            elif isinstance(record, wxr.Term):
                self.terms.append(record)
                if record.kind == "category":
                    self.parents[record.slug] = record.parent
            elif isinstance(record, wxr.Author):
                self.authors.append(record)
            elif record.post_type == "attachment":
                attachment = media.attachment_of(record)
                self.attachments[record.post_id] = attachment
                self.attachment_urls[media.original_url(attachment.url)] = attachment
            elif record.post_type == "post":
                self.total += 1
            else:
                self.report.other_types[record.post_type or "unknown"] += 1
                if record.post_type == "page":
                    self.report.note(
                        record.post_id,
                        f"page “{record.title}” left out: pages are not imported.",
                    )

    def import_taxonomy(self):
        for term in self.terms:
            self.term(term.kind, term.slug, term.name, term.description)
        for author in self.authors:
            self.author(author.login, author.display_name)

    def second_reading(self, progress):
        done = 0
        for record in wxr.read(self.path):
            if not isinstance(record, wxr.Item) or record.post_type != "post":
                continue
            try:
                with transaction.atomic():
                    self.import_post(record)
            except (ItemProblem, ValidationError, ValueError, DatabaseError) as error:
                self.report.skipped += 1
                message = (
                    "; ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                self.report.problem(record.post_id, f"skipped: {message}")
            done += 1
            if progress:
                progress(done, self.total)

    # Taxonomy and authors.

    def term(self, kind, slug, name, description=""):
        model = Topic if kind == "category" else Tag
        name = " ".join(html.unescape(name).split())[:100] or slug
        slug = slugify(slug or name)[:100]
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found:
            return found
        if model.objects.filter(name=name).exists():
            name = f"{name} ({slug})"[:100]
        fields = {"slug": slug, "name": name}
        if model is Topic:
            fields["description"] = plain_text(description)
            self.report.topics += 1
        else:
            self.report.tags += 1
        return model.objects.create(**fields)

    def author(self, login, display_name=""):
        slug = slugify(login)[:150]
        if not slug:
            return None
        found = Author.objects.filter(slug=slug).first()
        if found:
            return found
        self.report.authors += 1
        return Author.objects.create(slug=slug, name=(display_name or login)[:150])

    # Posts.

    def import_post(self, item):
        if not item.post_id.isdigit():
            raise ItemProblem(f"its id “{item.post_id}” is not a number")
        if item.status in LEFT_OUT_STATUSES:
            self.report.note(item.post_id, f"left out: its status is {item.status}.")
            self.report.other_types[f"{item.status} posts"] += 1
            return
        if item.status not in STATUSES:
            raise ItemProblem(f"its status “{item.status}” is unknown")
        print_ = fingerprint(item, self.status_option)
        imported = (
            ImportedPost.objects.filter(wordpress_id=int(item.post_id))
            .select_related("article")
            .first()
        )
        if imported and imported.fingerprint == print_:
            self.report.unchanged += 1
            return
        if imported and imported.article.modified_at > imported.imported_at:
            self.report.unchanged += 1
            self.report.note(
                item.post_id,
                f"changed in the export, but “{imported.article}” was edited here "
                "since it was imported: left as it is here.",
            )
            return
        article = imported.article if imported else Article()
        with reversion.create_revision():
            reversion.set_comment("Imported from WordPress")
            local_date = self.fill(article, item)
            old_paths = addresses.old_addresses(item, local_date, self.parents)
        self.keep_old_addresses(article, item, old_paths)
        ImportedPost.objects.update_or_create(
            wordpress_id=int(item.post_id),
            defaults={
                "article": article,
                "fingerprint": print_,
                "imported_at": Article.objects.filter(pk=article.pk)
                .values_list("modified_at", flat=True)
                .get(),
            },
        )
        if imported:
            self.report.updated += 1
        else:
            self.report.imported += 1

    def fill(self, article, item):
        """Set the article from the post, save it with its topics, tags and
        references; returns the post's date in its site's zone."""
        post_id = item.post_id
        status = STATUSES[item.status]
        published_at, local_date = self.dates(item)
        if status == Status.PUBLISHED and published_at is None:
            raise ItemProblem(f"it is {item.status} but has no date")
        if problem := out_of_range(published_at):
            raise ItemProblem(f"its date is not plausible. {problem}")
        # WordPress dates a draft by its last save; a private post keeps its
        # date, as it was written to be published.
        if item.status in ("draft", "pending"):
            published_at = None
        if self.status_option == DRAFT:
            status = Status.DRAFT

        body = clean_body(item.content)
        for note in body.notes:
            self.report.note(post_id, note)
        credit, text = find_credit_line(body.html)
        image, figure = self.featured_image(item, body.figures, credit)
        if credit and image is None and not self.dry_run:
            text = body.html
            self.report.note(
                post_id, f"the credit line “{credit}” stays in the text: no image."
            )
        for other in body.figures:
            if other is not figure:
                self.report.note(
                    post_id,
                    f"image {other.src} in the text left out: the body holds text only.",
                )

        title = " ".join(html.unescape(item.title).split())
        if not title:
            title = f"Untitled post {post_id}"
            self.report.note(post_id, f"it has no title: named “{title}”.")
        article.title = Truncator(title).chars(MAX_TITLE)
        article.slug = self.free_slug(article, item, title)
        article.body = text
        article.summary = self.summary(item, text)
        article.status = status
        article.published_at = published_at
        article.feed_guid = item.guid[:500]
        article.author = self.author(item.creator) if item.creator else None
        if image is not None:
            article.featured_image = image
        article.save()

        topics, tags = [], []
        for kind, slug, name in item.terms:
            if kind in ("category", "post_tag"):
                term = self.term(kind, slug, name)
                if term is not None:
                    (topics if kind == "category" else tags).append(term)
        article.topics.set(topics)
        article.tags.set(tags)
        self.replace_references(article, item, text)
        return local_date

    def dates(self, item):
        """The publish time (aware) and the date as the old site showed it."""
        local = parse_date(item.post_date)
        gmt = parse_date(item.post_date_gmt)
        if gmt is not None:
            published_at = gmt.replace(tzinfo=UTC)
        elif local is not None:
            published_at = timezone.make_aware(local, self.zone)
        else:
            published_at = None
        if local is None and published_at is not None:
            local = timezone.localtime(published_at, self.zone)
        return published_at, local

    def summary(self, item, text):
        summary = plain_text(item.excerpt) or plain_text(text)
        return Truncator(summary).chars(MAX_SUMMARY)

    def free_slug(self, article, item, title):
        base = (
            slugify(unquote(item.post_name)) or slugify(title) or f"post-{item.post_id}"
        )
        base = base[:190]
        slug, n = base, 1
        while (
            Article.objects.filter(slug=slug).exclude(pk=article.pk).exists()
            or SlugRedirect.objects.filter(old_slug=slug)
            .exclude(article_id=article.pk)
            .exists()
        ):
            n += 1
            slug = f"{base}-{n}"
        if slug != base:
            self.report.note(item.post_id, f"its slug {base} was taken: given {slug}.")
        return slug

    def replace_references(self, article, item, text):
        sources = []
        for source in find_sources(text, self.own_hosts):
            if len(source.url) > MAX_URL:
                self.report.note(item.post_id, f"link too long to keep: {source.url}")
                continue
            sources.append(source)
        article.references.all().delete()
        Reference.objects.bulk_create(
            Reference(
                article=article,
                position=number,
                title=source.title,
                publisher=source.publisher,
                url=source.url,
            )
            for number, source in enumerate(sources, start=1)
        )
        # bulk_create() sends no signal: the citations are numbered here.
        article.rebuild_body()
        for link in vague_links(text):
            self.report.vague_links.append(
                VagueLink(item.post_id, article.title, link.text, link.href)
            )

    def keep_old_addresses(self, article, item, paths):
        taken = dict(
            OldAddress.objects.filter(path__in=paths).values_list("path", "article_id")
        )
        new = []
        for path in paths:
            owner = taken.get(path)
            if owner is None:
                new.append(OldAddress(path=path, article=article))
            elif owner != article.pk:
                self.report.note(
                    item.post_id,
                    f"old address {path} already leads to another article.",
                )
        OldAddress.objects.bulk_create(new)
        self.report.redirects += len(new)

    # Images.

    def featured_image(self, item, figures, credit):
        """(Image or None, the figure it came from or None)."""
        candidates = []
        if thumbnail := item.meta.get("_thumbnail_id", "").strip():
            candidates.append((self.attachments.get(thumbnail), None, thumbnail))
        for figure in figures[:1]:
            attachment = self.attachments.get(figure.attachment_id) or (
                self.attachment_urls.get(media.original_url(figure.src))
            )
            candidates.append((attachment, figure, figure.attachment_id or figure.src))
        for attachment, figure, wanted in candidates:
            if attachment is None:
                self.report.note(
                    item.post_id, f"its image {wanted} is not among the attachments."
                )
                continue
            if figure is not None and figure.caption and not attachment.caption:
                attachment.caption = figure.caption[: media.MAX_CAPTION]
            try:
                return self.image_for(attachment, credit), figure
            except media.MediaProblem as problem:
                self.report.problem(
                    attachment.post_id,
                    f"image not imported (post {item.post_id}): {problem}.",
                )
        return None, None

    def image_for(self, attachment, credit):
        imported = (
            ImportedAttachment.objects.filter(wordpress_id=int(attachment.post_id))
            .select_related("image")
            .first()
        )
        if imported:
            image = imported.image
            if credit and not image.credit:
                image.credit = credit[: media.MAX_CREDIT]
                image.save(update_fields=["credit", "modified_at"])
            return image
        path = media.file_in(self.media_dir, attachment.relative_path)
        media.check(path)
        self.report.images += 1
        if self.dry_run:
            return None
        image = media.store(path, attachment, credit)
        ImportedAttachment.objects.create(
            wordpress_id=int(attachment.post_id),
            image=image,
            fingerprint=attachment.fingerprint,
        )
        return image
