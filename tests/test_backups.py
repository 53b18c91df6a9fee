"""`manage.py backup` and `manage.py restore` on the tests' database, SQLite or
PostgreSQL: a site written through the workflow is backed up, restored into
a new empty database by `manage.py restore` as an operator would run it, and
served again by gunicorn with the same pages, files and rows."""

import io
import json
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connections
from reversion.models import Version

from articles import workflow
from articles.images.models import Image, Rendition
from articles.models import Article, MedicalReview, Reference, Status, Transition
from tests.conftest import image_bytes
from tests.servers import collect_static, get, gunicorn, manage

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def site(make_full_article, make_image, writer, reviewer, editor):
    """An article taken through the workflow: written, reviewed, published,
    with a featured image big enough for every rendition."""
    image = make_image(
        file=ContentFile(image_bytes(size=(1600, 900)), name="clinic.jpg"),
        caption="A clinic waiting room",
    )
    article = make_full_article(
        status=Status.DRAFT,
        published_at=None,
        author=writer.author_profile,
        created_by=writer,
        featured_image=image,
    )
    workflow.move(article, "submit", writer)
    workflow.move(article, "approve", reviewer, comment="Doses checked.")
    workflow.move(article, "publish", editor)
    User.objects.create_superuser("admin", password="pw")
    return Article.objects.get(pk=article.pk)


def dumped():
    """Every row of the database, as `manage.py dumpdata` writes it."""
    output = io.StringIO()
    call_command("dumpdata", stdout=output)
    return json.loads(output.getvalue())


def read_stored(name):
    with default_storage.open(name) as handle:
        return handle.read()


@pytest.fixture
def empty_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the tests' kind."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    try:
        yield (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
            f"{settings['PORT']}/{name}"
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_and_serves_the_site(
    site, empty_database, tmp_path
):
    rows = dumped()
    files = {
        name: read_stored(name)
        for name in [site.featured_image.file.name]
        + [r.file.name for r in Rendition.objects.filter(image=site.featured_image)]
    }
    assert len(files) > 10
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())

    env = {
        "DATABASE_URL": empty_database,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "PAGE_CACHE_DIR": str(tmp_path / "page-cache"),
        "STATIC_ROOT": str(collect_static(tmp_path / "static")),
    }
    restored = manage("restore", str(tmp_path / "backup"), **env)
    assert "Restored the backup" in restored.stdout
    assert json.loads(manage("dumpdata", **env).stdout) == rows

    with gunicorn(tmp_path / "gunicorn.log", **env) as port:
        page = get(port, site.get_absolute_url(), timeout=10)
        assert page.status == 200
        html = page.body.decode()
        assert "Treatment after a myeloma relapse" in html
        assert "Relapsed myeloma overview" in html
        assert "Targeted drugs at relapse" in html
        assert re.search(r"Medically reviewed by\s*(<[^>]+>\s*)*Person \d+", html)
        shown = set(re.findall(r"/media/([\w/.-]+\.(?:jpg|webp))", html))
        assert shown and shown <= set(files)
        for name, content in files.items():
            served = get(port, f"/media/{name}", timeout=10)
            assert (served.status, served.body) == (200, content), name
        found = get(port, "/search/?q=relapse", timeout=10)
        assert site.get_absolute_url() in found.body.decode()


def test_the_backup_keeps_the_editorial_record(site, tmp_path):
    """Users, revisions, the workflow log and the review come back with the
    article (restored here over the same database, with --replace)."""
    before = dumped()
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    Article.objects.all().delete()
    Image.objects.all().delete()
    User.objects.all().delete()
    Version.objects.all().delete()
    call_command("restore", tmp_path / "backup", "--replace", stdout=io.StringIO())
    assert dumped() == before
    article = Article.objects.get(pk=site.pk)
    assert [t.move for t in Transition.objects.filter(article=article)] == [
        "publish",
        "approve",
        "submit",
    ]
    assert MedicalReview.objects.get(article=article).comment == "Doses checked."
    assert Reference.objects.filter(article=article).count() == 2
    assert Version.objects.get_for_object(article).count() == 3
    assert User.objects.get(username="admin").check_password("pw")
    assert default_storage.exists(article.featured_image.file.name)
    assert all(
        default_storage.exists(r.file.name)
        for r in article.featured_image.renditions.all()
    )


def test_the_manifest_says_what_the_backup_holds(site, tmp_path):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup/manifest.json").read_text())
    vendor = connections["default"].vendor
    assert manifest["database"]["vendor"] == vendor
    assert manifest["database"]["file"] in {"database.dump", "database.sqlite3"}
    assert "articles.0012_stored_body" in manifest["database"]["migrations"]
    assert (
        manifest["media"]["files"] == Image.objects.count() + Rendition.objects.count()
    )
    assert manifest["media"]["missing"] == []
    assert datetime.fromisoformat(manifest["made_at"]) <= datetime.now(UTC)


def test_a_database_with_content_is_not_restored_over(site, tmp_path):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    site.title = "Written after the backup"
    site.save()
    with pytest.raises(CommandError, match=r"not empty: it holds .*1 article\b"):
        call_command("restore", tmp_path / "backup", stdout=io.StringIO())
    assert Article.objects.get().title == "Written after the backup"


def test_a_damaged_backup_is_refused_before_anything_changes(site, tmp_path):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    with (tmp_path / "backup/media.tar").open("r+b") as tar:
        # Inside the first file's bytes, just past its header.
        tar.seek(600)
        tar.write(b"\xff" * 16)
    site.title = "Written after the backup"
    site.save()
    with pytest.raises(CommandError, match="media.tar is not the file that was backed"):
        call_command("restore", tmp_path / "backup", "--replace", stdout=io.StringIO())
    assert Article.objects.get().title == "Written after the backup"


def test_an_unfinished_backup_is_refused(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup/media.tar").write_bytes(b"")
    with pytest.raises(CommandError, match="no manifest.json"):
        call_command("restore", tmp_path / "backup", stdout=io.StringIO())


def test_a_backup_never_writes_into_a_folder_in_use(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup/notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    assert (tmp_path / "backup/notes.txt").read_text() == "keep me"


def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path, make_article):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    manifest_file = tmp_path / "backup/manifest.json"
    manifest = json.loads(manifest_file.read_text())
    other = "sqlite" if connections["default"].vendor == "postgresql" else "postgresql"
    manifest["database"]["vendor"] = other
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="onto the same kind of database"):
        call_command("restore", tmp_path / "backup", stdout=io.StringIO())


def test_a_backup_from_a_newer_version_of_the_site_is_refused(tmp_path):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    manifest_file = tmp_path / "backup/manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["database"]["migrations"].append("articles.9999_from_the_future")
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="newer version of the site"):
        call_command("restore", tmp_path / "backup", stdout=io.StringIO())


def test_the_database_copy_reads_with_its_own_tools(site, tmp_path):
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    if connections["default"].vendor == "postgresql":
        listing = subprocess.run(
            ["pg_restore", "--list", tmp_path / "backup/database.dump"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert re.search(r"TABLE DATA public articles_article ", listing)
        return
    copy = sqlite3.connect(tmp_path / "backup/database.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM articles_article").fetchall() == [
            (site.title,)
        ]
    finally:
        copy.close()
