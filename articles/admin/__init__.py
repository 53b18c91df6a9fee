"""Admin registrations, one module per part of the content."""

from articles.admin import articles, plain_language, taxonomy

__all__ = ["articles", "plain_language", "taxonomy"]
