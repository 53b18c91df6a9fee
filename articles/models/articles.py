"""Articles, what readers may see of them, and their old addresses."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, JSONObject
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from articles import body as article_body
from articles.fields import SanitizedHTMLField
from articles.glossary.models import Term
from articles.images.models import Image, Rendition
from articles.models.authors import Author
from articles.models.links import Link
from articles.models.nested import JSONList, MadeOnFirstRead, instance, instances
from articles.models.taxonomy import Tag, Topic
from articles.prepared import PreparedQuery

# Publish and expiry times outside these bounds are typing slips (year 1,
# 9999), and the far end overflows date arithmetic: the web's health sites
# start in the 1990s, and nobody schedules an article decades ahead.
EARLIEST_PUBLISH_TIME = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_SCHEDULE_YEARS = 10
# Related articles the page lists.
RELATED_COUNT = 3
# The body in its forms: the longest fields by far, and shown only on the
# article's own page and in feeds.
LONG_TEXT = (
    "body",
    "body_html",
    "headings_json",
    "references_html",
    "citations_json",
    "terms_html",
    "defined_terms_json",
    "feed_html",
)


def validate_single_line(value):
    """Titles go into email subjects, feed titles and <title>: one line only."""
    if "\n" in value or "\r" in value:
        raise ValidationError(
            "Write the title on one line: line breaks are not allowed.",
            code="line_break",
        )


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Live to readers: published status, a publish time already passed and
        no expiry time passed yet (at ``now``, by default the present)."""
        now = now or timezone.now()
        return self.filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            status=Status.PUBLISHED,
            published_at__lte=now,
        )

    def above_reading_target(self):
        """Bodies that read above the target grade (READING_GRADE_TARGET)."""
        return self.filter(reading_grade__gt=settings.READING_GRADE_TARGET)

    def within_reading_target(self):
        """Bodies that read at or below the target grade; not those without
        words, which have no grade."""
        return self.filter(reading_grade__lte=settings.READING_GRADE_TARGET)

    def expired(self):
        """Published, but taken off the site by their expiry time."""
        return self.filter(status=Status.PUBLISHED, expire_at__lte=timezone.now())

    def scheduled(self):
        """Published by an editor, but with a publish time still in the future."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def next_change_after(self, moment):
        """The first time after ``moment`` at which an article goes live or
        expires by the clock alone, with no write; None if none is due."""
        # One lookup in an index each, however many articles: a minimum of
        # both in one query read every live article's row.
        published = self.filter(status=Status.PUBLISHED)
        due = [
            published.filter(**{f"{field}__gt": moment})
            .order_by(field)
            .values_list(field, flat=True)
            .first()
            for field in ("published_at", "expire_at")
        ]
        return min((t for t in due if t is not None), default=None)

    def visible_to(self, user):
        """The articles ``user`` may open in the admin and preview: editors see
        all; authors their own; reviewers also what is in review or approved,
        and live articles, whose changes and re-reviews they check."""
        if user.has_perm("articles.publish_article"):
            return self
        visible = Q(created_by=user) | Q(author__user=user)
        if user.has_perm("articles.review_article"):
            visible |= Q(
                status__in=[Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED]
            )
        return self.filter(visible)

    def with_reviews(self):
        """Each article's medical reviews with their reviewers, newest first, in
        one query however many articles: for Article.latest_review."""
        # Imported here: the review model's module imports this one.
        from articles.models.editorial import MedicalReview

        return self.prefetch_related(
            Prefetch(
                "medical_reviews",
                queryset=MedicalReview.objects.select_related("reviewer"),
            )
        )

    def for_page(self, now=None):
        """Everything an article's page shows, in one query however long the
        article and however many articles: the article with its author, image
        and stored page parts (articles.page_parts), and as JSON
        (articles.models.nested) the image's renditions, the topics, tags,
        "What changed" notes, latest medical review and related articles. The
        body and references come rendered in the row (Article.reader_body)."""
        # Imported here: the editorial module imports this one.
        from articles.models.editorial import ChangeNote, MedicalReview

        article = OuterRef("pk")
        shares_a_topic = Article.topics.through.objects.filter(
            article=OuterRef("pk"), topic__articles=OuterRef(OuterRef("pk"))
        )
        related = (
            Article.objects.published(now)
            .filter(Exists(shares_a_topic))
            .exclude(pk=article)
            .order_by("-published_at", "-pk")[:RELATED_COUNT]
        )
        queryset = (
            self.for_listing()
            .defer(None)
            # The head and article element as last rendered (articles.page_parts).
            .select_related("stored_page")
            # The image's renditions come as JSON too.
            .prefetch_related(None)
            .annotate(
                page_renditions=JSONList(
                    Rendition.objects.filter(image=OuterRef("featured_image")),
                    id="id",
                    image_id="image_id",
                    ratio="ratio",
                    format="format",
                    width="width",
                    height="height",
                    file="file",
                ),
                page_topics=JSONList(
                    Topic.objects.filter(articles=article),
                    id="id",
                    name="name",
                    slug="slug",
                ),
                page_tags=JSONList(
                    Tag.objects.filter(articles=article),
                    id="id",
                    name="name",
                    slug="slug",
                ),
                page_change_notes=JSONList(
                    ChangeNote.objects.filter(article=article),
                    id="id",
                    article_id="article_id",
                    changed_at="changed_at",
                    note="note",
                ),
                page_reviews=JSONList(
                    MedicalReview.objects.filter(article=article)[:1],
                    id="id",
                    article_id="article_id",
                    reviewed_on="reviewed_on",
                    next_review_on="next_review_on",
                    reviewer_id="reviewer_id",
                    reviewer=JSONObject(
                        id="reviewer__id",
                        name="reviewer__name",
                        slug="reviewer__slug",
                        credentials="reviewer__credentials",
                    ),
                ),
                page_related=JSONList(
                    related,
                    id="id",
                    title="title",
                    slug="slug",
                    summary="summary",
                    published_at="published_at",
                ),
            )
        )
        queryset._iterable_class = PageIterable
        return queryset

    def with_references(self):
        """The references in list order, for what renders the body afresh."""
        # Imported here: the references module imports this one.
        from articles.models.references import Reference

        return self.prefetch_related(
            Prefetch(
                "references", queryset=Reference.objects.order_by("position", "pk")
            )
        )

    def with_stale_body(self):
        """Articles whose stored body an older version of articles.body rendered,
        or whose feed text links to another SITE_URL (`make run` on another
        port, or a site moved to its own domain)."""
        return self.filter(
            ~Q(body_rendering=article_body.RENDERING)
            | ~Q(feed_base_url__startswith=article_body.absolute_url("/"))
        )

    def rebuild_bodies(self, batch_size=500):
        """Render and store the body of each article again; returns how many."""
        count = 0
        articles = self.with_references().order_by("pk")
        glossary = Term.objects.glossary()
        # Few, and broken wherever they are linked from: read once.
        broken = {link.url: link for link in Link.objects.broken()}
        batch = []
        for article in articles.iterator(chunk_size=batch_size):
            article.store_body(article.references.all(), glossary, broken)
            batch.append(article)
            if len(batch) == batch_size:
                count += Article.objects.bulk_update(batch, article_body.STORED_FIELDS)
                batch = []
        if batch:
            count += Article.objects.bulk_update(batch, article_body.STORED_FIELDS)
        return count

    def using_terms(self, slugs):
        """Articles whose stored body links any of these glossary terms."""
        uses = Q()
        for slug in slugs:
            uses |= Q(terms_html__contains=f'id="term-{slug}"')
        return self.filter(uses) if uses else self.none()

    def mentioning(self, words):
        """Articles whose body contains any of ``words``, whatever their case:
        those a glossary term with these forms may link."""
        mentions = Q()
        for word in words:
            mentions |= Q(body__icontains=word)
        return self.filter(mentions) if mentions else self.none()

    def related_to(self, article, limit=RELATED_COUNT):
        """Live articles sharing a topic with `article`, newest first, never itself.

        One query, none when the article has no topics; uses the article's
        prefetched topics. EXISTS rather than a join keeps each article once
        however many topics it shares, without a DISTINCT over whole rows.
        """
        topic_ids = [topic.pk for topic in article.topics.all()]
        if not topic_ids:
            return self.none()
        shares_a_topic = Article.topics.through.objects.filter(
            article=OuterRef("pk"), topic__in=topic_ids
        )
        return (
            self.published()
            .filter(Exists(shares_a_topic))
            .exclude(pk=article.pk)
            .only("title", "slug", "summary", "published_at")
            .order_by("-published_at", "-pk")[:limit]
        )

    def for_listing(self):
        """What article lists show: the author and featured image in one query,
        and the image's renditions in one more however many articles there are.
        The body in its forms, which lists never show, is left in the database."""
        return (
            self.select_related("author", "featured_image")
            .prefetch_related("featured_image__renditions")
            .defer(*LONG_TEXT)
        )


class PageIterable(ModelIterable):
    """Articles as ArticleQuerySet.for_page() loads them: its JSON turned into
    the instances the page reads (Article.take_page_parts)."""

    def __iter__(self):
        for article in super().__iter__():
            article.take_page_parts()
            yield article


class Article(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article’s address: lowercase words joined by hyphens.",
    )
    summary = models.TextField(
        max_length=300,
        help_text="One or two plain sentences shown in lists, feeds and search "
        "results (300 characters at most).",
    )
    body = SanitizedHTMLField(blank=True)
    featured_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown at the top of the article and in lists.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Readers see an article when it is Published and its publish "
        "time has passed.",
    )
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article goes live. A time in the future schedules it.",
    )
    expire_at = models.DateTimeField(
        "expiry time",
        null=True,
        blank=True,
        help_text="Optional. At this time the article leaves every page, feed and "
        "sitemap by itself.",
    )
    is_medical = models.BooleanField(
        "medical content",
        default=True,
        db_default=True,  # Also for rows inserted by SQL, as imports may be.
        help_text="Medical articles need a medical review and at least one "
        "reference before they can be published. Untick for site news.",
    )
    updated_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        help_text="Set only for a substantive update (new evidence, changed advice); "
        "readers see it as “Updated”. Typo fixes do not count.",
    )
    # The id feed readers know the article by, when it had one before it came
    # here (a WordPress post's guid): kept, so that readers do not show it
    # again as new after the move. Empty for articles written here, whose
    # feed id is their UUID.
    feed_guid = models.CharField(
        max_length=500, blank=True, editable=False, db_default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: feeds ask for the newest (articles.feeds.caching).
    modified_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The body as readers get it, rendered from the body and the references
    # whenever either is saved (articles.body.stored_parts), so that a page
    # view renders nothing. Never edited by hand. Rows inserted by SQL, as
    # imports may be, get the database defaults: not yet rendered.
    body_html = models.TextField(blank=True, db_default="", editable=False)
    # The h2 headings' [id, text] pairs, as JSON text.
    headings_json = models.TextField(blank=True, db_default="", editable=False)
    reading_minutes = models.PositiveIntegerField(db_default=1, editable=False)
    references_html = models.TextField(blank=True, db_default="", editable=False)
    # schema.org citations of the references, for the page's structured data,
    # as JSON text: a JSON column may reorder the keys (PostgreSQL's jsonb does).
    citations_json = models.TextField(blank=True, db_default="", editable=False)
    # The glossary terms the body links: the "Words explained" list, and the
    # terms as schema.org DefinedTerms (JSON text, like citations_json).
    terms_html = models.TextField(blank=True, db_default="", editable=False)
    defined_terms_json = models.TextField(blank=True, db_default="", editable=False)
    feed_html = models.TextField(blank=True, db_default="", editable=False)
    # The address feed_html was rendered against: SITE_URL and the slug.
    feed_base_url = models.CharField(
        max_length=500, blank=True, db_default="", editable=False
    )
    # The body's Flesch–Kincaid grade (articles.reading_level), for the
    # admin's reading-level filter; None for a body without words.
    reading_grade = models.FloatField(null=True, blank=True, editable=False)
    # Which version of articles.body rendered the fields above (0: none yet).
    body_rendering = models.PositiveSmallIntegerField(db_default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # For the next expiry, which no page may be cached past.
            models.Index(fields=["status", "expire_at"]),
            # Counting live articles (the archive's months) reads this index
            # alone, much smaller than the table.
            models.Index(
                fields=["published_at", "expire_at"],
                condition=Q(status=Status.PUBLISHED),
                name="article_live",
            ),
            # The sitemap's newest lastmod (last_changed()), in one step back
            # from the present: drafts are not in it, and scheduled articles
            # are above the present.
            models.Index(
                Coalesce("updated_at", "published_at"),
                condition=Q(status=Status.PUBLISHED),
                name="article_live_last_changed",
            ),
        ]
        permissions = [
            ("submit_article", "Can submit articles for medical review"),
            ("review_article", "Can record medical reviews and send articles back"),
            ("publish_article", "Can publish, schedule and unpublish articles"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200]
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # Readers, feeds and structured data see these to the second; HTML's
        # datetime attribute does not accept microseconds.
        for field in ("published_at", "updated_at"):
            if moment := getattr(self, field):
                setattr(self, field, moment.replace(microsecond=0))
        self.check_slug_is_free()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"body", "slug"} & set(update_fields):
            self.store_body()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *article_body.STORED_FIELDS}
        was_live_at = self.live_slug_in_database()
        super().save(*args, **kwargs)
        self.redirect_from(was_live_at)
        # An article taking back one of its old addresses no longer redirects there.
        self.slug_redirects.filter(old_slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @classmethod
    def live_page(cls, slug):
        """The live article at ``slug``, loaded as its page shows it
        (ArticleQuerySet.for_page), or None. The query is compiled once per
        process (articles.prepared): building it costs more than running it."""
        found = LIVE_PAGE.list(slug=slug, now=timezone.now())
        return found[0] if found else None

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"pk": self.pk})

    def take_page_parts(self):
        """Turn the JSON ArticleQuerySet.for_page() loads into what the page
        reads: article.topics.all(), tags and change notes as if prefetched,
        latest_review and related_articles."""
        # Imported here: the editorial module imports this one.
        from articles.models.editorial import ChangeNote, MedicalReview

        def made(name, model):
            return lambda: loaded(
                getattr(self, name).all(),
                instances(model, getattr(self, f"page_{name}")),
            )

        self._prefetched_objects_cache = MadeOnFirstRead(
            (name, made(name, model))
            for name, model in (
                ("topics", Topic),
                ("tags", Tag),
                ("change_notes", ChangeNote),
            )
        )
        review = None
        for data in self.page_reviews or ():
            # A copy: page_reviews stays as loaded (articles.page_parts).
            data = dict(data)
            reviewer = data.pop("reviewer")
            review = instance(MedicalReview, data)
            review.reviewer = instance(Author, reviewer)
        self.page_latest_review = review
        self.related_articles = instances(Article, self.page_related)
        if image := self.featured_image:
            image._prefetched_objects_cache = MadeOnFirstRead(
                {"renditions": lambda: self.page_renditions_of(image)}
            )

    def page_renditions_of(self, image):
        renditions = instances(Rendition, self.page_renditions)
        for rendition in renditions:
            Rendition.image.field.set_cached_value(rendition, image)
        return loaded(image.renditions.all(), renditions)

    def store_body(self, references=None, glossary=None, broken=None):
        """Render the body for readers into the stored fields, unsaved.

        ``references`` in list order; by default those saved, so a change to
        them must render again (Article.rebuild_body, articles.signals).
        ``glossary`` (Term.objects.glossary()) by default every term, so a
        change to a term must render again the articles it concerns
        (articles.signals). ``broken`` maps the addresses the link checker found
        broken to their Link: by default those this article links to.
        """
        if references is None:
            references = self.references.order_by("position", "pk") if self.pk else ()
        if glossary is None:
            glossary = Term.objects.glossary()
        references = list(references)
        if broken is None:
            broken = Link.objects.broken_among(r.url for r in references)
            if self.pk:
                # Links in the text, as the link checker last gathered them.
                broken |= {link.url: link for link in self.links.broken()}
        parts = article_body.stored_parts(self, references, glossary, broken)
        for name, value in parts.items():
            setattr(self, name, value)

    def rebuild_body(self):
        """Render the body again from the saved references and store only that."""
        self.store_body()
        Article.objects.filter(pk=self.pk).update(
            **{name: getattr(self, name) for name in article_body.STORED_FIELDS}
        )

    def reader_body(self):
        """The rendered body, references and contents for the article page.

        As stored; rendered now, from the references prefetched or saved, when
        an older version stored it (until rebuild_bodies runs).
        """
        if self.body_rendering != article_body.RENDERING:
            self.store_body(self.references.all())
        return article_body.StoredBody.of(self)

    def citations(self):
        """The references as schema.org citations, in list order."""
        return json.loads(self.citations_json or "[]")

    def glossary_terms(self):
        """The glossary terms the body links with the glossary as it is now,
        in the order the text first uses them."""
        glossary = Term.objects.glossary()
        return article_body.render_body(self.body, (), glossary=glossary).terms

    def defined_terms(self):
        """The glossary terms the body links, as schema.org DefinedTerms."""
        return json.loads(self.defined_terms_json or "[]")

    def feed_body(self):
        """The body and references for a feed item, every address absolute.

        As stored, unless SITE_URL has changed since (or an older version
        stored it): then rendered now.
        """
        if (
            self.body_rendering != article_body.RENDERING
            or self.feed_base_url != article_body.absolute_url(self.get_absolute_url())
        ):
            self.store_body(self.references.all())
        return mark_safe(self.feed_html)  # Rendered by articles.body.

    def clean(self):
        if self.slug:
            self.check_slug_is_free()
        errors = {}
        for field in ("published_at", "expire_at"):
            if problem := out_of_range(getattr(self, field)):
                errors[field] = problem
        if (
            self.expire_at
            and self.published_at
            and self.expire_at <= self.published_at
            and not errors
        ):
            errors["expire_at"] = "The expiry time must come after the publish time."
        if (
            self.updated_at
            and self.published_at
            and self.updated_at < self.published_at
        ):
            errors["updated_at"] = "The update cannot be earlier than the publish time."
        if errors:
            raise ValidationError(errors)

    def redirect_from(self, old_slug):
        """Keep an address readers have had (``old_slug``) leading here."""
        if old_slug and old_slug != self.slug:
            SlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"article": self}
            )

    def live_slug_in_database(self):
        """The stored slug, if the stored article is live: readers may have it."""
        if self.pk is None:
            return None
        return (
            Article.objects.published()
            .filter(pk=self.pk)
            .values_list("slug", flat=True)
            .first()
        )

    def check_slug_is_free(self):
        taken_by = (
            SlugRedirect.objects.filter(old_slug=self.slug)
            .exclude(article_id=self.pk)
            .select_related("article")
            .first()
        )
        if taken_by:
            raise ValidationError(
                {
                    "slug": f"This address used to belong to “{taken_by.article}” and "
                    "still leads there. Choose another slug."
                }
            )

    def is_published(self):
        """The one-object form of ArticleQuerySet.published()."""
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    def is_above_reading_target(self):
        """The one-object form of ArticleQuerySet.above_reading_target()."""
        return (
            self.reading_grade is not None
            and self.reading_grade > settings.READING_GRADE_TARGET
        )

    def is_expired(self):
        return (
            self.status == Status.PUBLISHED
            and self.expire_at is not None
            and self.expire_at <= timezone.now()
        )

    def renumber_references(self):
        """Number the references 1, 2, 3… in their order; 0 (unset) goes last."""
        references = sorted(
            self.references.all(), key=lambda r: (r.position or float("inf"), r.pk)
        )
        for number, reference in enumerate(references, start=1):
            reference.position = number
        self.references.bulk_update(references, ["position"])
        # bulk_update() sends no signal, and the numbers are the citations'.
        self.rebuild_body()

    @staticmethod
    def last_changed(prefix=""):
        """last_changed_at as a database expression, for lastmod in bulk;
        ``prefix`` is the path to the article ("articles__" from a topic)."""
        return Coalesce(f"{prefix}updated_at", f"{prefix}published_at")

    def has_been_published(self):
        """Readers have seen it: an "Updated" date only makes sense after that."""
        return (
            self.status in (Status.PUBLISHED, Status.UNPUBLISHED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def last_changed_at(self):
        """When the article last changed in substance: the "Updated" instant
        readers see, or else its publish time.

        Used for dateModified, the sitemap's lastmod (as last_changed() there)
        and the feeds' updated date.
        Not ``modified_at``: that moves on every save, typo fixes included, and a
        lastmod that moves without the page changing teaches crawlers to ignore it.
        """
        return self.updated_at or self.published_at

    def current_reviews(self):
        """The medical reviews that still stand: those recorded since the
        article last stopped being medical content. Text changed while it was
        not medical was never reviewed, whatever came before."""
        reviews = self.medical_reviews.all()
        stopped = (
            self.transitions.filter(move="medical_off")
            .values_list("moved_at", flat=True)
            .first()
        )
        return reviews.filter(recorded_at__gt=stopped) if stopped else reviews

    @property
    def review_for_readers(self):
        """The review the page and the feeds tell readers about: the latest,
        for a medical article; none for site news."""
        return self.latest_review if self.is_medical else None

    @property
    def latest_review(self):
        """The newest medical review, or None: the one readers are told about.
        From what ArticleQuerySet.for_page() or with_reviews() loaded, if
        either did."""
        if "page_latest_review" in self.__dict__:
            return self.page_latest_review
        reviews = self.medical_reviews.all()
        return reviews[0] if reviews else None

    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


def loaded(queryset, objects):
    """``queryset`` with ``objects`` as its results, as prefetch_related()
    leaves a related manager's: reading it makes no query."""
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    return queryset


def out_of_range(moment):
    """Why a publish or expiry time is not plausible, or None."""
    if moment is None:
        return None
    latest = timezone.now() + timedelta(days=365 * LATEST_SCHEDULE_YEARS)
    if moment < EARLIEST_PUBLISH_TIME:
        return "Check the year: times before 1990 are not accepted."
    if moment > latest:
        return (
            f"Check the year: times more than {LATEST_SCHEDULE_YEARS} years ahead "
            "are not accepted."
        )
    return None


LIVE_PAGE = PreparedQuery(
    Article,
    lambda slug, now: Article.objects.published(now).for_page(now).filter(slug=slug),
)


class SlugRedirect(models.Model):
    """An old address of a live article, answered with a 301 to its current one.

    Redirects point at the article, not at a slug, so renaming twice never makes
    a chain of hops.
    """

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
