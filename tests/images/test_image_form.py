"""The image form as editors use it: a refused save keeps the chosen file,
and every image that is not our own needs a credit."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.images.models import Image
from tests.admin_form import form_fields
from tests.conftest import image_bytes

ADD_IMAGE = reverse("admin:images_image_add")
FEATURED = (1200, 675)


def upload(name="clinic.jpg"):
    return SimpleUploadedFile(name, image_bytes(FEATURED), "image/jpeg")


def pending_files(settings):
    root = settings.PENDING_UPLOADS_ROOT
    return [p for p in root.iterdir() if p.is_file()] if root.exists() else []


@pytest.fixture
def author(make_user, client):
    user = make_user("Authors")
    client.force_login(user)
    return user


def test_a_refused_save_keeps_the_chosen_file(client, author, settings):
    refused = client.post(ADD_IMAGE, {"file": upload(), "credit": "Depositphotos"})
    html = refused.content.decode()
    assert "Describe the image" in html
    assert "“clinic.jpg” (1200 × 675 pixels) is kept" in html
    assert not Image.objects.exists()
    # As a browser sends the page back: the file input empty, the rest as shown.
    data = form_fields(html, "image_form") | {"alt_text": "A nurse at a desk"}
    assert data["file"] == "" and data["kept_upload"]
    saved = client.post(ADD_IMAGE, data)
    assert saved.status_code == 302
    image = Image.objects.get()
    assert image.original_filename == "clinic.jpg"
    assert (image.width, image.height) == FEATURED
    assert image.renditions.exists()
    assert pending_files(settings) == []


def test_a_kept_file_is_stored_outside_the_public_media(client, author, settings):
    client.post(ADD_IMAGE, {"file": upload(), "credit": "Depositphotos"})
    [kept] = pending_files(settings)
    assert settings.MEDIA_ROOT not in kept.parents
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_a_kept_file_left_behind_is_deleted_after_a_day(client, author, settings):
    client.post(ADD_IMAGE, {"file": upload("abandoned.jpg"), "credit": "c"})
    [abandoned] = pending_files(settings)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(abandoned, (two_days_ago, two_days_ago))
    client.post(ADD_IMAGE, {"file": upload("fresh.jpg"), "credit": "c"})
    [kept] = pending_files(settings)
    assert kept != abandoned and not abandoned.exists()


def test_a_new_choice_replaces_the_kept_file(client, author, settings):
    refused = client.post(ADD_IMAGE, {"file": upload("first.jpg"), "credit": "c"})
    data = form_fields(refused.content.decode(), "image_form")
    data |= {"alt_text": "A nurse at a desk", "file": upload("second.jpg")}
    assert client.post(ADD_IMAGE, data).status_code == 302
    assert Image.objects.get().original_filename == "second.jpg"
    assert pending_files(settings) == []


def test_someone_elses_kept_file_cannot_be_taken(client, author, make_user):
    refused = client.post(ADD_IMAGE, {"file": upload(), "credit": "c"})
    data = form_fields(refused.content.decode(), "image_form")
    client.force_login(make_user("Authors"))
    response = client.post(ADD_IMAGE, data | {"alt_text": "A nurse at a desk"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Image.objects.exists()


def test_a_forged_kept_upload_is_ignored(client, author):
    response = client.post(
        ADD_IMAGE,
        {
            "kept_upload": "../../media/images/x.jpg",
            "alt_text": "A nurse at a desk",
            "credit": "c",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Image.objects.exists()


def test_an_image_without_a_credit_is_refused(client, author, settings):
    response = client.post(
        ADD_IMAGE, {"file": upload(), "alt_text": "A nurse at a desk"}
    )
    assert response.status_code == 200
    assert (
        "Say who made or sells the image, e.g. “Depositphotos / pressmaster”, or "
        "tick “our own image”." in response.content.decode()
    )
    assert not Image.objects.exists()


def test_our_own_image_needs_no_credit(client, author):
    response = client.post(
        ADD_IMAGE,
        {"file": upload(), "alt_text": "A nurse at a desk", "is_own_image": "on"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.is_own_image and image.credit == ""


def test_an_existing_image_cannot_lose_its_credit(client, author, make_image):
    image = make_image(uploaded_by=author)
    url = reverse("admin:images_image_change", args=[image.pk])
    data = form_fields(client.get(url).content.decode(), "image_form")
    response = client.post(url, data | {"credit": "  "})
    assert response.status_code == 200
    assert "Say who made or sells the image" in response.content.decode()
    image.refresh_from_db()
    assert image.credit == "Depositphotos / pressmaster"
