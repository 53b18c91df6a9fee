"""Bring back a backup made by `manage.py backup` (articles/backups.py)."""

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded media from a backup folder into "
        "an empty database, then migrate it to this version of the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by manage.py backup.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Restore even into a database that holds content, which is lost.",
        )

    def handle(self, *args, folder, replace, **options):
        try:
            manifest = restore_backup(folder, replace=replace, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup made at {manifest['made_at']}: the database and "
            f"{manifest['media']['files']} media files."
        )
