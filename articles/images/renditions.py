"""The pixels of uploaded images: a clean original and a fixed set of renditions.

Every upload is stored upright (EXIF orientation applied), without EXIF, XMP or
comments, so a phone photo never tells readers where or when it was taken, and
in colours a browser shows as meant (8-bit, RGB rather than CMYK). Only the
first frame of an animation is kept: it is all that pages show. From that
original come the renditions pages serve: the whole image about 400, 800, 1200
and 1600 pixels wide, in WebP and in a JPEG or PNG fallback, plus 16:9, 4:3 and
1:1 crops for sharing cards and structured data.

Stored files are named by a random token, never by the upload's name or the
image's id, so nobody can guess the address of an image no page shows yet.

This uses Pillow directly rather than django-imagekit or sorl-thumbnail. The set of
sizes is small and fixed, so every file is made once at upload and stored next to
the original; nothing is generated on request, so no cache backend or extra
dependency is needed. Doing it ourselves also keeps the two things that matter
here in plain view: orientation is applied before anything is resized, and no
metadata is ever copied into a file we write.

The functions here only turn bytes into bytes; the Image model decides when to
call them and where the results are stored.
"""

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (400, 800, 1200, 1600)
# Ratio name -> (width, height) parts. Crops serve sharing cards and structured
# data, which ask for these shapes at about 1200 pixels wide.
CROPS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
CROP_WIDTH = 1200

# 128 random bits in hex: as hard to guess as a password-reset token.
TOKEN_BYTES = 16
GENERATED_NAME = re.compile(rf"[0-9a-f]{{{TOKEN_BYTES * 2}}}\.(jpg|png|webp|gif)")
# Pillow format -> the extension of a stored original. MPO, the JPEG variant
# many phones write, is stored as a plain JPEG.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# Our format names (also the MIME subtype) -> Pillow's.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
SAVE_OPTIONS = {
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "png": {"optimize": True},
    "webp": {"quality": 80},
}
# The original is what the renditions are made from, and what is served when
# there are none yet, so it is re-encoded at a higher quality than they are.
ORIGINAL_SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
}
# Decoder details that change how the pixels look, the only info Pillow may copy
# into a file we write. EXIF, XMP and comments are never on this list.
KEPT_INFO = {"icc_profile", "transparency"}
# Colour modes whose ICC profile still fits once the pixels are RGB(A).
RGB_MODES = {"RGB", "RGBA", "RGBX", "P", "PA"}
# Modes browsers show as meant. Others (CMYK, 16-bit greyscale) are converted.
WEB_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


def new_token():
    return secrets.token_hex(TOKEN_BYTES)


def is_generated_name(name):
    """Whether a stored file is named by a token, as everything stored since
    names stopped showing the upload's name."""
    return bool(GENERATED_NAME.fullmatch(PurePath(name).name))


@dataclass(frozen=True)
class Spec:
    """One rendition to make: its size, file format and, for a crop, its ratio."""

    width: int
    height: int
    format: str
    ratio: str = ""

    def filename(self):
        """The file's name inside its image's rendition folder: "16x9-1200w.jpg"."""
        shape = f"{self.ratio.replace(':', 'x')}-" if self.ratio else ""
        extension = "jpg" if self.format == "jpeg" else self.format
        return f"{shape}{self.width}w.{extension}"


def clean_original(file):
    """The file re-encoded upright, in its own format, as one frame in web
    colours, with no metadata.

    Returns a ContentFile named by a new token, ready to assign to the field.
    """
    file.seek(0)
    with PILImage.open(file) as opened:
        # Phone cameras write MPO: a JPEG with extra frames (depth maps, previews)
        # that would carry their own metadata. Keep only the photo, as a JPEG.
        image_format = "JPEG" if opened.format == "MPO" else opened.format
        # Only the first frame is decoded and kept: pages show no more of an
        # animation, and re-encoding every frame of a hostile GIF can take
        # minutes (each frame is painted on the whole canvas).
        upright = in_web_colours(without_metadata(ImageOps.exif_transpose(opened)))
    options = ORIGINAL_SAVE_OPTIONS.get(image_format, {})
    if "icc_profile" in upright.info:  # JPEG and WebP take it only as asked.
        options = options | {"icc_profile": upright.info["icc_profile"]}
    buffer = io.BytesIO()
    upright.save(buffer, image_format, **options)
    name = f"{new_token()}.{EXTENSIONS[image_format]}"
    return ContentFile(buffer.getvalue(), name=name)


def extension_of(file):
    """The extension a stored original gets, from its real format."""
    with PILImage.open(file) as opened:
        if opened.format not in EXTENSIONS:
            raise OSError(f"{opened.format} is not a format we store.")
        return EXTENSIONS[opened.format]


