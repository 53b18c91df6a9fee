"""Back up the database and the uploaded media into a new folder
(articles/backups.py says what it holds)."""

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Copy the database (pg_dump on PostgreSQL, the online backup API on "
        "SQLite) and every uploaded file into a new folder, with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder for this backup.")

    def handle(self, *args, folder, **options):
        try:
            manifest = write_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = manifest["media"]
        self.stdout.write(
            f"Backed up the database and {media['files']} media files "
            f"({media['bytes']:,} bytes) to {folder}."
        )
        if media["missing"]:
            self.stderr.write(
                "The database names files the media storage lacks: "
                + ", ".join(media["missing"])
            )
