"""What an import remembers, so that running it again changes nothing, and
the old addresses it keeps answering."""

from datetime import timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from articles.images.models import Image
from articles.models import Article

MAX_PATH = 500
STALLED_AFTER = timedelta(minutes=10)


def normalize_path(address):
    """The form an old address is stored and looked up in: the path decoded,
    lowercased and without a trailing slash, with its query string if any.

    "https://old.example/2023/05/05/Slug/" and "/2023/05/05/slug" are the same
    address; WordPress itself treats them so. The host is dropped: the site
    usually keeps its name when it moves.
    """
    parts = urlsplit(address.strip())
    path = unquote(parts.path).lower().rstrip("/") or "/"
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{path}?{parts.query}" if parts.query else path


class OldAddressQuerySet(models.QuerySet):
    def article_for(self, address):
        """The live article an old address leads to, or None."""
        return (
            Article.objects.published()
            .filter(old_addresses__path=normalize_path(address))
            .only("slug")
            .first()
        )


class OldAddress(models.Model):
    """An address an article had on the old site, answered with a 301 to its
    page here (middleware.OldAddressMiddleware)."""

    path = models.CharField(
        max_length=MAX_PATH,
        unique=True,
        help_text="The old path, e.g. “/2023/05/05/relapse/” or “/?p=123”.",
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_addresses"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return self.path

    def save(self, *args, **kwargs):
        self.path = normalize_path(self.path)
        super().save(*args, **kwargs)


class ImportedPost(models.Model):
    """A WordPress post and the article it became: re-imports match on the
    post's id, and its fingerprint tells whether the export changed it."""

    wordpress_id = models.PositiveBigIntegerField(unique=True)
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="wordpress_post"
    )
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField()

    def __str__(self):
        return f"WordPress post {self.wordpress_id}"


class ImportedAttachment(models.Model):
    """A WordPress attachment and the library image it became."""

    wordpress_id = models.PositiveBigIntegerField(unique=True)
    image = models.ForeignKey(
        Image, on_delete=models.CASCADE, related_name="wordpress_attachments"
    )
    fingerprint = models.CharField(max_length=64)

    def __str__(self):
        return f"WordPress attachment {self.wordpress_id}"


class PrivateFiles(FileSystemStorage):
    """Uploaded exports and zips, kept under PENDING_UPLOADS_ROOT: outside
    MEDIA_ROOT, so never served. The folder is read from the settings each
    time, not once when the model is loaded."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600)

    @property
    def base_location(self):
        return Path(settings.PENDING_UPLOADS_ROOT) / "wordpress"

    @property
    def location(self):
        return str(self.base_location.resolve())


def private_files():
    return PrivateFiles()


class WordPressImport(models.Model):
    """An export (and a zip of its uploads folder) uploaded in the admin, and
    what importing it did."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    export = models.FileField(
        "WordPress export",
        storage=private_files,
        upload_to="exports/",
        help_text="The file WordPress makes under Tools → Export → All content.",
    )
    uploads_zip = models.FileField(
        "uploads folder (zip)",
        storage=private_files,
        upload_to="uploads/",
        blank=True,
        help_text="Optional: the old site's wp-content/uploads folder, zipped. "
        "Without it, posts come in without their images.",
    )
    as_drafts = models.BooleanField(
        "bring every post in as a draft",
        default=False,
        help_text="For an editor to check each one before it goes live here.",
    )
    is_dry_run = models.BooleanField(
        "dry run",
        default=False,
        help_text="Report what would happen; write nothing.",
    )
    state = models.CharField(max_length=10, choices=State, default=State.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moved on as posts are imported: a running import not heard from in a
    # while was stopped with the server.
    heard_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import from WordPress"
        verbose_name_plural = "imports from WordPress"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.export_name} ({self.get_state_display().lower()})"

    @property
    def export_name(self):
        return PurePosixPath(self.export.name).name if self.export else ""

    @property
    def is_finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_stalled(self):
        """Running, but not heard from for longer than any post takes: the
        server stopped under it."""
        if self.state != self.State.RUNNING:
            return False
        last = self.heard_at or self.started_at or self.created_at
        return timezone.now() - last > STALLED_AFTER


@receiver(post_delete, sender=WordPressImport)
def delete_uploaded_files(sender, instance, using, **kwargs):
    for field in (instance.export, instance.uploads_zip):
        if field:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda n=name, s=storage: s.delete(n), using=using)
