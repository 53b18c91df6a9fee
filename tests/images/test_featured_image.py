"""Choosing an article's featured image in the admin, as an author would
(or a hostile one): a bad choice is an error beside the field, never a 500."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from articles.models import Article, Status
from tests.admin_form import article_form, form_data
from tests.conftest import image_bytes

ADD_ARTICLE = reverse("admin:articles_article_add")


@pytest.fixture
def author(make_user, client):
    user = make_user("Authors", credentials="RN")
    client.force_login(user)
    return user


def featured_image_errors(response):
    return response.context["adminform"].form.errors.get("featured_image", [])


@pytest.mark.parametrize(
    "value", ["abc", "1 OR 1=1", "²", "-1", "1.5", "99999999999999999999999"]
)
def test_a_featured_image_that_is_not_an_id_is_a_form_error(client, author, value):
    response = client.post(ADD_ARTICLE, article_form(featured_image=value))
    assert response.status_code == 200
    assert featured_image_errors(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert 'class="image-chooser-preview" alt="" hidden' in response.content.decode()
    assert not Article.objects.exists()


def test_choosing_an_image_too_small_to_share_is_refused_beside_the_field(
    client, author, make_image
):
    small = make_image(file=ContentFile(image_bytes((1199, 675)), name="s.jpg"))
    response = client.post(ADD_ARTICLE, article_form(featured_image=small.pk))
    assert response.status_code == 200
    assert featured_image_errors(response) == [
        "This image is 1199 × 675 pixels. A featured image must be at least "
        "1200 × 675 pixels, the size sharing cards need: use a larger version."
    ]
    assert "id_featured_image_error" in response.content.decode()
    assert not Article.objects.exists()


def test_an_image_of_the_minimum_size_can_be_chosen(client, author, make_image):
    image = make_image(file=ContentFile(image_bytes((1200, 675)), name="m.jpg"))
    response = client.post(ADD_ARTICLE, article_form(featured_image=image.pk))
    assert response.status_code == 302
    assert Article.objects.get().featured_image == image


def test_an_article_keeps_a_small_image_chosen_before_the_minimum(
    admin_client, make_article, make_image
):
    article = make_article(featured_image=make_image(), status=Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(admin_client, url) | {"title": "A typo fixed"}
    response = admin_client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A typo fixed"


def test_the_thumbnail_of_an_image_that_does_not_exist_is_not_found(admin_client):
    for pk in ["404", "99999999999999999999999"]:
        url = reverse("admin:images_image_thumbnail", args=[pk])
        assert admin_client.get(url).status_code == 404
