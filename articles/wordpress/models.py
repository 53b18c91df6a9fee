"""What an import remembers, so that running it again changes nothing, and
the old addresses it keeps answering."""

from urllib.parse import unquote, urlsplit

from django.db import models

from articles.images.models import Image
from articles.models import Article

MAX_PATH = 500


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
