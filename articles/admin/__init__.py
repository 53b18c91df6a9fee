"""Admin registrations, one module per part of the content."""

from articles.admin import articles, images, taxonomy

__all__ = ["articles", "images", "taxonomy"]
