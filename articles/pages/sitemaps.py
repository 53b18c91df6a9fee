from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from articles.pages.models import Page


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return Page.objects.published().aggregate(latest=Max("updated_at"))["latest"]
