from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions of every image again, e.g. for images uploaded before "
        "renditions existed. Originals that still carry EXIF or other metadata, "
        "extra frames or CMYK or 16-bit colours are cleaned first."
    )

    def handle(self, *args, **options):
        rebuilt = cleaned = 0
        for image in Image.objects.order_by("pk").iterator():
            try:
                # One image at a time, so a missing or unreadable file affects
                # only its own image.
                with transaction.atomic():
                    if image.original_needs_cleaning():
                        image.reprocess_original()  # Also makes the renditions.
                        cleaned += 1
                    else:
                        image.make_renditions()
            except OSError as error:
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
                continue
            rebuilt += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Made renditions for {rebuilt} images; cleaned {cleaned} originals."
            )
        )
