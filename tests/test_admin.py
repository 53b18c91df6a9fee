import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.images.models import Image
from articles.models import Article, Status
from tests.admin_form import ADD_ARTICLE, article_form
from tests.conftest import image_bytes

ADD_IMAGE = reverse("admin:images_image_add")
# Editor machinery that produces no markup of its own.
INFRASTRUCTURE = {
    "Document",
    "Dropcursor",
    "Gapcursor",
    "Paragraph",
    "Text",
    "Menu",
    "NoSpellCheck",
    "History",
    "LinkRetyping",
    "FieldLabel",
    "VagueLinks",
    "ReadingLevel",
}


def upload_image(client, **fields):
    data = {
        "file": SimpleUploadedFile(
            "clinic.jpg", image_bytes((1280, 720)), "image/jpeg"
        ),
        "alt_text": "A patient and a nurse look at test results together",
        "caption": "Talking through results",
        "credit": "Depositphotos / pressmaster",
        "licence": "Standard licence",
    } | fields
    return client.post(ADD_IMAGE, data)


def test_editor_adds_an_article_with_image_and_two_references(
    admin_client, topic, author
):
    response = upload_image(admin_client)
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (1280, 720)

    # "medical content" left unticked: a medical article is published only
    # after its review (tests/test_publishing_gate.py).
    response = admin_client.post(
        ADD_ARTICLE,
        article_form(
            featured_image=image.pk,
            topics=[topic.pk],
            author=author.pk,
            _move="publish",
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get()
    assert article.featured_image == image
    assert list(article.topics.all()) == [topic]
    assert [r.publisher for r in article.references.all()] == [
        "Multiple Myeloma Research Foundation",
        "Blood",
    ]
    assert article.is_published()
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "Relapse after a stem cell transplant" in page
    assert "Depositphotos / pressmaster" in page
    assert "Targeted therapy at relapse" in page


def test_admin_sanitizes_the_body(admin_client):
    admin_client.post(
        ADD_ARTICLE,
        article_form(body='<p onclick="x()">Hi</p><script>alert(1)</script>'),
    )
    assert Article.objects.get().body == "<p>Hi</p>"


def edit_saved_article(client, first_reference_changes):
    """Saves the article made by article_form() again, changing its first reference."""
    article = Article.objects.get()
    first, second = article.references.all()
    data = article_form(
        **{
            "references-INITIAL_FORMS": "2",
            "references-0-id": str(first.pk),
            "references-0-article": str(article.pk),
            "references-1-id": str(second.pk),
            "references-1-article": str(article.pk),
            # The version the editor opened: see tests/test_conflicts.py.
            "opened_at": article.modified_at.isoformat(),
        }
    )
    data |= {f"references-0-{k}": v for k, v in first_reference_changes.items()}
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 302
    return article, first, second


def test_references_can_be_reordered(admin_client):
    admin_client.post(ADD_ARTICLE, article_form())
    article, first, second = edit_saved_article(admin_client, {"position": "3"})
    assert list(article.references.all()) == [second, first]


def test_references_are_renumbered_and_unset_positions_go_last(admin_client):
    data = article_form()
    data["references-0-position"] = "0"
    data["references-1-position"] = "7"
    admin_client.post(ADD_ARTICLE, data)
    references = Article.objects.get().references.all()
    assert [(r.position, r.publisher) for r in references] == [
        (1, "Blood"),
        (2, "Multiple Myeloma Research Foundation"),
    ]


def test_a_reference_can_be_removed(admin_client):
    admin_client.post(ADD_ARTICLE, article_form())
    article, _, second = edit_saved_article(admin_client, {"DELETE": "on"})
    assert list(article.references.all()) == [second]


def test_failed_save_shows_errors_and_keeps_what_was_typed(admin_client):
    data = article_form(title="", summary="Kept summary text")
    data["references-1-doi"] = "not-a-doi"
    response = admin_client.post(ADD_ARTICLE, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "This field is required." in html
    assert "Enter a DOI such as" in html
    assert "Kept summary text" in html
    assert "Relapsed and refractory myeloma" in html
    assert "the MMRF guide" in html
    assert 'value="not-a-doi"' in html


def test_changelist_filters_by_visibility(admin_client, make_article):
    make_article(title="Live piece")
    make_article(title="Future piece", published_at=timezone.now() + timedelta(days=2))
    make_article(title="Draft piece", status=Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    scheduled = admin_client.get(url, {"visibility": "scheduled"}).content.decode()
    assert "Future piece" in scheduled and "Live piece" not in scheduled
    everything = admin_client.get(url).content.decode()
    assert "Scheduled for" in everything
    assert "Draft piece" in everything


@pytest.mark.parametrize(
    "query",
    [{"q": "Live"}, {"status__exact": "draft"}, {"published_at__year": "2020"}],
)
def test_changelist_search_and_filters_respond(admin_client, make_article, query):
    make_article(title="Live piece")
    url = reverse("admin:articles_article_changelist")
    assert admin_client.get(url, query).status_code == 200


def test_view_on_site_only_for_live_articles(admin_client, make_article):
    live = make_article()
    draft = make_article(status=Status.DRAFT)
    live_page = admin_client.get(
        reverse("admin:articles_article_change", args=[live.pk])
    ).content.decode()
    draft_page = admin_client.get(
        reverse("admin:articles_article_change", args=[draft.pk])
    ).content.decode()
    assert "View on site" in live_page and "Preview" not in live_page
    assert "View on site" not in draft_page
    assert draft.get_preview_url() in draft_page


def test_featured_image_chooser_shows_a_thumbnail(
    admin_client, make_article, make_image
):
    article = make_article(featured_image=make_image())
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    thumbnail_url = reverse(
        "admin:images_image_thumbnail", args=[article.featured_image.pk]
    )
    assert f'class="image-chooser-preview" alt="" src="{thumbnail_url}"' in html
    assert "add_id_featured_image" in html
    # The small rendition, not the camera original.
    assert admin_client.get(thumbnail_url)["Location"] == (
        article.featured_image.whole_renditions("jpeg")[0].url
    )


def test_image_narrower_than_recommended_warns_but_is_kept(admin_client):
    response = upload_image(admin_client)
    assert Image.objects.count() == 1
    warning = "This image is 1280 pixels wide."
    assert warning in admin_client.get(response["Location"]).content.decode()


def test_image_list_shows_thumbnails(admin_client, make_image):
    image = make_image()
    html = admin_client.get(reverse("admin:images_image_changelist")).content.decode()
    assert f'src="{image.thumbnail_url}"' in html
    assert image.thumbnail_url == image.whole_renditions("jpeg")[0].url


def test_rich_text_editor_is_limited_to_the_allowed_tools(admin_client):
    html = admin_client.get(ADD_ARTICLE).content.decode()
    config = json.loads(
        unescape(re.search(r'data-django-prose-editor-configurable="([^"]+)"', html)[1])
    )
    tools = {name for name, on in config["extensions"].items() if on}
    assert "django_prose_editor/configurable.js" in html
    assert tools - INFRASTRUCTURE == {
        "Bold",
        "Italic",
        "Heading",
        "BulletList",
        "OrderedList",
        "ListItem",
        "Blockquote",
        "HardBreak",
        "Link",
    }
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}


def test_old_addresses_are_listed_on_the_article(admin_client, make_article):
    article = make_article(slug="old-name")
    article.slug = "new-name"
    article.save()
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "old-name" in html
