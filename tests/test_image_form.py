"""The image form as editors use it: every image that is not our own needs
a credit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image
from tests.conftest import image_bytes
from tests.forms import form_data

ADD_IMAGE = reverse("admin:articles_image_add")
FEATURED = (1200, 675)


def upload(name="clinic.jpg"):
    return SimpleUploadedFile(name, image_bytes(FEATURED), "image/jpeg")


@pytest.fixture
def author(make_user, client):
    user = make_user("Authors")
    client.force_login(user)
    return user


def test_an_image_without_a_credit_is_refused(client, author):
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
    url = reverse("admin:articles_image_change", args=[image.pk])
    data = form_data(client.get(url).content.decode(), "image_form")
    response = client.post(url, data | {"credit": "  "})
    assert response.status_code == 200
    assert "Say who made or sells the image" in response.content.decode()
    image.refresh_from_db()
    assert image.credit == "Depositphotos / pressmaster"
