from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, SlugRedirect, Status


def rename(article, slug):
    article.slug = slug
    article.save()
    return article


def test_changing_a_live_slug_redirects_the_old_address(client, make_article):
    article = make_article(slug="old-name")
    rename(article, "new-name")
    response = client.get("/articles/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-name/"


def test_renaming_twice_gives_one_hop_from_every_old_address(client, make_article):
    article = make_article(slug="first")
    rename(article, "second")
    rename(article, "third")
    for old in ["first", "second"]:
        response = client.get(f"/articles/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/articles/third/")


def test_taking_back_an_old_slug_removes_its_redirect(client, make_article):
    article = make_article(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get("/articles/first/").status_code == 200
    assert client.get("/articles/second/")["Location"] == "/articles/first/"
    assert not SlugRedirect.objects.filter(old_slug="first").exists()


def test_a_draft_rename_leaves_no_redirect(make_article):
    draft = make_article(slug="working-title", status=Status.DRAFT)
    rename(draft, "final-title")
    assert not SlugRedirect.objects.exists()


def test_redirect_to_an_unpublished_article_is_not_found(client, make_article):
    article = make_article(slug="old-name")
    rename(article, "new-name")
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get("/articles/old-name/").status_code == 404


def test_a_new_article_may_not_take_a_redirecting_slug(make_article):
    rename(make_article(slug="old-name"), "new-name")
    newcomer = Article(title="Other", slug="old-name", summary="s")
    with pytest.raises(ValidationError) as error:
        newcomer.full_clean()
    assert "used to belong to" in error.value.message_dict["slug"][0]
    with pytest.raises(ValidationError):
        newcomer.save()
