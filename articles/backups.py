"""Backups that restore: the database and the uploaded media, copied into one
folder (`manage.py backup`), and brought back from it (`manage.py restore`).

A backup folder holds:
- ``database.dump`` on PostgreSQL: pg_dump's custom format, one snapshot of
  the whole database however long the dump takes; or ``database.sqlite3`` on
  SQLite: a copy made with SQLite's online backup API, safe while the site
  writes;
- ``media.tar``: every file in the media storage (MEDIA_ROOT, or the bucket);
- ``manifest.json``: what the folder holds, the migrations the database had,
  and the SHA-256 of each file, checked before a restore changes anything.
  It is written last: a folder without one is a backup that did not finish.

The database is copied before the media: an upload stores its file before
its row, so every file a copied row names is already there to be copied.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField
from django.utils import timezone

from articles import page_cache

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Rows that `migrate` itself writes into a new database: the roles and their
# permissions. A database holding nothing else holds no content to lose.
MADE_BY_MIGRATE = {ContentType, Permission, Group, Group.permissions.through}


class BackupError(Exception):
    pass


def write_backup(folder):
    """Back up the default database and the media storage into ``folder``,
    which must be new or empty. Returns the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give each backup a new folder.")
    connection = connections[DEFAULT_DB_ALIAS]
    database_file = DATABASE_FILES.get(connection.vendor)
    if database_file is None:
        raise BackupError(
            f"Backups support PostgreSQL and SQLite, not {connection.vendor}."
        )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        made_at = timezone.now()
        migrations = sorted(
            f"{app}.{name}"
            for app, name in MigrationRecorder(connection).applied_migrations()
        )
        if connection.vendor == "postgresql":
            dump_postgresql(connection, folder / database_file)
        else:
            connection.ensure_connection()
            copy_sqlite(connection.connection, folder / database_file)
        media = write_media_tar(folder / MEDIA)
        media["missing"] = sorted(
            files_named_by_the_database() - set(media.pop("names"))
        )
        manifest = {
            "format": FORMAT,
            "made_at": made_at.isoformat(),
            "database": {
                "vendor": connection.vendor,
                "file": database_file,
                "sha256": sha256(folder / database_file),
                "migrations": migrations,
            },
            "media": {"file": MEDIA, "sha256": sha256(folder / MEDIA), **media},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(folder)
        raise
    return manifest


def restore_backup(folder, replace=False, stdout=None):
    """Bring back the backup in ``folder`` into the default database and the
    media storage, then migrate it to this version of the site.

    Refuses a database that holds content unless ``replace``; everything
    that can be checked is checked before anything is changed."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    connection = connections[DEFAULT_DB_ALIAS]
    database = manifest["database"]
    if database["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {VENDOR_NAMES[database['vendor']]} database and "
            f"this site uses {VENDOR_NAMES.get(connection.vendor, connection.vendor)}: "
            "restore it onto the same kind of database."
        )
    unknown = set(database["migrations"]) - {
        f"{app}.{name}" for app, name in MigrationLoader(None).graph.nodes
    }
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of the site (it has "
            f"migrations this one lacks: {', '.join(sorted(unknown))}). "
            "Upgrade the site first, then restore."
        )
    held = content_held()
    if held and not replace:
        raise BackupError(
            f"The database is not empty: it holds {held}. A restore replaces "
            "everything in it: restore into a new, empty database, or run again "
            "with --replace to lose what it holds now."
        )
    restore_media(folder / MEDIA)
    if connection.vendor == "postgresql":
        restore_postgresql(connection, folder / database["file"])
    else:
        connection.ensure_connection()
        restore_sqlite(folder / database["file"], connection.connection)
    ContentType.objects.clear_cache()
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout)
    page_cache.invalidate()
    return manifest


def read_manifest(folder):
    manifest_file = folder / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(
            f"{folder} holds no {MANIFEST}: it is not a backup, or one that did "
            "not finish."
        )
    try:
        manifest = json.loads(manifest_file.read_text())
    except ValueError as error:
        raise BackupError(f"{manifest_file} cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_file} is of a format this site cannot read.")
    for part in (manifest["database"], manifest["media"]):
        path = folder / part["file"]
        if not path.is_file():
            raise BackupError(f"{path} is missing: this backup is incomplete.")
        if sha256(path) != part["sha256"]:
            raise BackupError(
                f"{path} is not the file that was backed up (its SHA-256 differs "
                "from the manifest's): it was changed or damaged."
            )
    return manifest


def content_held():
    """What the database holds beyond what `migrate` makes, e.g. "3 articles,
    2 users"; empty when it holds nothing."""
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.table_names())
    counts = []
    for model in apps.get_models(include_auto_created=True):
        if model in MADE_BY_MIGRATE or model._meta.db_table not in tables:
            continue
        if model._meta.auto_created:
            continue
        count = model._base_manager.count()
        if count:
            name = (
                model._meta.verbose_name
                if count == 1
                else model._meta.verbose_name_plural
            )
            counts.append(f"{count} {name}")
    return ", ".join(counts)


def with_connection_env(settings_dict):
    """The environment that points PostgreSQL's programs at a database."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = os.environ | (env or {})
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def run_client(command, settings_dict):
    try:
        subprocess.run(
            command,
            env=with_connection_env(settings_dict),
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} not found: install PostgreSQL's client programs of the "
            "server's major version (Debian: postgresql-client-15)."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def dump_postgresql(connection, target):
    run_client(
        ["pg_dump", "--format=custom", f"--file={target}"], connection.settings_dict
    )


def restore_postgresql(connection, dump):
    # What migrate put into an empty database goes, with anything else in
    # its schema, so that the dump's tables, functions and triggers come
    # back as they were. The database's owner may do this.
    if connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    run_client(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        connection.settings_dict,
    )


def copy_sqlite(source, target):
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()


def restore_sqlite(backup, target):
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()


def stored_files(storage, folder=""):
    """Every file name in ``storage``, folders first, in a stable order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, name))
    for name in sorted(files):
        yield posixpath.join(folder, name)


def write_media_tar(target):
    names, size = [], 0
    with tarfile.open(target, "w") as tar:
        for name in stored_files(default_storage):
            info = tarfile.TarInfo(name)
            info.size = default_storage.size(name)
            info.mtime = default_storage.get_modified_time(name).timestamp()
            info.mode = 0o644
            with default_storage.open(name, "rb") as handle:
                tar.addfile(info, handle)
            names.append(name)
            size += info.size
    return {"files": len(names), "bytes": size, "names": names}


def restore_media(archive):
    with tarfile.open(archive) as tar:
        for member in tar:
            if not member.isfile():
                continue
            name = member.name
            try:
                if default_storage.exists(name):
                    default_storage.delete(name)
                with tar.extractfile(member) as handle:
                    saved = default_storage.save(name, File(handle, name=name))
            except SuspiciousFileOperation as error:
                raise BackupError(
                    f"{archive} names a file outside the media: {error}"
                ) from None
            if saved != name:
                raise BackupError(
                    f"{name} was stored as {saved}: the media storage renames files."
                )


def files_named_by_the_database():
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                names.update(
                    model._base_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                )
    names.discard(None)
    return names


def sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
