"""Checks every uploaded image with Pillow before anything is stored."""

import struct
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from articles.images.renditions import EXTENSIONS

# Pillow format names: what renditions.py can store (MPO is a phone's JPEG).
ACCEPTED_FORMATS = set(EXTENSIONS)
ACCEPTED_MIME_TYPES = "image/jpeg,image/png,image/webp,image/gif"
# Pages show only an animation's first frame, and only that frame is stored.
# Counting frames is cheap; more than this many is a video or an attack.
MAX_FRAMES = 100
ORIENTATION = 0x0112
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class ImageFacts:
    """What the check learnt of an acceptable upload."""

    format: str
    # As readers will see it: EXIF orientation applied.
    width: int
    height: int
    frames: int


def inspect_image(file):
    """The ImageFacts of an acceptable image, or raise ValidationError.

    The first frame is decoded in full, because ``verify()`` alone lets some
    truncated files through; it is the only frame that is ever decoded.
    """
    name = display_name(file)
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
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_FRAMES:
                raise ValidationError(
                    "“%(name)s” is an animation of %(frames)s frames; at most "
                    "%(limit)s are accepted. Pages show only the first frame: "
                    "export it as a still image and upload that.",
                    code="too_many_frames",
                    params={"name": name, "frames": f"{frames:,}", "limit": MAX_FRAMES},
                )
            image.load()
            if image.getexif().get(ORIENTATION) in QUARTER_TURNS:
                width, height = height, width
    except ValidationError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError):
        raise ValidationError(
            "“%(name)s” is not an image we accept. Upload a JPEG, PNG, WebP or GIF "
            "(SVG and other formats are not accepted).",
            code="not_an_image",
            params={"name": name},
        ) from None
    # Pillow reads a truncated animation's frames with plain indexing and
    # struct unpacking: their errors mean the same as a truncated photo's.
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise ValidationError(
            "“%(name)s” is damaged or incomplete and cannot be read. "
            "Export it again and upload the new file.",
            code="damaged_image",
            params={"name": name},
        ) from None
    finally:
        file.seek(position)
    return ImageFacts(image_format, width, height, frames)


def display_name(file):
    return PurePath(getattr(file, "name", "") or "upload").name


def validate_image_upload(file):
    # A file already in storage was checked when it was uploaded; re-reading it on
    # every full_clean() would open (and leak) a storage handle for nothing.
    if getattr(file, "_committed", False):
        return
    inspect_image(file)


class VerifiedImageFormField(forms.FileField):
    """An upload field that refuses anything but a sound JPEG, PNG, WebP or GIF.

    It replaces Django's ``forms.ImageField`` to give a specific reason for each
    refusal. What the check learnt is kept on the upload as ``facts``.
    """

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"accept": ACCEPTED_MIME_TYPES}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        upload.facts = inspect_image(upload)
        return upload
