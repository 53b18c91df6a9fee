from django.db import models

from articles.models.articles import Article


class StoredPage(models.Model):
    """An article page's head and article element as last rendered for
    readers, with a digest of everything they were rendered from
    (articles.page_parts). Derived data: a page whose loaded rows digest
    otherwise renders afresh and replaces it, so it is never edited, and
    losing it costs one render per article."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_page",
    )
    inputs = models.CharField(max_length=64)
    head_html = models.TextField()
    main_html = models.TextField()

    def __str__(self):
        return f"Stored page of article {self.article_id}"
