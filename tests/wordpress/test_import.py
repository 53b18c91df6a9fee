import re
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError

from articles.images.models import Image
from articles.models import Article, Author, Reference, Status, Tag, Topic
from articles.wordpress.models import ImportedPost, OldAddress
from tests.wordpress.conftest import EXPORT


def article(post_id):
    return ImportedPost.objects.get(wordpress_id=post_id).article


def test_classic_post_becomes_a_live_article(imported):
    post = article(101)
    assert post.title == "When Myeloma Returns"
    assert post.slug == "when-myeloma-returns"
    assert post.summary.startswith("What it means when myeloma comes back")
    assert post.status == Status.PUBLISHED
    assert post.published_at == datetime(2023, 5, 5, 8, 20, tzinfo=UTC)
    assert post.body.startswith("<p>Doctors speak of a relapse")
    assert post.body.count("<p>") == 4
    assert post.is_published()


def test_taxonomy_and_author_come_with_their_slugs(imported):
    post = article(101)
    assert [t.slug for t in post.topics.all()] == ["myeloma"]
    assert [t.slug for t in post.tags.all()] == ["coming-back"]
    assert Topic.objects.get(slug="blood-cancers").description == (
        "Leukaemia, lymphoma and myeloma."
    )
    assert Tag.objects.get(slug="coming-back").name == "Coming back"
    assert post.author == Author.objects.get(slug="rhona")
    assert post.author.name == "Rhona Castellan"
    assert post.author.user is None


def test_credit_line_moves_to_the_featured_image(imported):
    post = article(101)
    image = post.featured_image
    assert image.credit == "Stockfolio / lensmaker"
    assert image.alt_text == "An empty hospital bed beside a bright window"
    assert image.caption == "Morning light on a haematology ward"
    assert image.renditions.exists()
    assert "Featured image" not in post.body


def test_clicking_here_links_become_references_and_are_reported(imported):
    post = article(101)
    references = list(post.references.order_by("position"))
    assert [(r.url, r.title, r.publisher) for r in references] == [
        (
            "https://www.marrowtrust.example.org/relapse-explained",
            "marrowtrust.example.org",
            "marrowtrust.example.org",
        ),
        (
            "https://haemletters.example.com/articles/2022/targeted",
            "Haematology Letters",
            "Haematology Letters",
        ),
        (
            "https://www.nhs.example.uk/myeloma",
            "NHS overview of myeloma treatment",
            "nhs.example.uk",
        ),
    ]
    assert "Vague links found: 2" in imported
    assert (
        "WordPress id 101 “When Myeloma Returns”: “by clicking here” → "
        "https://haemletters.example.com/articles/2022/targeted" in imported
    )
    # The links cite their references in the text readers get.
    assert 'href="#ref-2"' in post.body_html


def test_block_editor_post_loses_its_comments(imported):
    post = article(102)
    assert "wp:" not in post.body
    assert post.body.startswith("<p>Bring a list of questions")
    assert "<h2>About your results</h2>" in post.body
    assert "<li>What happens next?</li>" in post.body
    # No excerpt: the summary is the start of the text.
    assert post.summary.startswith("Bring a list of questions")


def test_attachment_whose_file_is_missing_is_reported_and_post_kept(imported):
    post = article(102)
    assert post.featured_image is None
    assert "WordPress id 202: image not imported (post 102)" in imported
    assert "2023/06/notebook.jpg" in imported


def test_caption_shortcode_gives_the_image_and_its_caption(imported):
    post = article(103)
    assert "[caption" not in post.body and "[gallery" not in post.body
    assert post.featured_image.caption == "A warm bowl of lentil soup"
    assert post.featured_image.alt_text == "A bowl of soup"
    assert "[gallery] shortcode removed" in imported
    assert "<p>Keep a water bottle close by.<br>\nSip through the day.</p>" in post.body


def test_scheduled_post_is_published_ahead(imported):
    post = article(104)
    assert post.status == Status.PUBLISHED
    assert post.is_scheduled()
    assert post.published_at == datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


def test_draft_and_pending_posts_are_not_live(imported):
    draft, pending = article(105), article(108)
    assert (draft.status, draft.published_at) == (Status.DRAFT, None)
    assert draft.slug == "half-written-thoughts-on-fatigue"
    assert pending.status == Status.IN_REVIEW


def test_private_post_is_not_public(imported, client):
    post = article(106)
    assert post.status == Status.DRAFT
    assert not Article.objects.published().filter(pk=post.pk).exists()
    assert client.get("/articles/notes-for-the-team/").status_code == 404
    assert client.get("/2023/08/02/notes-for-the-team/").status_code == 404


