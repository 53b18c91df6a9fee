"""Checks every uploaded image with Pillow before anything is stored."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

# Pillow format name -> the file extension the stored file gets.
# MPO is the JPEG variant many phones write; it is stored as a plain JPEG.
ACCEPTED_FORMATS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "GIF": "gif",
}
ACCEPTED_MIME_TYPES = "image/jpeg,image/png,image/webp,image/gif"


def inspect_image(file):
    """Return (format, width, height) of an acceptable image or raise ValidationError.

    The image is decoded in full, because ``verify()`` alone lets some truncated
    files through.
    """
    name = PurePath(getattr(file, "name", "") or "upload").name
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with PILImage.open(file) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    "“%(name)s” is a %(format)s image. Upload a JPEG, PNG, WebP or GIF.",
                    code="image_format",
                    params={"name": name, "format": image_format},
                )
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    "“%(name)s” is %(width)s × %(height)s pixels, more than the limit of "
                    "%(limit)s million pixels. Resize it and upload it again.",
                    code="image_too_large",
                    params={
                        "name": name,
                        "width": width,
                        "height": height,
                        "limit": f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}",
                    },
                )
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError):
        raise ValidationError(
            "“%(name)s” is not an image we accept. Upload a JPEG, PNG, WebP or GIF "
            "(SVG and other formats are not accepted).",
            code="not_an_image",
            params={"name": name},
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "“%(name)s” is damaged or incomplete and cannot be read. "
            "Export it again and upload the new file.",
            code="damaged_image",
            params={"name": name},
        ) from None
    finally:
        file.seek(position)
    return image_format, width, height


def validate_image_upload(file):
    # A file already in storage was checked when it was uploaded; re-reading it on
    # every full_clean() would open (and leak) a storage handle for nothing.
    if getattr(file, "_committed", False):
        return
    inspect_image(file)


def normalized_name(original_name, image_format):
    """The upload's name with the extension that matches its real format."""
    stem = PurePath(original_name).stem or "image"
    return get_valid_filename(f"{stem}.{ACCEPTED_FORMATS[image_format]}")


class VerifiedImageFormField(forms.FileField):
    """An upload field that refuses anything but a sound JPEG, PNG, WebP or GIF.

    It replaces Django's ``forms.ImageField`` to give a specific reason for each
    refusal, and stores the file under the extension of its real format.
    """

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"accept": ACCEPTED_MIME_TYPES}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        image_format, _, _ = inspect_image(upload)
        upload.name = normalized_name(upload.name, image_format)
        return upload
