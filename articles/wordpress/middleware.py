"""Old addresses answered with a 301, so links, bookmarks and search results
from before the move still arrive."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect

from articles.wordpress import archives
from articles.wordpress.models import OldAddress

logger = logging.getLogger(__name__)


class OldAddressMiddleware:
    """Looks an address up among the old ones only when nothing here answers
    it (a 404), or when it is the home page with a query string (WordPress's
    "/?p=123"), which the article list would otherwise answer as itself.

    Placed after the page cache: pages it keeps are answered before this runs,
    and a redirect is never kept, so the cost is one indexed query for an
    address that is not found anyway. Writing an old address starts a new page
    cache generation (articles/apps.py), so a home page kept for "/?p=123"
    before the import is not served after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = (f"/{settings.ADMIN_URL_PREFIX}", settings.STATIC_URL)

    def __call__(self, request):
        home_with_query = request.path == "/" and request.GET
        if (
            home_with_query
            and self.looks_up(request)
            and (target := self.target(request))
        ):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if (
            response.status_code == 404
            and self.looks_up(request)
            and (target := self.target(request))
        ):
            return HttpResponsePermanentRedirect(target)
        return response

    def looks_up(self, request):
        return request.method in ("GET", "HEAD") and not request.path.startswith(
            self.skipped
        )

    def target(self, request):
        address = request.get_full_path()
        try:
            article = OldAddress.objects.article_for(address)
            if article is None and "?" in address:
                article = OldAddress.objects.article_for(request.path)
            if article is not None:
                return article.get_absolute_url()
            if request.GET:
                return None
            return archives.new_address(request.path)
        except DatabaseError:
            # The address was not found anyway: a 404 is still the answer.
            logger.warning("Old addresses out of reach for %s", request.path)
            return None
