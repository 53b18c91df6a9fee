import io
import stat
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.wordpress import background
from articles.wordpress.models import ImportedPost, WordPressImport
from tests.wordpress.conftest import EXPORT

ADD = reverse("admin:wordpress_wordpressimport_add")


def zip_of(entries):
    """A zip made of (name or ZipInfo, bytes) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def uploads_zip_of(folder):
    return zip_of(
        (f"wp-content/uploads/{path.relative_to(folder).as_posix()}", path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


def upload(client, export=None, zip_bytes=None, **fields):
    data = {"as_drafts": "", "is_dry_run": ""} | fields
    if export is not None:
        data["export"] = io.BytesIO(export)
        data["export"].name = "export.xml"
    if zip_bytes is not None:
        data["uploads_zip"] = io.BytesIO(zip_bytes)
        data["uploads_zip"].name = "uploads.zip"
    return client.post(ADD, data)


def form_errors(response):
    return response.context["adminform"].form.errors


@pytest.fixture
def run_imports(django_capture_on_commit_callbacks):
    """Uploads whose imports are started, as after the request's commit, and
    waited for."""

    def post(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(*args, **kwargs)
        background.wait()
        return response

    return post


def test_superuser_imports_an_export_with_its_images(
    transactional_db, admin_client, uploads, run_imports
):
    response = run_imports(admin_client, EXPORT.read_bytes(), uploads_zip_of(uploads))
    job = WordPressImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:wordpress_wordpressimport_change", args=[job.pk]
    )
    assert job.state == WordPressImport.State.DONE, job.error
    article = ImportedPost.objects.get(wordpress_id=101).article
    assert article.title == "When Myeloma Returns"
    assert article.featured_image.credit == "Stockfolio / lensmaker"
    assert job.report["imported"] >= 1
    assert job.report["redirects"] >= 1

    page = admin_client.get(response["Location"]).content.decode()
    assert "Posts imported" in page
    assert "“by clicking here” → https://haemletters.example.com" in page
    assert "WordPress id 101" in page
    assert 'http-equiv="refresh"' not in page


def test_a_running_import_page_refreshes_itself(admin_client, admin_user):
    job = WordPressImport.objects.create(
        export="exports/x.xml", state=WordPressImport.State.RUNNING, total=10, done=4
    )
    page = admin_client.get(
        reverse("admin:wordpress_wordpressimport_change", args=[job.pk])
    ).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "Running: 4 of 10 posts." in page


def test_an_import_not_heard_from_shows_as_stopped(admin_client):
    job = WordPressImport.objects.create(
        export="exports/x.xml", state=WordPressImport.State.RUNNING
    )
    eleven_minutes_ago = timezone.now() - timedelta(minutes=11)
    WordPressImport.objects.filter(pk=job.pk).update(
        started_at=eleven_minutes_ago, heard_at=eleven_minutes_ago
    )
    page = admin_client.get(
        reverse("admin:wordpress_wordpressimport_change", args=[job.pk])
    ).content.decode()
    assert "Stopped: nothing heard from it since" in page
    assert 'http-equiv="refresh"' not in page


def test_a_broken_export_fails_with_its_error_on_the_row(
    transactional_db, admin_client, run_imports
):
    text = EXPORT.read_text()
    cut = text.index("<wp:post_id>102</wp:post_id>")
    run_imports(admin_client, text[:cut].encode())
    job = WordPressImport.objects.get()
    assert job.state == WordPressImport.State.FAILED
    assert "not well-formed XML" in job.error
    assert not ImportedPost.objects.exists()
    page = admin_client.get(
        reverse("admin:wordpress_wordpressimport_change", args=[job.pk])
    ).content.decode()
    assert "not well-formed XML" in page


def test_editors_neither_see_nor_open_the_import(client, editor):
    client.force_login(editor)
    assert client.get(ADD).status_code == 403
    assert "WordPress" not in client.get(reverse("admin:index")).content.decode()


def test_the_import_is_on_the_admin_index_for_superusers(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert ADD in page


def test_an_export_with_entities_is_refused(admin_client):
    attack = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]>'
        b"<rss><channel><title>&a;</title></channel></rss>"
    )
    response = upload(admin_client, attack)
    assert "declares a document type" in str(form_errors(response)["export"])
    assert not WordPressImport.objects.exists()


def symlink_entry():
    info = zipfile.ZipInfo("wp-content/uploads/2023/05/ward-window.jpg")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, b"/etc/passwd"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("../x.jpg", b"x")], "points outside the folder"),
        ([("uploads/../../x.jpg", b"x")], "points outside the folder"),
        ([("/etc/x.jpg", b"x")], "is an absolute path"),
        ([symlink_entry()], "is a symbolic link"),
        ([("bomb.jpg", b"\0" * 3_000_000)], "zip bomb"),
    ],
    ids=["zip-slip", "nested-slip", "absolute", "symlink", "bomb"],
)
def test_hostile_zips_are_refused_and_the_export_kept(admin_client, entries, message):
    response = upload(admin_client, EXPORT.read_bytes(), zip_of(entries))
    assert message in str(form_errors(response)["uploads_zip"])
    assert not WordPressImport.objects.exists()
    assert "“export.xml” is kept" in response.content.decode()


def test_a_file_that_is_not_a_zip_is_refused(admin_client):
    response = upload(admin_client, EXPORT.read_bytes(), b"PK but not really")
    assert "This is not a zip file" in str(form_errors(response)["uploads_zip"])


def test_a_zip_with_too_many_files_is_refused(admin_client, settings):
    settings.WORDPRESS_ZIP_MAX_FILES = 3
    entries = [(f"uploads/{n}.jpg", b"x") for n in range(4)]
    response = upload(admin_client, EXPORT.read_bytes(), zip_of(entries))
    assert "holds 4 entries, more than the 3 accepted" in str(
        form_errors(response)["uploads_zip"]
    )


def test_a_zip_too_big_unpacked_is_refused(admin_client, settings, uploads):
    settings.WORDPRESS_ZIP_MAX_BYTES = 10_000
    response = upload(admin_client, EXPORT.read_bytes(), uploads_zip_of(uploads))
    assert "more than the 0.0 MB accepted" in str(form_errors(response)["uploads_zip"])


def test_the_kept_export_is_used_with_the_corrected_zip(
    transactional_db, admin_client, uploads, run_imports
):
    refused = upload(admin_client, EXPORT.read_bytes(), zip_of([("../x.jpg", b"x")]))
    token = refused.context["adminform"].form.data["kept_export"]
    assert token
    response = run_imports(
        admin_client, None, uploads_zip_of(uploads), kept_export=token
    )
    assert response.status_code == 302
    job = WordPressImport.objects.get()
    assert job.state == WordPressImport.State.DONE, job.error
    assert job.export_name.startswith("export")
    assert ImportedPost.objects.filter(wordpress_id=101).exists()
