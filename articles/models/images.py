"""The image library: uploads and the renditions made from them."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import cached_property

from articles import renditions
from articles.uploads import validate_image_upload


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
    # Feeds carry alt text and credits: a correction must reach their readers.
    modified_at = models.DateTimeField(auto_now=True)
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
        EXIF or extra frames, need turning upright, or are CMYK or 16-bit.
        """
        with self.open_stored() as stored:
            self.file = ContentFile(stored.read(), name=PurePath(self.file.name).name)
        self.save()

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
