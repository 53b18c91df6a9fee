"""A zip of the old site's wp-content/uploads folder, checked as it arrives
and unpacked only into a private folder.

Anyone could have made the archive, so it is read as hostile, as an image
upload is: its directory is checked before a byte is unpacked, for too many
entries, too many bytes once unpacked, an entry that swells far more than a
photo can (a zip bomb), a path that climbs out of the folder (``../x.jpg``,
``/etc/x``), a symbolic link and a password. Only the images are unpacked,
the rest of an uploads folder (PDFs, backups a plugin left) is not needed.
"""

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}
# Photos are compressed already: a zip squeezes them by a few percent. An
# entry that grows more than this many times over is made to explode.
MAX_RATIO = 100
# The ratio of a tiny entry says nothing (a 40-byte text file can grow 10×).
RATIO_FROM_BYTES = 1024 * 1024
CHUNK = 1024 * 1024


def refuse(message, **params):
    raise ValidationError(message, code="hostile_zip", params=params)


def check(file):
    """Raise ValidationError unless ``file`` (open, binary) is a zip fit to
    unpack; it is read from its directory only, nothing is unpacked."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse(
            "This is not a zip file. Zip the wp-content/uploads folder "
            "(on most computers: right-click it, then Compress) and choose that."
        )
    with archive:
        check_entries(archive.infolist())


def check_entries(entries):
    max_files = settings.WORDPRESS_ZIP_MAX_FILES
    max_bytes = settings.WORDPRESS_ZIP_MAX_BYTES
    if len(entries) > max_files:
        refuse(
            "This zip holds %(count)s entries, more than the %(limit)s accepted. "
            "Zip only the uploads folder, or import with manage.py import_wordpress.",
            count=f"{len(entries):,}",
            limit=f"{max_files:,}",
        )
    total = 0
    for entry in entries:
        name = entry.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")):
            refuse("“%(name)s” in the zip is an absolute path: refused.", name=name)
        if ".." in parts:
            refuse(
                "“%(name)s” in the zip points outside the folder it is unpacked "
                "into: refused.",
                name=name,
            )
        if stat.S_ISLNK(entry.external_attr >> 16):
            refuse(
                "“%(name)s” in the zip is a symbolic link: refused. Zip the files "
                "themselves.",
                name=name,
            )
        if entry.flag_bits & 0x1:
            refuse(
                "“%(name)s” in the zip is protected by a password: zip the folder "
                "again without one.",
                name=name,
            )
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            refuse(
                "“%(name)s” in the zip would grow %(ratio)s times over when "
                "unpacked, which no photo does: refused as a zip bomb.",
                name=name,
                ratio=f"{entry.file_size // max(entry.compress_size, 1):,}",
            )
        total += entry.file_size
    if total > max_bytes:
        refuse(
            "This zip would unpack to %(size)s MB, more than the %(limit)s MB "
            "accepted. Import a folder this large with manage.py import_wordpress.",
            size=f"{total / 1_000_000:,.1f}",
            limit=f"{max_bytes / 1_000_000:,.1f}",
        )


def unpack(path, folder):
    """Unpack the images of the checked zip at ``path`` into ``folder``;
    returns the folder that plays the uploads folder (the zip may hold
    ``uploads/`` or ``wp-content/uploads/`` rather than its contents)."""
    folder = Path(folder)
    with zipfile.ZipFile(path) as archive:
        # Checked again: the file on disk is what is unpacked.
        check_entries(archive.infolist())
        for entry in archive.infolist():
            parts = PurePosixPath(entry.filename.replace("\\", "/")).parts
            if entry.is_dir() or PurePosixPath(*parts).suffix.lower() not in (
                IMAGE_SUFFIXES
            ):
                continue
            target = folder.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            # zipfile stops an entry at the size its directory declares, so
            # the limits checked above hold for the bytes written too.
            with archive.open(entry) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
    for inner in ("wp-content/uploads", "uploads"):
        if (folder / inner).is_dir():
            return folder / inner
    return folder