def needs_cleaning(file):
    """Whether a stored original predates cleaning: it carries metadata, more
    than one frame, or colours browsers do not show as meant."""
    with PILImage.open(file) as opened:
        return (
            bool(opened.getexif())
            or bool(
                {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & opened.info.keys()
            )
            or getattr(opened, "n_frames", 1) > 1
            or opened.mode not in WEB_MODES
        )


def load(file):
    """The image upright, decoded, with its fallback format ("png" or "jpeg").

    PNG is kept for images with transparency, which JPEG cannot hold, and for
    GIFs, whose flat colours JPEG smudges.
    """
    file.seek(0)
    with PILImage.open(file) as opened:
        was_gif = opened.format == "GIF"
        # A copy of the first frame, decoded, so the file can close.
        image = in_web_colours(without_metadata(ImageOps.exif_transpose(opened)))
    # A greyscale profile would misdescribe the pixels once they are RGB.
    profile = image.info.get("icc_profile") if image.mode in RGB_MODES else None
    # Through RGBA whenever there may be transparency: Pillow applies a palette's
    # transparency only on the way to RGBA. It is kept if any pixel uses it.
    if image.has_transparency_data:
        image = image.convert("RGBA")
    transparent = image.mode == "RGBA" and image.getchannel("A").getextrema()[0] < 255
    image = image if transparent else image.convert("RGB")
    image.info = {"icc_profile": profile} if profile else {}
    return image, "png" if transparent or was_gif else "jpeg"


def plan(width, height, fallback):
    """The renditions of a width x height image: never wider than the original.

    An image narrower than the largest width gets one rendition at its own width
    instead, so its full detail is still on offer: 900 px makes 400, 800 and 900.
    """
    widths = {w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])}
    specs = [
        Spec(w, max(1, round(height * w / width)), image_format)
        for w in sorted(widths)
        for image_format in (fallback, "webp")
    ]
    for ratio, (ratio_width, ratio_height) in CROPS.items():
        # The widest centred box of this shape that fits, scaled down to about
        # CROP_WIDTH: never up.
        crop_width = max(
            1, min(width, height * ratio_width // ratio_height, CROP_WIDTH)
        )
        crop_height = max(1, round(crop_width * ratio_height / ratio_width))
        specs.append(Spec(crop_width, crop_height, "jpeg", ratio))
    return specs


def render_all(image, fallback):
    """Yield (spec, bytes) for every rendition of an image from load()."""
    resized = {}
    for spec in plan(*image.size, fallback):
        size = (spec.width, spec.height)
        if spec.ratio:
            picture = ImageOps.fit(image, size, PILImage.Resampling.LANCZOS)
        elif size not in resized:
            # Made once per width and encoded in both formats. reducing_gap makes
            # downscaling a camera original fast with no visible loss.
            resized[size] = image.resize(
                size, PILImage.Resampling.LANCZOS, reducing_gap=3.0
            )
            picture = resized[size]
        else:
            picture = resized[size]
        picture.info = dict(image.info)
        yield spec, encode(picture, spec.format)


def encode(image, image_format):
    if image_format == "jpeg" and image.mode != "RGB":
        image = flatten(image)
    buffer = io.BytesIO()
    # Only the colour profile is carried over: without it, wide-gamut phone
    # photos look washed out. It describes colours, nothing about the photo.
    profile = (
        {"icc_profile": image.info["icc_profile"]}
        if "icc_profile" in image.info
        else {}
    )
    image.save(
        buffer, PILLOW_FORMATS[image_format], **SAVE_OPTIONS[image_format], **profile
    )
    return buffer.getvalue()


def in_web_colours(image):
    """The image in a mode browsers show as meant, with info that still fits.

    16-bit greyscale (PNG) is scaled to 8 bits: a plain conversion clips every
    value above 255, so the image turns white. CMYK becomes RGB, and its CMYK
    colour profile, which would misdescribe RGB pixels, is dropped.
    """
    if image.mode in WEB_MODES:
        return image
    info = dict(image.info)
    if image.mode.startswith("I"):
        converted = to_8_bit(image).convert("RGB")
        if isinstance(info.get("transparency"), int):
            info["transparency"] = (to_8_bit_value(info["transparency"]),) * 3
    else:
        converted = image.convert("RGBA" if "A" in image.mode else "RGB")
        info.pop("transparency", None)
    info.pop("icc_profile", None)
    converted.info = info
    return converted


def to_8_bit(image):
    return image.convert("I").point(lambda value: value * (1 / 257)).convert("L")


def to_8_bit_value(value):
    return to_8_bit(PILImage.new("I", (1, 1), value)).getpixel((0, 0))


def without_metadata(image):
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    return image


def flatten(image):
    """RGB for JPEG: see-through parts become white, as on the page."""
    rgba = image.convert("RGBA")
    background = PILImage.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    background.info = dict(image.info)
    return background
