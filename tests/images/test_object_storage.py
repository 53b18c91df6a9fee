"""Media in S3-compatible object storage, set from the environment: an image
uploaded through the admin lands in the bucket with its renditions, and pages
link to them at MEDIA_URL. Against a real S3 API: moto's server on loopback."""

import json
import re
import subprocess
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.images.models import Image
from tests.conftest import image_bytes
from tests.servers import ROOT, moto_server, public_read

BUCKET = "blog-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "eu-west-2"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    with moto_server(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


def configured_from(environment):
    """The default storage and MEDIA_URL that blog.settings makes of these
    environment variables."""
    shown = subprocess.run(
        [
            ROOT / ".venv/bin/python",
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "import json; from django.conf import settings; print(json.dumps("
            "[settings.STORAGES['default'], settings.MEDIA_URL]))",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "storage-test"}
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    # As the README asks of operators: anyone may read, only the site writes.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=public_read(BUCKET))
    media_url = f"{s3_endpoint}/{BUCKET}/"
    storage, settings.MEDIA_URL = configured_from(
        {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "MEDIA_URL": media_url,
        }
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield s3
    stored = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for stored_object in stored:
        s3.delete_object(Bucket=BUCKET, Key=stored_object["Key"])
    s3.delete_bucket_policy(Bucket=BUCKET)
    s3.delete_bucket(Bucket=BUCKET)


def stored_keys(s3):
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_a_bucket_needs_the_address_readers_fetch_media_from():
    shown = subprocess.run(
        [ROOT / ".venv/bin/python", "manage.py", "check"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SECRET_KEY": "storage-test",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode != 0
    assert "MEDIA_URL must be the full address" in shown.stderr


def test_an_upload_is_stored_in_the_bucket_and_linked_at_media_url(
    bucket, s3_endpoint, settings, client, make_user, make_article
):
    client.force_login(make_user("Authors"))
    response = client.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile(
                "clinic.jpg", image_bytes((1600, 900)), "image/jpeg"
            ),
            "alt_text": "A nurse talks with a patient in a clinic room",
            "credit": "Depositphotos / pressmaster",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    renditions = list(image.renditions.all())
    assert renditions
    assert stored_keys(bucket) == {image.file.name} | {r.file.name for r in renditions}
    # Nothing went to the local disk.
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))

    article = make_article(featured_image=image)
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    # Browsers may load the images from there.
    assert (
        f"img-src 'self' data: {s3_endpoint}"
        in response.headers["Content-Security-Policy"]
    )
    linked = set(re.findall(r'src="([^"]+)"', page))
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        linked |= {entry.split()[0] for entry in srcset.split(", ")}
    assert linked
    assert all(url.startswith(settings.MEDIA_URL) for url in linked), linked
    assert {url.removeprefix(settings.MEDIA_URL) for url in linked} <= stored_keys(
        bucket
    )
    with urllib.request.urlopen(image.src_url, timeout=10) as served:
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["Cache-Control"] == "public, max-age=31536000"
        assert served.read()[:2] == b"\xff\xd8"
