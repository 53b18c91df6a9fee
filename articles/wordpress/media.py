"""WordPress attachments brought into the image library from a copy of the
old site's uploads folder, through the checks and renditions of an upload in
the admin. Nothing is fetched over the network."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File

from articles.images.models import Image, featured_size_problem
from articles.images.uploads import inspect_image

UPLOADS = "/wp-content/uploads/"
# WordPress's resized copies: "photo-300x200.jpg" is a size of "photo.jpg",
# and "photo-scaled.jpg" the big original it scaled down.
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled)(?=\.[A-Za-z]+$)")
MAX_ALT = 300
MAX_CAPTION = 300
MAX_CREDIT = 200


class MediaProblem(Exception):
    """An image that cannot be brought in; the message says why."""


@dataclass
class Attachment:
    """What the export says of an attachment, kept between the two readings."""

    post_id: str
    url: str
    relative_path: str
    alt: str
    caption: str
    title: str

    @property
    def fingerprint(self):
        parts = (self.url, self.relative_path, self.alt, self.caption)
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def relative_path(url):
    """The path under the uploads folder an attachment's address names."""
    path = unquote(urlsplit(url).path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1]
    return ""


def attachment_of(item):
    return Attachment(
        post_id=item.post_id,
        url=item.attachment_url,
        relative_path=item.meta.get("_wp_attached_file", "").strip()
        or relative_path(item.attachment_url),
        alt=item.meta.get("_wp_attachment_image_alt", "").strip()[:MAX_ALT],
        caption=" ".join(item.excerpt.split())[:MAX_CAPTION],
        title=item.title,
    )


def original_url(url):
    """The address of the original a resized copy was made from."""
    parts = urlsplit(url)
    return parts._replace(path=SIZE_SUFFIX.sub("", parts.path), query="").geturl()


def file_in(media_dir, relative):
    """The file ``relative`` names inside ``media_dir``, never outside it:
    paths come from the export, which anyone could have written."""
    if media_dir is None:
        raise MediaProblem("no --media-dir was given, so no image files were read")
    if not relative:
        raise MediaProblem("the export gives no file for it")
    root = Path(media_dir).resolve()
    candidate = (root / PurePosixPath(relative.lstrip("/"))).resolve()
    if not candidate.is_relative_to(root):
        raise MediaProblem(f"its file “{relative}” lies outside the uploads folder")
    if not candidate.is_file():
        raise MediaProblem(f"its file “{relative}” is not in the uploads folder")
    return candidate


def check(path):
    """Raise MediaProblem unless the file passes the admin's upload checks
    and is big enough to be a featured image."""
    with path.open("rb") as handle:
        try:
            facts = inspect_image(File(handle, name=path.name))
        except ValidationError as error:
            raise MediaProblem(" ".join(error.messages)) from None
    if problem := featured_size_problem(facts.width, facts.height, f"“{path.name}”"):
        raise MediaProblem(problem)


def store(path, attachment, credit=""):
    """A new library image from a checked file, its renditions made."""
    with path.open("rb") as handle:
        image = Image(
            file=File(handle, name=path.name),
            alt_text=attachment.alt,
            caption=attachment.caption,
            credit=(credit or "")[:MAX_CREDIT],
        )
        image.save()
    return image
