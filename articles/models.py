import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from articles import renditions
from articles.fields import SanitizedHTMLField
from articles.uploads import validate_image_upload

validate_doi = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    "Enter a DOI such as 10.1182/blood.2020008805 (without https://doi.org/).",
    code="invalid_doi",
)
validate_pubmed_id = RegexValidator(
    r"^[1-9]\d{0,8}$",
    "Enter a PubMed id: digits only, such as 32649747.",
    code="invalid_pmid",
)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the topic page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The admin login of this person, if they have one.",
    )
    name = models.CharField("display name", max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    credentials = models.CharField(
        max_length=150,
        blank=True,
        help_text="Shown after the name, e.g. “RN, oncology nurse” or “MD, haematologist”.",
    )
    bio = models.TextField(
        blank=True, help_text="Two or three sentences: training, experience, focus."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF. At least 1600 pixels wide for a featured "
        "image. Location and camera details are removed when it is saved.",
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for people who cannot see it. "
        "Required unless the image is decorative.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the image adds no information; screen readers will skip it.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made or sells the image, e.g. “Depositphotos / pressmaster”.",
    )
    source_url = models.URLField("source URL", blank=True)
    licence = models.CharField(
        max_length=200, blank=True, help_text="E.g. “Standard licence” or “CC BY 4.0”."
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        label = self.alt_text or self.caption or self.file.name.rsplit("/", 1)[-1]
        return label if len(label) <= 80 else f"{label[:79]}…"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        new_file = (
            bool(self.file)
            and not self.file._committed
            and (update_fields is None or "file" in update_fields)
        )
        if not new_file:
            return super().save(*args, **kwargs)
        replaced = self.stored_file_name()
        # Upright and stripped before it is ever stored, so no copy with EXIF or
        # GPS data is served, whichever way the image was added.
        self.file = renditions.clean_original(self.file)
        super().save(*args, **kwargs)
        if replaced and replaced != self.file.name:
            delete_file_on_commit(self.file.storage, replaced)
        self.make_renditions()

    def clean(self):
        if not self.is_decorative and not self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "Describe the image, or tick “decorative” if it adds "
                    "no information."
                }
            )
        if self.is_decorative:
            self.alt_text = ""

    def stored_file_name(self):
        if self.pk is None:
            return None
        return Image.objects.filter(pk=self.pk).values_list("file", flat=True).first()

    def make_renditions(self):
        """(Re)make every rendition from the stored original, replacing old ones."""
        self.renditions.all().delete()
        with self.open_stored() as original:
            picture, fallback = renditions.load(original)
        made = []
        for spec, content in renditions.render_all(picture, fallback):
            rendition = Rendition(
                image=self,
                ratio=spec.ratio,
                format=spec.format,
                width=spec.width,
                height=spec.height,
            )
            name = spec.filename(self.file.name)
            rendition.file.save(name, ContentFile(content), save=False)
            made.append(rendition)
        Rendition.objects.bulk_create(made)
        self.forget_renditions()

    def reprocess_original(self):
        """Put the stored original through upload processing again.

        For images stored before originals were cleaned: they may still carry
        EXIF, and need turning upright.
        """
        with self.open_stored() as stored:
            self.file = ContentFile(stored.read(), name=PurePath(self.file.name).name)
        self.save()

    def original_has_metadata(self):
        with self.open_stored() as stored:
            return renditions.has_metadata(stored)

    def open_stored(self):
        # Straight from storage: closing it leaves self.file readable by callers.
        return self.file.storage.open(self.file.name, "rb")

    def forget_renditions(self):
        self.__dict__.pop("rendition_list", None)
        getattr(self, "_prefetched_objects_cache", {}).pop("renditions", None)

    @cached_property
    def rendition_list(self):
        # Uses prefetch_related("renditions") when the queryset did it, and makes
        # at most one query otherwise, however many of the methods below a page
        # calls.
        return list(self.renditions.all())

    def whole_renditions(self, image_format):
        """The renditions of the whole image in one format, narrowest first."""
        return sorted(
            (
                r
                for r in self.rendition_list
                if not r.ratio and r.format == image_format
            ),
            key=lambda r: r.width,
        )

    def srcset(self, image_format):
        """The srcset attribute for one format ("webp", "jpeg" or "png")."""
        return ", ".join(
            f"{r.url} {r.width}w" for r in self.whole_renditions(image_format)
        )

    def crop(self, ratio):
        """The "16:9", "4:3" or "1:1" crop, or None if it has not been made."""
        if ratio not in renditions.CROPS:
            raise ValueError(
                f"No {ratio!r} crop: choose one of {list(renditions.CROPS)}."
            )
        return next((r for r in self.rendition_list if r.ratio == ratio), None)

    @property
    def fallback_format(self):
        """The format of the renditions for browsers without WebP, if any."""
        return next(
            (
                r.format
                for r in self.rendition_list
                if not r.ratio and r.format != Rendition.Format.WEBP
            ),
            None,
        )

    @property
    def src_url(self):
        """The <img src>: the widest fallback rendition, or else the original."""
        fallback = self.whole_renditions(self.fallback_format)
        return fallback[-1].url if fallback else self.file.url

    @property
    def thumbnail_url(self):
        """A small copy for admin lists and choosers: the narrowest rendition."""
        fallback = self.whole_renditions(self.fallback_format)
        return fallback[0].url if fallback else self.file.url


