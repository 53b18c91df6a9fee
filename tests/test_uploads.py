import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Image
from tests.conftest import image_bytes

ADD_IMAGE = reverse("admin:articles_image_add")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


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


def truncated_jpeg():
    buffer = io.BytesIO()
    noisy = PILImage.effect_noise((400, 300), 80).convert("RGB")
    noisy.save(buffer, format="JPEG")
    return buffer.getvalue()[:2000]


def tiff_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20)).save(buffer, format="TIFF")
    return buffer.getvalue()


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
            "scan.tiff",
            tiff_bytes(),
            "is a TIFF image. Upload a JPEG, PNG, WebP or GIF.",
        ),
    ],
    ids=["text-named-jpg", "svg", "truncated", "tiff"],
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


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_are_stored_with_dimensions(
    admin_client, settings, image_format
):
    response = post_upload(
        admin_client, "upload.bin", image_bytes((40, 30), image_format)
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[
        image_format
    ]
    assert image.file.name.endswith(f"/upload.{extension}")
    originals = [p for p in stored_files(settings) if "images" in p.parts]
    assert len(originals) == 1


def test_upload_records_who_uploaded(admin_client, admin_user):
    post_upload(admin_client, "a.jpg", image_bytes())
    assert Image.objects.get().uploaded_by == admin_user


def test_missing_alt_text_stores_nothing(admin_client, settings):
    response = admin_client.post(
        ADD_IMAGE,
        {
            "file": SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"),
            "credit": "c",
        },
    )
    assert "Describe the image" in response.content.decode()
    assert stored_files(settings) == []


def test_phone_mpo_photo_is_accepted_and_stored_as_a_plain_jpeg(admin_client, settings):
    buffer = io.BytesIO()
    photo = PILImage.new("RGB", (48, 32), (200, 60, 60))
    depth_map = PILImage.new("RGB", (48, 32), (0, 0, 0))
    photo.save(buffer, "MPO", save_all=True, append_images=[depth_map])
    response = post_upload(admin_client, "IMG_0042.JPG", buffer.getvalue())
    assert response.status_code == 302
    image = Image.objects.get()
    with PILImage.open(image.file.path) as stored:
        assert stored.format == "JPEG"
        assert getattr(stored, "n_frames", 1) == 1
