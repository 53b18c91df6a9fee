import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

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


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF. At least 1600 pixels wide for a featured image.",
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

    def for_listing(self):
        """What article lists show: the author and featured image in one query."""
        return self.select_related("author", "featured_image")


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
