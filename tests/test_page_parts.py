"""The article page's head and article element are rendered once and kept
(articles.page_parts). A page sent from the kept parts reads as one rendered
afresh, and whatever changes what they show, by whatever means, is on the page
at the next request. The page cache is off here: these are the pages it would
store."""

from datetime import date

import pytest
from django.test import Client

from articles.images.models import Image, Rendition
from articles.models import (
    Article,
    Author,
    ChangeNote,
    MedicalReview,
    Reference,
    StoredPage,
    Tag,
    Topic,
)
from articles.pages.models import Page, Purpose

pytestmark = pytest.mark.usefixtures("page_cache_off")


@pytest.fixture
def article(make_full_article, make_user, clock):
    article = make_full_article(is_medical=True)
    reviewer = make_user("Medical reviewers", credentials="MD")
    MedicalReview.objects.create(
        article=article, reviewer=reviewer.author_profile, reviewed_on="2024-02-01"
    )
    ChangeNote.objects.create(
        article=article, changed_at=article.updated_at, note="Added the new drugs."
    )
    Page.objects.create(
        title="How we write",
        slug="how-we-write",
        purpose=Purpose.EDITORIAL_POLICY,
        body="<p>Plainly.</p>",
        is_published=True,
    )
    return article


def page(article):
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_from_kept_parts_reads_as_one_rendered_afresh(article):
    fresh = page(article)
    assert StoredPage.objects.filter(article=article).exists()

    assert page(article) == fresh


def test_the_kept_parts_are_what_is_sent(article):
    page(article)
    StoredPage.objects.filter(article=article).update(main_html="<p>Kept.</p>")

    assert "<p>Kept.</p>" in page(article)


def test_a_staff_preview_is_never_kept(client, article, editor):
    client.force_login(editor)
    assert client.get(article.get_preview_url()).status_code == 200
    assert not StoredPage.objects.exists()


# Each changes something the kept parts show, without saving through the
# model (no signal runs): the digest of what the page loaded must notice.
CHANGES = {
    "article title": lambda a: (
        Article.objects.filter(pk=a.pk).update(title="A renamed article"),
        "A renamed article",
    ),
    "author name": lambda a: (
        Author.objects.filter(pk=a.author_id).update(name="Renamed Writer"),
        "Renamed Writer",
    ),
    "reviewer credentials": lambda a: (
        Author.objects.filter(medical_reviews__article=a).update(
            credentials="Consultant haematologist"
        ),
        "Consultant haematologist",
    ),
    "review date": lambda a: (
        MedicalReview.objects.filter(article=a).update(reviewed_on=date(2024, 3, 7)),
        "7 March 2024",
    ),
    "topic name": lambda a: (
        Topic.objects.filter(articles=a).update(name="Bone marrow care"),
        "Bone marrow care",
    ),
    "new tag": lambda a: (
        a.tags.add(Tag.objects.create(name="Stem cells", slug="stem-cells")),
        "Stem cells",
    ),
    "change note": lambda a: (
        ChangeNote.objects.filter(article=a).update(note="Checked every dose."),
        "Checked every dose.",
    ),
    "image credit": lambda a: (
        Image.objects.filter(pk=a.featured_image_id).update(credit="Clinic archive"),
        "Clinic archive",
    ),
    "rendition file": lambda a: (
        Rendition.objects.filter(image=a.featured_image_id).update(
            file="renditions/moved.webp"
        ),
        "renditions/moved.webp",
    ),
    # The publisher's JSON-LD links its policy pages.
    "site page address": lambda a: (
        Page.objects.filter(slug="how-we-write").update(slug="our-standards"),
        "/our-standards/",
    ),
    "reference title": lambda a: (
        Reference.objects.filter(article=a, position=1).update(title="A retitled paper")
        and Article.objects.get(pk=a.pk).rebuild_body(),
        "A retitled paper",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_is_on_the_next_page(article, change):
    page(article)
    page(article)  # Now from the kept parts.

    _, shown = CHANGES[change](article)

    assert shown in page(article)
    # And the new parts are kept in place of the old.
    kept = StoredPage.objects.get(article=article)
    assert shown in kept.head_html + kept.main_html


def test_a_new_site_name_is_on_the_next_page(article, settings):
    page(article)
    settings.SITE_NAME = "Myeloma Explained"
    assert '<meta property="og:site_name" content="Myeloma Explained">' in page(article)


def test_a_new_release_renders_the_parts_afresh(article, monkeypatch):
    from articles import page_parts

    page(article)
    StoredPage.objects.filter(article=article).update(main_html="<p>Old.</p>")
    monkeypatch.setattr(page_parts, "code_version", lambda: "the next release")

    assert "<p>Old.</p>" not in page(article)


def test_related_articles_are_not_kept(article, make_article, topic):
    page(article)
    newer = make_article(title="A newer article on relapse")
    newer.topics.add(topic)
    assert "A newer article on relapse" in page(article)
