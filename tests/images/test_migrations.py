"""Moving the image library to its own app keeps what a database holds.

A database at articles 0010, the last state with the images in the articles
app, is given an article with an image and a rendition, a role holding an
image permission, an admin log entry and a stored revision; then it is
migrated to the latest state and read through today's models."""

from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from reversion.models import Revision, Version

from articles.images.models import Image, Rendition
from articles.models import Article

BEFORE_THE_MOVE = ("articles", "0010_editorial_words")


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


@pytest.fixture
def old_apps(transactional_db):
    """The models as they were at articles 0010, on a database migrated there."""
    # The images app leaves too: its 0001 takes over the models.
    executor = migrate(BEFORE_THE_MOVE, ("images", None))
    try:
        yield executor.loader.project_state([BEFORE_THE_MOVE]).apps
    finally:
        migrate()


@pytest.fixture
def stored(old_apps):
    """What a database at articles 0010 holds, made with its own models."""
    OldImage = old_apps.get_model("articles", "Image")
    OldRendition = old_apps.get_model("articles", "Rendition")
    OldArticle = old_apps.get_model("articles", "Article")
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")

    image = OldImage.objects.create(
        file="images/2026/11/0f3c2a.jpg",
        original_filename="waiting-room.jpg",
        alt_text="A nurse talks with a patient in a clinic room",
        credit="Depositphotos / pressmaster",
        width=1600,
        height=900,
    )
    rendition = OldRendition.objects.create(
        image=image,
        ratio="16:9",
        format="jpeg",
        width=1200,
        height=675,
        file="renditions/5d1e/1200x675.jpg",
    )
    article = OldArticle.objects.create(
        title="Living with myeloma",
        slug="living-with-myeloma",
        summary="What to expect in the months after treatment ends.",
        body="<p>Most people feel tired for a while.</p>",
        status="published",
        published_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        featured_image=image,
    )
    image_type = OldContentType.objects.get(app_label="articles", model="image")
    rendition_type = OldContentType.objects.get(app_label="articles", model="rendition")
    change_image = OldPermission.objects.get(
        content_type=image_type, codename="change_image"
    )
    role = OldGroup.objects.create(name="Picture desk")
    role.permissions.add(change_image)

    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(role.pk)
    logged = LogEntry.objects.create(
        user=editor,
        content_type_id=image_type.pk,
        object_id=str(image.pk),
        object_repr=image.alt_text,
        action_flag=CHANGE,
        change_message="[]",
    )
    revision = Revision.objects.create(
        date_created=datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        comment="Before the image library had an app of its own",
    )
    article_type = OldContentType.objects.get(app_label="articles", model="article")
    version = Version.objects.create(
        revision=revision,
        object_id=str(article.pk),
        content_type_id=article_type.pk,
        db="default",
        format="json",
        serialized_data=serializers.serialize("json", [article]),
        object_repr=article.title,
    )
    return {
        "image": image.pk,
        "rendition": rendition.pk,
        "article": article.pk,
        "image type": image_type.pk,
        "rendition type": rendition_type.pk,
        "change_image": change_image.pk,
        "editor": editor.pk,
        "log entry": logged.pk,
        "version": version.pk,
    }


def test_the_article_keeps_its_image_and_renditions(stored):
    migrate()
    article = Article.objects.get(pk=stored["article"])
    image = article.featured_image
    assert image == Image.objects.get(pk=stored["image"])
    assert image.alt_text == "A nurse talks with a patient in a clinic room"
    assert image.original_filename == "waiting-room.jpg"
    assert [r.pk for r in image.renditions.all()] == [stored["rendition"]]
    assert image.crop("16:9").file.name == "renditions/5d1e/1200x675.jpg"


def test_the_content_types_move_with_their_ids(stored):
    migrate()
    assert ContentType.objects.get_for_model(Image).pk == stored["image type"]
    assert ContentType.objects.get_for_model(Rendition).pk == stored["rendition type"]
    assert not ContentType.objects.filter(
        app_label="articles", model__in=["image", "rendition"]
    ).exists()


def test_roles_keep_their_image_permissions(stored):
    migrate()
    editor = User.objects.get(pk=stored["editor"])
    assert editor.has_perm("images.change_image")
    assert not editor.has_perm("articles.change_image")
    assert (
        Group.objects.get(name="Picture desk").permissions.get().pk
        == (stored["change_image"])
    )


def test_the_admin_log_still_finds_the_image(stored):
    migrate()
    entry = LogEntry.objects.get(pk=stored["log entry"])
    assert entry.get_edited_object() == Image.objects.get(pk=stored["image"])
    assert entry.get_admin_url() == f"/admin/images/image/{stored['image']}/change/"


def test_a_revision_stored_before_still_restores_the_image(stored):
    migrate()
    Article.objects.filter(pk=stored["article"]).update(featured_image=None)
    Version.objects.get(pk=stored["version"]).revert()
    article = Article.objects.get(pk=stored["article"])
    assert article.featured_image_id == stored["image"]


def test_going_back_puts_the_content_types_back(stored):
    migrate()
    migrate(BEFORE_THE_MOVE, ("images", None))
    assert (
        ContentType.objects.get(app_label="articles", model="image").pk
        == (stored["image type"])
    )
    assert not ContentType.objects.filter(app_label="images").exists()


@pytest.mark.django_db
def test_a_new_database_gives_the_roles_the_image_permissions():
    """Migration 0006 gives the roles permissions that 0011 moves to images."""
    granted = {
        role: set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="images")
            .values_list("codename", flat=True)
        )
        for role in ("Authors", "Medical reviewers", "Editors")
    }
    assert granted == {
        "Authors": {"add_image", "change_image", "view_image"},
        "Medical reviewers": {"view_image"},
        "Editors": {"add_image", "change_image", "delete_image", "view_image"},
    }


def test_a_content_type_made_ahead_for_the_images_app_gives_way(old_apps):
    """``migrate images`` alone applies images 0001 but not articles 0011, and
    then makes empty content types and permissions for the images app: the
    ones the database already had still win."""
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    kept = OldContentType.objects.get(app_label="articles", model="image")
    stray = OldContentType.objects.create(app_label="images", model="image")
    OldPermission.objects.create(
        content_type=stray, codename="change_image", name="Can change image"
    )
    migrate()
    assert ContentType.objects.get_for_model(Image).pk == kept.pk
    assert not ContentType.objects.filter(pk=stray.pk).exists()
