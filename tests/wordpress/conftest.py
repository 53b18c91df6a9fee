import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "export.xml"


def write_jpeg(path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (40, 90, 120)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def uploads(tmp_path):
    """A copy of the old site's uploads folder: the notebook photo of post
    102 (attachment 202) is missing from it, as files go missing."""
    folder = tmp_path / "uploads"
    write_jpeg(folder / "2023/05/ward-window.jpg", (1600, 900))
    write_jpeg(folder / "2023/07/soup.jpg", (1200, 800))
    return folder


@pytest.fixture
def import_wordpress(db):
    def run(export=EXPORT, *args, **options):
        out = io.StringIO()
        call_command("import_wordpress", str(export), *args, stdout=out, **options)
        return out.getvalue()

    return run


@pytest.fixture
def imported(clock, uploads, import_wordpress):
    """The fixture export imported once, at the test clock's time."""
    return import_wordpress(EXPORT, "--media-dir", str(uploads))