def rendition_upload_to(rendition, filename):
    return f"renditions/{rendition.image_id}/{filename}"


class Rendition(models.Model):
    """A resized or cropped copy of an Image, made once when the file is saved."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"

    class Ratio(models.TextChoices):
        WHOLE = "", "Whole image"
        WIDE = "16:9", "16:9 crop"
        STANDARD = "4:3", "4:3 crop"
        SQUARE = "1:1", "1:1 crop"

    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="renditions"
    )
    ratio = models.CharField(max_length=5, choices=Ratio, blank=True)
    format = models.CharField(max_length=4, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(upload_to=rendition_upload_to, max_length=255)

    class Meta:
        ordering = ["ratio", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "ratio", "format", "width"],
                name="unique_rendition_per_spec",
            )
        ]

    def __str__(self):
        shape = f"{self.ratio} crop" if self.ratio else "whole"
        return f"{self.image_id}: {shape}, {self.width} × {self.height} {self.format}"

    @property
    def url(self):
        return self.file.url

    @property
    def mime_type(self):
        return f"image/{self.format}"


def delete_file_on_commit(storage, name, using=None):
    # After the commit, so a rolled-back delete never leaves rows without files.
    transaction.on_commit(lambda: storage.delete(name), using=using)


@receiver(post_delete, sender=Image)
@receiver(post_delete, sender=Rendition)
def delete_stored_file(sender, instance, using, **kwargs):
    # Signals rather than delete(): they also cover queryset and cascade deletes,
    # such as the admin's "delete selected" and an image taking its renditions.
    if instance.file:
        delete_file_on_commit(instance.file.storage, instance.file.name, using)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Live to readers: published status and a publish time already passed."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published by an editor, but with a publish time still in the future."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def related_to(self, article, limit=3):
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
        and the image's renditions in one more however many articles there are."""
        return self.select_related("author", "featured_image").prefetch_related(
            "featured_image__renditions"
        )


class Article(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
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
    updated_at = models.DateTimeField(
        "updated",
        null=True,
        blank=True,
        help_text="Set only for a substantive update (new evidence, changed advice); "
        "readers see it as “Updated”. Typo fixes do not count.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [models.Index(fields=["status", "published_at"])]

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
        was_live_at = self.live_slug_in_database()
        super().save(*args, **kwargs)
        if was_live_at and was_live_at != self.slug:
            SlugRedirect.objects.update_or_create(
                old_slug=was_live_at, defaults={"article": self}
            )
        # An article taking back one of its old addresses no longer redirects there.
        self.slug_redirects.filter(old_slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"pk": self.pk})

    def clean(self):
        if self.slug:
            self.check_slug_is_free()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if (
            self.updated_at
            and self.published_at
            and self.updated_at < self.published_at
        ):
            raise ValidationError(
                {"updated_at": "The update cannot be earlier than the publish time."}
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
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def renumber_references(self):
        """Number the references 1, 2, 3… in their order; 0 (unset) goes last."""
        references = sorted(
            self.references.all(), key=lambda r: (r.position or float("inf"), r.pk)
        )
        for number, reference in enumerate(references, start=1):
            reference.position = number
        Reference.objects.bulk_update(references, ["position"])

    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
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


class Reference(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Order in the list: lower numbers come first. Leave 0 to add at "
        "the end.",
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal or organisation, e.g. “Blood” or “Multiple Myeloma "
        "Research Foundation”.",
    )
    url = models.URLField("link", max_length=500, blank=True)
    authors = models.CharField(
        max_length=500, blank=True, help_text="E.g. “Kumar SK, Rajkumar SV, et al.”"
    )
    published_on = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="If only the year is known, leave empty and fill in the year.",
    )
    published_year = models.PositiveSmallIntegerField(
        "publication year", null=True, blank=True
    )
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    pubmed_id = models.CharField(
        "PubMed id", max_length=12, blank=True, validators=[validate_pubmed_id]
    )
    accessed_on = models.DateField("date accessed", null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if not (self.url or self.doi or self.pubmed_id):
            raise ValidationError(
                "Give a link, a DOI or a PubMed id so readers can find the source."
            )
        if (
            self.published_on
            and self.published_year
            and self.published_on.year != self.published_year
        ):
            raise ValidationError(
                {"published_year": "The year does not match the publication date."}
            )

    @property
    def year(self):
        return self.published_on.year if self.published_on else self.published_year

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return (
            f"https://pubmed.ncbi.nlm.nih.gov/{self.pubmed_id}/"
            if self.pubmed_id
            else ""
        )
