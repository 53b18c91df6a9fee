from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from articles.glossary.models import Term


class GlossarySitemap(Sitemap):
    """The A–Z index, then each term's page."""

    def items(self):
        return ["index", *Term.objects.only("slug", "updated_at").order_by("pk")]

    def location(self, item):
        return reverse("glossary:index") if item == "index" else item.get_absolute_url()

    def lastmod(self, item):
        if item == "index":
            return self.get_latest_lastmod()
        return item.updated_at

    def get_latest_lastmod(self):
        return Term.objects.aggregate(latest=Max("updated_at"))["latest"]
