"""The sitemap: every live article, and the topic and author pages that list them.

/sitemap.xml is an index of one section per kind of page, so a section past
50,000 addresses pages on by itself (?p=2) without changing what robots.txt
names. Addresses use the host the sitemap was asked for (contrib.sites is not
installed), so they are always on the sitemap's own host, as crawlers require.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from articles.models import Article, Author, Topic

# lastmod for a topic or author page: its newest change among live articles,
# the same instant as each article's own lastmod.
ARTICLE_CHANGED = Article.last_changed()
OWNER_ARTICLE_CHANGED = Article.last_changed("articles__")


class ArticleSitemap(Sitemap):
    def items(self):
        # Ordered by pk so that pages past the first stay put as articles are
        # added; only() because a sitemap page may hold 50,000 of them.
        return (
            Article.objects.published()
            .annotate(lastmod=ARTICLE_CHANGED)
            .only("slug", "published_at", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.lastmod

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of loading every article.
        return Article.objects.published().aggregate(latest=Max(ARTICLE_CHANGED))[
            "latest"
        ]


class ArticlesOfSitemap(Sitemap):
    """Topic or author pages: only those with a live article, since the others
    are empty lists (an author's bio alone is not worth a crawl)."""

    model = None

    def items(self):
        # Filtering before annotating makes the join the annotation reads hold
        # live articles only: drafts and scheduled ones set no lastmod.
        return (
            self.model.objects.filter(articles__in=Article.objects.published())
            .annotate(lastmod=Max(OWNER_ARTICLE_CHANGED))
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, owner):
        return owner.lastmod

    def get_latest_lastmod(self):
        return (
            Article.objects.published()
            .filter(**{f"{self.article_field}__isnull": False})
            .aggregate(latest=Max(ARTICLE_CHANGED))["latest"]
        )


class TopicSitemap(ArticlesOfSitemap):
    model = Topic
    article_field = "topics"


class AuthorSitemap(ArticlesOfSitemap):
    model = Author
    article_field = "author"


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}
