"""An upload kept across a refused save, so the editor need not choose it again.

Browsers never fill a file input back in: when the image form comes back with
an error (no alt text, say), the chosen file would be gone without a word. The
form keeps the checked upload here instead, and names it in a signed hidden
field that only the same user can redeem; the next save uses it. The folder
is outside MEDIA_ROOT, so nothing in it is ever served. A kept file is deleted
once it is saved; one left behind is deleted the next time an upload is kept,
once it is a day old.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.images.renditions import new_token

MAX_AGE = timedelta(days=1)


def storage():
    return FileSystemStorage(
        location=settings.PENDING_UPLOADS_ROOT, file_permissions_mode=0o600
    )


def salt(user):
    return f"images.pending_uploads:{user.pk}"


def keep(upload, user):
    """Store ``upload`` and return the token that gives it back to ``user``."""
    purge_stale()
    upload.seek(0)
    name = storage().save(new_token(), upload)
    return signing.dumps({"name": name, "as": upload.name}, salt=salt(user))


def take(token, user):
    """The upload kept under ``token`` for ``user``; None if the token is
    forged, someone else's or expired, or the file is gone."""
    kept = redeem(token, user)
    if kept is None:
        return None
    try:
        with storage().open(kept["name"]) as stored:
            return SimpleUploadedFile(kept["as"], stored.read())
    except OSError:
        return None


def discard(token, user):
    if (kept := redeem(token, user)) is not None:
        storage().delete(kept["name"])


def redeem(token, user):
    try:
        return signing.loads(token, salt=salt(user), max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def purge_stale():
    folder = storage()
    if not folder.exists(""):
        return
    cutoff = timezone.now() - MAX_AGE
    _, names = folder.listdir("")
    for name in names:
        try:
            if folder.get_modified_time(name) < cutoff:
                folder.delete(name)
        except FileNotFoundError:  # Another worker purged it first.
            continue
