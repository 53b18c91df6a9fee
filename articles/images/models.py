"""The image library: uploads and the renditions made from them."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property

from articles.images import renditions
from articles.images.uploads import validate_image_upload

# Sharing cards (Open Graph, X) and search engines' article images ask for
# 1200 pixels wide at 16:9. From an image at least this big, the 16:9 crop
# they are given is made at full size, never enlarged.
FEATURED_MIN_WIDTH = renditions.CROP_WIDTH
FEATURED_MIN_HEIGHT = renditions.CROP_WIDTH * 9 // 16


def featured_size_problem(width, height, subject="This image"):
    """Why an image of this size cannot be a featured image, or None."""
    if width >= FEATURED_MIN_WIDTH and height >= FEATURED_MIN_HEIGHT:
        return None
    return (
        f"{subject} is {width} × {height} pixels. A featured image must be at "
        f"least {FEATURED_MIN_WIDTH} × {FEATURED_MIN_HEIGHT} pixels, the size "
        "sharing cards need: use a larger version."
    )


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=f"JPEG, PNG, WebP or GIF, at least {FEATURED_MIN_WIDTH} × "
        f"{FEATURED_MIN_HEIGHT} pixels (1600 pixels wide or more looks sharpest). "
        "Location and camera details are removed when it is saved, and an "
        "animation keeps only its first frame.",
    )
    original_filename = models.CharField(
        "uploaded as",
        max_length=255,
        blank=True,
        editable=False,
        help_text="The name of the file that was uploaded. It is stored under a "
        "random name, so nobody can guess its address.",
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
        help_text="Who made or sells the image, e.g. “Depositphotos / pressmaster”. "
        "Required unless it is our own image.",
    )
    is_own_image = models.BooleanField(
        "our own image",
        default=False,
        db_default=False,  # Also for rows inserted by SQL, as imports may be.
        help_text="Tick only if we made it ourselves (our photo or drawing): then "
        "it needs no credit.",
    )
    source_url = models.URLField("source URL", blank=True)
    licence = models.CharField(
        max_length=200, blank=True, help_text="E.g. “Standard licence” or “CC BY 4.0”."
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Feeds carry alt text and credits: a correction must reach their readers.
    # Indexed: feeds ask for the newest (articles.feeds.caching).
    modified_at = models.DateTimeField(auto_now=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        # The table it had while the library was part of the articles app.
        db_table = "articles_image"
        ordering = ["-uploaded_at"]

    def __str__(self):
        label = (
            self.alt_text
            or self.caption
            or self.original_filename
            or PurePath(self.file.name).name
        )
        return label if len(label) <= 80 else f"{label[:79]}…"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self.file or (update_fields is not None and "file" not in update_fields):
            return super().save(*args, **kwargs)
        stored_name = self.stored_file_name()
        # A new file is an upload assigned to the field, or one that
        # file.save(name, content) has put in storage already, as scripts and
        # importers do: either way, not the file the row holds.
        if self.file._committed and self.file.name == stored_name:
            return super().save(*args, **kwargs)
        # Cleaned before the row points at it, so no copy with EXIF or GPS data
        # is served, whichever way the image was added.
        self.take_clean_original()
        super().save(*args, **kwargs)
        if stored_name and stored_name != self.file.name:
            delete_file_on_commit(self.file.storage, stored_name)
        self.make_renditions()

    def take_clean_original(self):
        """Put a cleaned copy of the new file in the field, under a token's
        name, and keep the file's own name as display text."""
        incoming = self.file
        # Stored already by file.save(): under the upload's name, with its EXIF.
        raw_name = incoming.name if incoming._committed else None
        self.original_filename = PurePath(incoming.name).name[:255]
        try:
            self.file = renditions.clean_original(incoming)
        finally:
            incoming.close()
        if raw_name and not self.is_another_images_file(raw_name):
            incoming.storage.delete(raw_name)

    def is_another_images_file(self, name):
        return Image.objects.filter(file=name).exclude(pk=self.pk).exists()

    def clean(self):
        errors = {}
        if not self.is_decorative and not self.alt_text.strip():
            errors["alt_text"] = (
                "Describe the image, or tick “decorative” if it adds no information."
            )
        if not self.is_own_image and not self.credit.strip():
            errors["credit"] = (
                "Say who made or sells the image, e.g. “Depositphotos / "
                "pressmaster”, or tick “our own image”."
            )
        if errors:
            raise ValidationError(errors)
        if self.is_decorative:
            self.alt_text = ""

    def featured_size_problem(self):
        """Why this image cannot be chosen as a featured image, or None."""
        if self.width is None or self.height is None:
            return None
        return featured_size_problem(self.width, self.height)

    def stored_file_name(self):
        if self.pk is None:
            return None
        return Image.objects.filter(pk=self.pk).values_list("file", flat=True).first()

    def make_renditions(self):
        """(Re)make every rendition from the stored original, replacing old ones.

        Each set goes in a new folder named by a random token: its addresses
        cannot be guessed, and never collide with the set being replaced.
        """
        self.renditions.all().delete()
        with self.open_stored() as original:
            picture, fallback = renditions.load(original)
        folder = renditions.new_token()
        made = []
        for spec, content in renditions.render_all(picture, fallback):
            rendition = Rendition(
                image=self,
                ratio=spec.ratio,
                format=spec.format,
                width=spec.width,
                height=spec.height,
            )
            name = f"{folder}/{spec.filename()}"
            rendition.file.save(name, ContentFile(content), save=False)
            made.append(rendition)
        Rendition.objects.bulk_create(made)
        self.forget_renditions()
        # The renditions' addresses changed: feeds that show them must not
        # answer "not modified".
        self.modified_at = timezone.now()
        Image.objects.filter(pk=self.pk).update(modified_at=self.modified_at)

    def reprocess_original(self):
        """Put the stored original through upload processing again.

        For images stored before originals were cleaned: they may still carry
        EXIF or extra frames, need turning upright, or are CMYK or 16-bit.
        """
        with self.open_stored() as stored:
            self.file = ContentFile(
                stored.read(),
                name=self.original_filename or PurePath(self.file.name).name,
            )
        self.save()

    def rename_original(self):
        """Move an original stored under its upload's name to a token's name.

        The bytes are copied as they are: the file is clean already, and
        encoding it again would cost quality for nothing.
        """
        old_name = self.file.name
        with self.open_stored() as stored:
            extension = renditions.extension_of(stored)
            stored.seek(0)
            self.file.save(f"{renditions.new_token()}.{extension}", stored, save=False)
        self.original_filename = self.original_filename or PurePath(old_name).name
        # An update, not save(): the file is new to the row, and save() would
        # take it for an upload to clean.
        Image.objects.filter(pk=self.pk).update(
            file=self.file.name, original_filename=self.original_filename
        )
        delete_file_on_commit(self.file.storage, old_name)

    def original_needs_cleaning(self):
        with self.open_stored() as stored:
            return renditions.needs_cleaning(stored)

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
    # ``filename`` starts with the folder of its set, named by a token (see
    # Image.make_renditions): never the image's id, which anyone can count.
    return f"renditions/{filename}"


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
        db_table = "articles_rendition"
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
