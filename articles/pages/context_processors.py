from django.utils.functional import SimpleLazyObject

from articles.pages.models import Page
from articles.prepared import PreparedQuery

# Asked for on every reader page: compiled once per process.
SITE_PAGES = PreparedQuery(
    Page, lambda: Page.objects.published().only("title", "slug", "purpose")
)


def site_pages(request):
    """The published pages, for the footer of every reader page and the
    publisher's structured data. One query, made only if a template uses them
    (the admin's pages never do)."""
    return {"site_pages": SimpleLazyObject(SITE_PAGES.list)}
