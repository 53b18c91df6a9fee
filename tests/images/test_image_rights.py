"""Who may change a library image, as attacks through the admin: real POSTs
as an author (groups from migration 0006), real files made with Pillow.

An author may change only the images they uploaded, and only while no article
past its draft shows them; anything else is an editor's action."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import pending
from articles.images.models import Image
from articles.models import PendingChange, Status
from tests.conftest import image_bytes

FEATURED = (1200, 675)
RED = (200, 20, 20)


def change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


def deface(client, image):
    """What a hostile author posts: a new picture, alt text and credit."""
    return client.post(
        change_url(image),
        {
            "file": SimpleUploadedFile("swap.jpg", image_bytes(FEATURED, color=RED)),
            "alt_text": "Something else entirely",
            "credit": "Nobody",
        },
    )


def og_image(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]


@pytest.fixture
def author(make_user, client):
    user = make_user("Authors", credentials="RN")
    client.force_login(user)
    return user


@pytest.fixture
def editor(make_user):
    return make_user("Editors", credentials="MD")


@pytest.fixture
def image_by(make_image):
    def make(user):
        return make_image(
            file=ContentFile(image_bytes(FEATURED), name="clinic.jpg"),
            uploaded_by=user,
        )

    return make


def assert_untouched(image):
    stored = Image.objects.get(pk=image.pk)
    assert stored.file.name == image.file.name
    assert stored.alt_text == image.alt_text
    assert stored.credit == image.credit
    assert set(stored.renditions.values_list("file", flat=True)) == set(
        image.renditions.values_list("file", flat=True)
    )


def test_author_cannot_change_an_image_someone_else_uploaded(
    client, author, editor, image_by
):
    image = image_by(editor)
    assert deface(client, image).status_code == 403
    assert_untouched(image)


def test_author_cannot_change_an_image_nobody_is_recorded_as_uploading(
    client, author, image_by
):
    image = image_by(None)  # Loaded by a script.
    assert deface(client, image).status_code == 403
    assert_untouched(image)


@pytest.mark.parametrize(
    "status",
    [Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED, Status.UNPUBLISHED],
)
def test_author_cannot_change_their_own_image_once_an_article_past_draft_uses_it(
    client, author, editor, image_by, make_article, status
):
    image = image_by(author)
    make_article(featured_image=image, status=status, created_by=editor)
    assert deface(client, image).status_code == 403
    assert_untouched(image)


def test_author_cannot_change_their_image_while_a_change_to_a_live_article_shows_it(
    client, author, editor, image_by, make_article
):
    image = image_by(author)
    live = make_article(created_by=editor)
    live.featured_image = image  # The proposal only: the live row keeps its own.
    PendingChange.objects.create(
        article=live, content=pending.content_of(live, [], [], []), created_by=editor
    )
    assert deface(client, image).status_code == 403
    assert_untouched(image)


def test_a_live_articles_page_and_card_survive_the_attack(
    client, author, editor, image_by, make_article
):
    image = image_by(author)
    article = make_article(featured_image=image, created_by=editor)
    card = og_image(client, article)
    deface(client, image)
    assert og_image(client, article) == card
    served = client.get(card)
    served.close()
    assert served.status_code == 200


def test_author_changes_their_own_image_while_only_drafts_use_it(
    client, author, editor, image_by, make_article, django_capture_on_commit_callbacks
):
    image = image_by(author)
    make_article(featured_image=image, status=Status.DRAFT, created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = deface(client, image)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Something else entirely"
    assert image.original_filename == "swap.jpg"


def test_editor_replaces_the_image_of_a_live_article(
    client, author, editor, image_by, make_article
):
    image = image_by(author)
    article = make_article(featured_image=image, created_by=author)
    card = og_image(client, article)
    client.force_login(editor)
    assert deface(client, image).status_code == 302
    assert og_image(client, article) != card


def test_author_is_told_why_an_image_is_read_only(
    client, author, editor, image_by, make_article
):
    image = image_by(author)
    make_article(featured_image=image, created_by=editor)
    html = client.get(change_url(image)).content.decode()
    assert "only editors can change it now" in html
    assert 'type="file"' not in html and 'name="alt_text"' not in html


def test_a_reviewer_reads_an_image_without_being_told_to_upload_one(
    client, make_user, editor, image_by
):
    client.force_login(make_user("Medical reviewers", credentials="MD"))
    image = image_by(editor)
    response = client.get(change_url(image))
    assert response.status_code == 200
    assert "upload your own" not in response.content.decode()
    assert deface(client, image).status_code == 403
    assert_untouched(image)


def test_image_page_lists_the_articles_that_use_it(
    client, editor, image_by, make_article
):
    image = image_by(editor)
    live = make_article(featured_image=image, title="Eating well during chemo")
    draft = make_article(
        featured_image=image, title="Sleep after a transplant", status=Status.DRAFT
    )
    client.force_login(editor)
    html = client.get(change_url(image)).content.decode()
    assert "Used by" in html
    for article, status in [(live, "published"), (draft, "draft")]:
        link = reverse("admin:articles_article_change", args=[article.pk])
        assert f'<a href="{link}">{article.title}</a> ({status})' in html
    listing = client.get(reverse("admin:images_image_changelist")).content.decode()
    assert '<td class="field-article_count">2</td>' in listing


def test_author_is_not_shown_the_titles_of_other_authors_articles(
    client, author, editor, image_by, make_article
):
    image = image_by(author)
    make_article(
        featured_image=image,
        title="A secret draft",
        status=Status.DRAFT,
        created_by=editor,
    )
    html = client.get(change_url(image)).content.decode()
    assert "A secret draft" not in html
    assert "1 other article you cannot open" in html


def test_deleting_an_image_in_use_warns_first(client, editor, image_by, make_article):
    image = image_by(editor)
    make_article(featured_image=image, title="Eating well during chemo")
    client.force_login(editor)
    page = client.get(reverse("admin:images_image_delete", args=[image.pk]))
    html = page.content.decode()
    assert "An article uses this image as its featured image." in html
    assert "Eating well during chemo" in html
    selected = client.post(
        reverse("admin:images_image_changelist"),
        {"action": "delete_selected", "_selected_action": [image.pk]},
    )
    html = selected.content.decode()
    assert "An article uses these images as its featured image." in html
    assert "Eating well during chemo" in html
    assert Image.objects.filter(pk=image.pk).exists()


def test_deleting_an_unused_image_gives_no_warning(client, editor, image_by):
    image = image_by(editor)
    client.force_login(editor)
    html = client.get(
        reverse("admin:images_image_delete", args=[image.pk])
    ).content.decode()
    assert "featured image" not in html


def test_authors_cannot_delete_images(client, author, image_by):
    image = image_by(author)
    response = client.post(
        reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_forged_file_field_is_no_way_around(client, author, editor, image_by):
    """Posting only the fields an author may not see changes nothing either."""
    image = image_by(editor)
    response = client.post(change_url(image), {"credit": "", "alt_text": ""})
    assert response.status_code == 403
    assert_untouched(image)


def test_reading_the_image_as_an_author_keeps_working(client, author, image_by):
    image = image_by(author)
    response = client.get(change_url(image))
    assert response.status_code == 200
    assert 'name="alt_text"' in response.content.decode()
