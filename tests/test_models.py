from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.images.models import Image
from articles.models import Article, Reference, Status


def test_published_includes_past_articles(make_article):
    article = make_article(published_at=timezone.now() - timedelta(minutes=1))
    assert list(Article.objects.published()) == [article]


def test_published_excludes_scheduled(make_article):
    make_article(published_at=timezone.now() + timedelta(minutes=1))
    assert not Article.objects.published().exists()


def test_published_excludes_drafts(make_article):
    make_article(status=Status.DRAFT, published_at=timezone.now() - timedelta(days=2))
    assert not Article.objects.published().exists()


def test_scheduled_article_goes_live_when_its_time_passes(make_article):
    article = make_article(published_at=timezone.now() + timedelta(seconds=1))
    assert not article.is_published()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    assert list(Article.objects.published()) == [article]


def test_scheduled_queryset(make_article):
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    make_article()
    assert list(Article.objects.scheduled()) == [scheduled]


def test_is_published_agrees_with_queryset(make_article):
    live = make_article()
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    draft = make_article(status=Status.DRAFT)
    assert (live.is_published(), scheduled.is_published(), draft.is_published()) == (
        True,
        False,
        False,
    )


def test_published_ordering_is_newest_first(make_article):
    older = make_article(published_at=timezone.now() - timedelta(days=3))
    newer = make_article(published_at=timezone.now() - timedelta(days=1))
    assert list(Article.objects.published()) == [newer, older]


def test_slug_is_unique(make_article):
    make_article(slug="after-relapse")
    with pytest.raises(IntegrityError):
        make_article(slug="after-relapse")


def test_duplicate_slug_is_a_validation_error(make_article):
    make_article(slug="after-relapse")
    article = Article(title="Another", slug="after-relapse", summary="s")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "slug" in error.value.message_dict


def test_slug_is_filled_from_title(db):
    article = Article.objects.create(title="What Relapse Means", summary="s")
    assert article.slug == "what-relapse-means"


def test_publishing_without_a_time_means_now(db):
    before = timezone.now()
    article = Article.objects.create(
        title="Now", slug="now", summary="s", status=Status.PUBLISHED
    )
    assert article.published_at >= before.replace(microsecond=0)


def test_update_before_publish_time_is_refused(make_article):
    article = make_article()
    article.updated_at = article.published_at - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "updated_at" in error.value.message_dict


@pytest.mark.parametrize(
    "doi", ["10.1182/blood.2020008805", "10.1056/NEJMoa1606038", "10.3322/caac.21660"]
)
def test_valid_doi_is_accepted(make_article, doi):
    reference = Reference(article=make_article(), title="t", doi=doi)
    reference.full_clean()


@pytest.mark.parametrize(
    "doi",
    # A doi.org link or "doi:" is trimmed off first (tests/test_references.py):
    # what is left must still be a DOI.
    ["doi:10.11/x", "https://doi.org/blood", "10.11/x", "10.1182/", "blood"],
)
def test_invalid_doi_is_refused(make_article, doi):
    reference = Reference(article=make_article(), title="t", doi=doi)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "doi" in error.value.message_dict


@pytest.mark.parametrize("pmid", ["1", "32649747", "123456789"])
def test_valid_pubmed_id_is_accepted(make_article, pmid):
    Reference(article=make_article(), title="t", pubmed_id=pmid).full_clean()


@pytest.mark.parametrize("pmid", ["PMID 0123", "0123", "12.5", "1234567890", "abc"])
def test_invalid_pubmed_id_is_refused(make_article, pmid):
    reference = Reference(article=make_article(), title="t", pubmed_id=pmid)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "pubmed_id" in error.value.message_dict


def test_reference_needs_a_way_to_find_it(make_article):
    reference = Reference(article=make_article(), title="Untraceable")
    with pytest.raises(ValidationError):
        reference.full_clean()


def test_references_keep_their_order(make_article, make_reference):
    article = make_article()
    second = make_reference(article, position=2)
    first = make_reference(article, position=1)
    assert list(article.references.all()) == [first, second]


def test_image_alt_text_is_required_unless_decorative(make_image):
    image = make_image(alt_text="")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "alt_text" in error.value.message_dict
    image.is_decorative = True
    image.full_clean()


def test_image_records_its_dimensions(make_image):
    image = make_image()
    assert (image.width, image.height) == (64, 48)


def test_deleting_an_image_keeps_the_article(make_article, make_image):
    article = make_article(featured_image=make_image())
    Image.objects.all().delete()
    article.refresh_from_db()
    assert article.featured_image is None
