"""Upgrading from the previous release's database, by the steps of `make
upgrade` (README, "Upgrading").

The previous release is the schema before the current series of migrations:
articles 0010_editorial_words (with pages 0002_editors), when the image
library was still part of the articles app (images 0001 and articles 0011
moved it) and bodies were rendered on every view (0012 stores them). Its
content is written with the models of that state, files included, then the
upgrade runs and the pages must read as they did."""

import io
import shlex
import subprocess
from datetime import UTC, date, datetime

import feedparser
import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.images import renditions
from articles.models import Article
from tests.conftest import image_bytes
from tests.servers import ROOT

PREVIOUS_RELEASE = [
    ("articles", "0010_editorial_words"),
    ("pages", "0002_editors"),
    ("images", None),
]
MMRF = "https://themmrf.org/relapse/"


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


def upgrade_steps():
    """The manage.py commands `make upgrade` runs, as call_command arguments."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "upgrade"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        shlex.split(line)[2:]
        for line in dry_run.stdout.splitlines()
        if "bin/python manage.py " in line
    ]


@pytest.fixture
def previous_release(transactional_db, settings, tmp_path):
    """A database at the previous release's schema, holding a published
    article as that release stored it: byline, topic, a featured image with
    its files, two references (one cited), a medical review and a workflow
    log line."""
    settings.STATIC_ROOT = tmp_path / "static"
    executor = migrate(PREVIOUS_RELEASE)
    old = executor.loader.project_state(
        [target for target in PREVIOUS_RELEASE if target[1]]
    ).apps
    try:
        yield store_old_content(old)
    finally:
        migrate()


def store_old_content(old):
    OldImage = old.get_model("articles", "Image")
    OldRendition = old.get_model("articles", "Rendition")
    OldArticle = old.get_model("articles", "Article")
    token = renditions.new_token()
    original = default_storage.save(
        f"images/2026/11/{token}.jpg",
        ContentFile(image_bytes(size=(1600, 900), color=(200, 60, 40))),
    )
    image = OldImage.objects.create(
        file=original,
        original_filename="waiting-room.jpg",
        alt_text="A nurse talks with a patient in a clinic room",
        credit="Depositphotos / pressmaster",
        width=1600,
        height=900,
    )
    rendition_file = default_storage.save(
        f"renditions/{token}/1200w.jpg",
        ContentFile(image_bytes(size=(1200, 675), color=(200, 60, 40))),
    )
    OldRendition.objects.create(
        image=image,
        format="jpeg",
        width=1200,
        height=675,
        file=rendition_file,
    )
    author = old.get_model("articles", "Author").objects.create(
        name="Dana Whitfield", slug="dana-whitfield", credentials="RN, oncology nurse"
    )
    clinician = old.get_model("articles", "Author").objects.create(
        name="Ravi Chandran",
        slug="ravi-chandran",
        credentials="MD, haematologist",
    )
    article = OldArticle.objects.create(
        title="Treatment after a myeloma relapse",
        slug="treatment-after-relapse",
        summary="Why the next treatment depends on the last one.",
        body=(
            "<h2>Choices</h2><p>Most people are offered a new combination "
            f'(<a href="{MMRF}">the MMRF guide</a>).</p>'
        ),
        status="published",
        published_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        author=author,
        featured_image=image,
    )
    article.topics.create(name="Relapse", slug="relapse")
    References = old.get_model("articles", "Reference")
    References.objects.create(
        article=article,
        title="Relapse and treatment choices",
        publisher="Multiple Myeloma Research Foundation",
        url=MMRF,
        position=1,
    )
    References.objects.create(
        article=article,
        title="Relapsed myeloma overview",
        publisher="Blood",
        url="https://ashpublications.org/blood/article/example",
        doi="10.1182/blood.2020008805",
        position=2,
    )
    editor = User.objects.create_user("editor", is_staff=True)
    old.get_model("articles", "MedicalReview").objects.create(
        article=article,
        reviewer=clinician,
        reviewed_on=date(2026, 11, 1),
        next_review_on=date(2027, 11, 1),
        recorded_by_id=editor.pk,
    )
    old.get_model("articles", "Transition").objects.create(
        article=article,
        user_id=editor.pk,
        from_status="approved",
        to_status="published",
        move="publish",
    )
    return {"article": article.pk, "original": original, "rendition": rendition_file}


def test_the_upgrade_steps_are_migrate_collectstatic_and_rebuild_bodies():
    assert [step[0] for step in upgrade_steps()] == [
        "migrate",
        "collectstatic",
        "rebuild_bodies",
    ]


def upgrade():
    for step in upgrade_steps():
        call_command(*step, stdout=io.StringIO())


def test_an_article_of_the_previous_release_reads_the_same_after_the_upgrade(
    previous_release, client
):
    upgrade()
    article = Article.objects.get(pk=previous_release["article"])
    assert article.body_rendering > 0
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Treatment after a myeloma relapse" in html
    assert "Most people are offered a new combination" in html
    assert 'id="cite-1-1"' in html and 'href="#ref-1"' in html
    assert "Relapse and treatment choices" in html
    assert "Relapsed myeloma overview" in html
    assert "Ravi Chandran" in html and "MD, haematologist" in html
    assert "Dana Whitfield" in html
    assert previous_release["rendition"] in html
    assert "A nurse talks with a patient in a clinic room" in html


def test_the_previous_releases_images_keep_their_files_and_renditions(
    previous_release,
):
    upgrade()
    image = Article.objects.get(pk=previous_release["article"]).featured_image
    assert image.file.name == previous_release["original"]
    assert [r.file.name for r in image.renditions.all()] == [
        previous_release["rendition"]
    ]
    assert default_storage.exists(previous_release["rendition"])
    # When a release changes what renditions are made, they are made again
    # from the original the previous release kept.
    call_command("make_renditions", stdout=io.StringIO())
    remade = list(image.renditions.all())
    assert len(remade) > 1
    assert all(default_storage.exists(r.file.name) for r in remade)


def test_the_feed_carries_the_upgraded_article(previous_release, client):
    upgrade()
    feed = feedparser.parse(client.get("/feed/").content)
    [entry] = feed.entries
    assert entry.title == "Treatment after a myeloma relapse"
    assert "Relapse and treatment choices" in entry.content[0].value
