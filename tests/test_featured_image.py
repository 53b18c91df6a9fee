"""Choosing an article's featured image in the admin, as an author would
(or a hostile one): a bad choice is an error beside the field, never a 500."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.test_admin import article_form

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


def test_the_thumbnail_of_an_image_that_does_not_exist_is_not_found(admin_client):
    for pk in ["404", "99999999999999999999999"]:
        url = reverse("admin:articles_image_thumbnail", args=[pk])
        assert admin_client.get(url).status_code == 404
