import io
import itertools
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Author, Image, Reference, Status, Topic

_ids = itertools.count()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def image_bytes(size=(64, 48), image_format="JPEG", color=(30, 110, 140)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def make_image(db):
    def make(**fields):
        defaults = {
            "file": ContentFile(image_bytes(), name=f"photo-{next(_ids)}.jpg"),
            "alt_text": "A nurse talks with a patient in a clinic room",
            "credit": "Depositphotos / pressmaster",
        }
        return Image.objects.create(**defaults | fields)

    return make


@pytest.fixture
def make_article(db):
    def make(**fields):
        n = next(_ids)
        defaults = {
            "title": f"Living with myeloma, part {n}",
            "slug": f"living-with-myeloma-{n}",
            "summary": "What to expect in the months after treatment ends.",
            "body": "<p>Most people feel tired for a while.</p>",
            "status": Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=1),
        }
        return Article.objects.create(**defaults | fields)

    return make


@pytest.fixture
def make_reference(db):
    def make(article, **fields):
        defaults = {
            "title": f"Relapse and treatment choices {next(_ids)}",
            "publisher": "Blood",
            "url": "https://ashpublications.org/blood/article/example",
            "doi": "10.1182/blood.2020008805",
            "pubmed_id": "32649747",
        }
        return Reference.objects.create(article=article, **defaults | fields)

    return make


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Relapse", slug="relapse")


@pytest.fixture
def author(db):
    return Author.objects.create(
        name="Dana Whitfield", slug="dana-whitfield", credentials="RN, oncology nurse"
    )
