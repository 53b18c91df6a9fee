"""Hostile and awkward uploads through the admin's image form, as an editor
would send them: each is refused with its reason and stores nothing, or is
stored clean."""

import io
import re
import struct
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.images.models import Image
from tests.conftest import image_bytes

ADD_IMAGE = reverse("admin:images_image_add")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
# The smallest featured image: 1200 pixels wide at 16:9.
FEATURED = (1200, 675)


def post_upload(client, name, content, content_type="image/jpeg"):
    return client.post(
        ADD_IMAGE,
        {
            "file": SimpleUploadedFile(name, content, content_type),
            "alt_text": "Typed alt text that must survive",
            "credit": "Typed credit",
        },
    )


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def opened(field_file):
    with field_file.open("rb") as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
    picture.load()
    return picture


def truncated_jpeg():
    buffer = io.BytesIO()
    noisy = PILImage.effect_noise((400, 300), 80).convert("RGB")
    noisy.save(buffer, format="JPEG")
    return buffer.getvalue()[:2000]


def tiff_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buffer, format="TIFF")
    return buffer.getvalue()


def flickering_gif(frames, size):
    """A GIF of ``frames`` one-pixel frames on a ``size`` canvas, 23 bytes each.

    Written by hand, as the attacker did: 5,000 frames make 115 KB, and a
    program that re-encodes every frame paints the whole canvas 5,000 times.
    """
    width, height = size
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", width, height, 0xF1, 0, 0)  # 4-colour table.
    out += bytes([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # Loop forever.
    for n in range(frames):
        out += b"\x21\xf9\x04\x04\x02\x00\x00\x00"  # 20 ms, keep the last frame.
        out += b"\x2c" + struct.pack("<HHHHB", n % width, 0, 1, 1, 0)
        out += b"\x02\x02\x4c\x01\x00"  # One pixel of colour 1, LZW-coded.
    return bytes(out + b"\x3b")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.jpg",
            b"This is a text file, not a photo.",
            "is not an image we accept",
        ),
        ("logo.svg", SVG, "is not an image we accept"),
        ("broken.jpg", truncated_jpeg(), "is damaged or incomplete"),
        (
            "cut-short.gif",
            flickering_gif(50, FEATURED)[:200],
            "is damaged or incomplete",
        ),
        (
            "scan.tiff",
            tiff_bytes(),
            "is a TIFF image. Upload a JPEG, PNG, WebP or GIF.",
        ),
        (
            "small.jpg",
            image_bytes((800, 450)),
            "“small.jpg” is 800 × 450 pixels. A featured image must be at least "
            "1200 × 675 pixels",
        ),
        (
            "one-short.png",
            image_bytes((1200, 674), "PNG"),
            "“one-short.png” is 1200 × 674 pixels.",
        ),
    ],
    ids=[
        "text-named-jpg",
        "svg",
        "truncated",
        "truncated-animation",
        "tiff",
        "too-small",
        "one-row-short",
    ],
)
def test_refused_upload_shows_error_and_stores_nothing(
    admin_client, settings, name, content, message
):
    response = post_upload(admin_client, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Typed alt text that must survive" in html
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_image_over_the_pixel_limit_is_refused(admin_client, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    response = post_upload(admin_client, "huge.png", image_bytes((101, 100), "PNG"))
    assert "is 101 × 100 pixels, more than the limit" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_a_gif_of_5000_frames_is_refused_at_once(admin_client, settings):
    gif = flickering_gif(5000, FEATURED)
    assert len(gif) == 115_045
    with PILImage.open(io.BytesIO(gif)) as premise:
        assert premise.n_frames == 5000
    started = time.monotonic()
    response = post_upload(admin_client, "flicker.gif", gif, "image/gif")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert (
        "“flicker.gif” is an animation of 5,000 frames; at most 100 are accepted."
        in response.content.decode()
    )
    assert not Image.objects.exists()
    assert stored_files(settings) == []
    # Before the frame count was read, this took a worker half a minute.
    assert elapsed < 5


def test_an_animation_is_stored_as_its_first_frame(admin_client):
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200)] * 20
    frames = [PILImage.new("RGB", FEATURED, colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=40, loop=0
    )
    with PILImage.open(io.BytesIO(buffer.getvalue())) as premise:
        assert premise.n_frames == 60
    response = post_upload(admin_client, "spinner.gif", buffer.getvalue(), "image/gif")
    assert response.status_code == 302
    image = Image.objects.get()
    original = opened(image.file)
    assert getattr(original, "n_frames", 1) == 1
    assert original.convert("RGB").getpixel((600, 300)) == (200, 30, 30)
    page = admin_client.get(response["Location"]).content.decode()
    assert "“spinner.gif” is an animation: only its first frame is kept" in page


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_are_stored_with_dimensions(
    admin_client, settings, image_format
):
    response = post_upload(
        admin_client, "upload.bin", image_bytes(FEATURED, image_format)
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == FEATURED
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[
        image_format
    ]
    assert image.file.name.endswith(f".{extension}")
    assert image.original_filename == "upload.bin"
    originals = [p for p in stored_files(settings) if "images" in p.parts]
    assert len(originals) == 1


def test_a_phone_photo_taken_sideways_is_measured_upright(admin_client):
    # Stored 675 x 1200 with "turn 90° clockwise": readers see 1200 x 675.
    exif = PILImage.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    PILImage.new("RGB", (675, 1200), (30, 110, 140)).save(
        buffer, "JPEG", exif=exif.tobytes()
    )
    response = post_upload(admin_client, "IMG_0007.jpg", buffer.getvalue())
    assert response.status_code == 302
    assert (Image.objects.get().width, Image.objects.get().height) == FEATURED


def test_stored_names_are_random_and_the_uploaded_name_is_only_shown(
    admin_client, settings
):
    for _ in range(2):
        response = post_upload(
            admin_client, "jane-doe-biopsy-result.jpg", image_bytes(FEATURED)
        )
        assert response.status_code == 302
    first, second = Image.objects.order_by("pk")
    names = [
        p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored_files(settings)
    ]
    assert names and not any("jane" in name or "biopsy" in name for name in names)
    for image in (first, second):
        assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", image.file.name)
        assert image.original_filename == "jane-doe-biopsy-result.jpg"
        for rendition in image.renditions.all():
            assert re.fullmatch(
                r"renditions/[0-9a-f]{32}/[0-9x-]*\d+w\.(jpg|webp)", rendition.file.name
            )
            assert f"/{image.pk}/" not in rendition.file.name
    assert first.file.name != second.file.name
    page = admin_client.get(
        reverse("admin:images_image_change", args=[first.pk])
    ).content.decode()
    assert "jane-doe-biopsy-result.jpg" in page


def sixteen_bit_grey_ramp():
    """A PNG with 16 bits per grey pixel, black on the left to white on the right."""
    ramp = PILImage.linear_gradient("L").rotate(90).resize(FEATURED)
    wide = ramp.convert("I").point(lambda value: value * 257).convert("I;16")
    buffer = io.BytesIO()
    wide.save(buffer, "PNG")
    with PILImage.open(io.BytesIO(buffer.getvalue())) as premise:
        assert premise.mode.startswith("I")
        assert premise.getpixel((1199, 300)) > 60_000
    return buffer.getvalue()


def grey_across(field_file):
    """The grey at the left edge, middle and right edge of a stored file."""
    picture = opened(field_file).convert("L")
    width, height = picture.size
    return [picture.getpixel((x, height // 2)) for x in (2, width // 2, width - 3)]


def test_a_16_bit_grey_ramp_survives(admin_client):
    response = post_upload(
        admin_client, "ramp.png", sixteen_bit_grey_ramp(), "image/png"
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert opened(image.file).mode == "RGB"
    whole = [image.file, *(r.file for r in image.renditions.filter(ratio=""))]
    for field_file in whole:
        left, middle, right = grey_across(field_file)
        assert left < 20 and 100 < middle < 156 and right > 235, field_file.name
    for crop in image.renditions.exclude(ratio=""):  # The middle of the ramp.
        left, middle, right = grey_across(crop.file)
        assert left < middle < right and right - left > 100, crop.file.name


def test_a_cmyk_photo_is_stored_in_rgb(admin_client):
    buffer = io.BytesIO()
    PILImage.new("CMYK", FEATURED, (255, 0, 0, 0)).save(buffer, "JPEG")  # Cyan.
    response = post_upload(admin_client, "print.jpg", buffer.getvalue())
    assert response.status_code == 302
    image = Image.objects.get()
    original = opened(image.file)
    assert original.mode == "RGB"
    red, green, blue = original.getpixel((600, 300))
    assert red < 30 and green > 225 and blue > 225
    assert "icc_profile" not in original.info


def test_upload_records_who_uploaded(admin_client, admin_user):
    post_upload(admin_client, "a.jpg", image_bytes(FEATURED))
    assert Image.objects.get().uploaded_by == admin_user


def test_missing_alt_text_stores_nothing_in_the_library(admin_client, settings):
    response = admin_client.post(
        ADD_IMAGE,
        {
            "file": SimpleUploadedFile("a.jpg", image_bytes(FEATURED), "image/jpeg"),
            "credit": "c",
        },
    )
    assert "Describe the image" in response.content.decode()
    assert stored_files(settings) == []


def test_phone_mpo_photo_is_accepted_and_stored_as_a_plain_jpeg(admin_client, settings):
    buffer = io.BytesIO()
    photo = PILImage.new("RGB", FEATURED, (200, 60, 60))
    depth_map = PILImage.new("RGB", FEATURED, (0, 0, 0))
    photo.save(buffer, "MPO", save_all=True, append_images=[depth_map])
    response = post_upload(admin_client, "IMG_0042.JPG", buffer.getvalue())
    assert response.status_code == 302
    image = Image.objects.get()
    with PILImage.open(image.file.path) as stored:
        assert stored.format == "JPEG"
        assert getattr(stored, "n_frames", 1) == 1
