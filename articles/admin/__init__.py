"""Admin registrations, one module per part of the content."""

from articles.admin import articles, taxonomy

__all__ = ["articles", "taxonomy"]
