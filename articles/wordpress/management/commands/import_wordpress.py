"""manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run]
[--status draft|as-is]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.wordpress.importer import AS_IS, DRAFT, Importer
from articles.wordpress.wxr import NotAnExport

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content) with its "
        "images, credits, sources, dates, feed ids and old addresses. Safe to "
        "run again: nothing already imported is doubled."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The WXR file WordPress made.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the old site's wp-content/uploads folder.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would happen; write nothing.",
        )
        parser.add_argument(
            "--status",
            choices=[AS_IS, DRAFT],
            default=AS_IS,
            help="as-is (default): published posts go live here too; draft: "
            "every post arrives as a draft for an editor to check first.",
        )

    def handle(self, *args, export, media_dir, dry_run, status, **options):
        if not export.is_file():
            raise CommandError(f"No such file: {export}")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"No such folder: {media_dir}")
        importer = Importer(export, media_dir=media_dir, dry_run=dry_run, status=status)
        try:
            report = importer.run(progress=self.progress_bar())
        except NotAnExport as error:
            raise CommandError(f"{export}: {error}") from None
        if self.stdout.isatty():
            self.stdout.write("")
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def progress_bar(self):
        if not self.stdout.isatty():
            return None

        def show(done, total):
            filled = BAR_WIDTH * done // max(total, 1)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
            self.stdout.flush()

        return show