def test_pages_and_other_types_are_left_out_and_reported(imported):
    assert not Article.objects.filter(title="About this blog").exists()
    assert "WordPress id 107: page “About this blog” left out" in imported
    assert "Not posts, left out: 1 nav_menu_item, 1 page" in imported


def test_bad_items_are_skipped_with_their_id(imported):
    assert (
        "WordPress id 109: skipped: its date “the fifth of May” cannot be read"
        in imported
    )
    assert "WordPress id 110: skipped: its status “sleeping” is unknown" in imported
    assert "Posts imported: 7" in imported
    assert "Posts skipped: 2" in imported


def test_reimport_changes_nothing(imported, uploads, import_wordpress):
    counts = [m.objects.count() for m in (Article, Image, Reference, OldAddress)]
    modified = dict(Article.objects.values_list("pk", "modified_at"))
    again = import_wordpress(EXPORT, "--media-dir", str(uploads))
    assert "Posts imported: 0" in again
    assert "Posts unchanged: 7" in again
    assert [
        m.objects.count() for m in (Article, Image, Reference, OldAddress)
    ] == counts
    assert dict(Article.objects.values_list("pk", "modified_at")) == modified


def test_newer_export_updates_a_changed_post(
    imported, uploads, import_wordpress, tmp_path
):
    newer = tmp_path / "newer.xml"
    newer.write_text(
        EXPORT.read_text().replace("Questions to Ask at Clinic", "Questions for Clinic")
    )
    report = import_wordpress(newer, "--media-dir", str(uploads))
    assert "Posts updated: 1" in report
    assert article(102).title == "Questions for Clinic"
    assert Article.objects.filter(title__startswith="Questions").count() == 1


def test_an_edit_made_here_is_never_overwritten(
    imported, uploads, import_wordpress, tmp_path, clock
):
    post = article(102)
    clock.shift(60)
    post.title = "Questions we edited here"
    post.save()
    newer = tmp_path / "newer.xml"
    newer.write_text(
        EXPORT.read_text().replace("Questions to Ask at Clinic", "Questions for Clinic")
    )
    report = import_wordpress(newer, "--media-dir", str(uploads))
    assert "edited here since it was imported" in report
    assert article(102).title == "Questions we edited here"


def test_dry_run_writes_nothing(clock, uploads, import_wordpress, settings):
    report = import_wordpress(EXPORT, "--media-dir", str(uploads), "--dry-run")
    assert "Posts would be imported: 7" in report
    assert "Images would be imported: 2" in report
    assert "Dry run: nothing was written." in report
    for model in (Article, Image, Topic, Tag, Author, OldAddress, ImportedPost):
        assert not model.objects.exists()
    assert not (settings.MEDIA_ROOT / "images").exists()


def test_status_draft_brings_everything_in_as_drafts(clock, uploads, import_wordpress):
    import_wordpress(EXPORT, "--media-dir", str(uploads), "--status", "draft")
    assert not Article.objects.exclude(status=Status.DRAFT).exists()
    # The date is kept for when an editor publishes it.
    assert article(101).published_at == datetime(2023, 5, 5, 8, 20, tzinfo=UTC)


def test_without_media_dir_images_are_reported_and_credit_kept(clock, import_wordpress):
    report = import_wordpress(EXPORT)
    post = article(101)
    assert post.featured_image is None
    assert "no --media-dir was given" in report
    assert "<p>Featured image: Stockfolio / lensmaker</p>" in post.body


def test_wxr_1_1_reads_the_same(clock, uploads, import_wordpress, tmp_path):
    older = tmp_path / "wxr-1.1.xml"
    older.write_text(EXPORT.read_text().replace("export/1.2/", "export/1.1/"))
    report = import_wordpress(older, "--media-dir", str(uploads))
    assert "Posts imported: 7" in report


def test_missing_file_is_a_clear_error(import_wordpress, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_wordpress(tmp_path / "nowhere.xml")


def test_the_imported_post_reads_right_on_its_page(imported, client):
    """The seed-shaped post as readers get it: the credit under its picture,
    the date it was posted, and its sources listed."""
    post = article(101)
    page = client.get(post.get_absolute_url()).content.decode()
    figure = re.search(r"<figure[^>]*>.*?</figure>", page, re.S).group()
    assert figure.index("<img") < figure.index("Image: Stockfolio / lensmaker")
    assert '<time datetime="2023-05-05T08:20:00+00:00">5 May 2023</time>' in page
    for reference in post.references.all():
        assert reference.url in page
