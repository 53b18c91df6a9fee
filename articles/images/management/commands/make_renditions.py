from django.core.management.base import BaseCommand
from django.db import transaction

from articles.images import renditions
from articles.images.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions of every image again, under new random names. Run it "
        "once after upgrading: originals that still carry EXIF or other metadata, "
        "extra frames or CMYK or 16-bit colours are cleaned, and originals stored "
        "under their upload's name are moved to a random one."
    )

    def handle(self, *args, **options):
        rebuilt = cleaned = renamed = 0
        for image in Image.objects.order_by("pk").iterator():
            try:
                # One image at a time, so a missing or unreadable file affects
                # only its own image.
                with transaction.atomic():
                    if image.original_needs_cleaning():
                        image.reprocess_original()  # Also makes the renditions.
                        cleaned += 1
                    else:
                        if not renditions.is_generated_name(image.file.name):
                            image.rename_original()
                            renamed += 1
                        image.make_renditions()
            except OSError as error:
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
                continue
            rebuilt += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Made renditions for {rebuilt} images; cleaned {cleaned} originals "
                f"and moved {renamed} to random names."
            )
        )
