"""The sitemap: every live article, and the topic and author pages that list them.

/sitemap.xml is an index of one section per kind of page, so a section past
50,000 addresses pages on by itself (?p=2) without changing what robots.txt
names. These sections page by ranges of ids (articles.sitemap_paging), so the
index costs the same however many articles there are. Addresses use the host
the sitemap was asked for (contrib.sites is not installed), so they are always
on the sitemap's own host, as crawlers require.
"""

from django.db.models import Exists, OuterRef, Subquery

from articles.models import Article, Author, Topic
from articles.sitemap_paging import IdRangeSitemap

# lastmod for a topic or author page: its newest change among live articles,
# the same instant as each article's own lastmod. An index on this expression
# (Article.Meta) finds the newest in one step, however many articles.
ARTICLE_CHANGED = Article.last_changed()


def by_change(articles):
    """``articles``' lastmods, newest first."""
    return articles.annotate(changed=ARTICLE_CHANGED).order_by("-changed")


def newest_change(articles):
    """The newest lastmod among ``articles``, as a scalar subquery."""
    return Subquery(by_change(articles).values("changed")[:1])


def latest_change(articles):
    return by_change(articles).values_list("changed", flat=True).first()


class ArticleSitemap(IdRangeSitemap):
    def items(self):
        # only() because a sitemap page may hold 50,000 of them.
        return (
            Article.objects.published()
            .annotate(lastmod=ARTICLE_CHANGED)
            .only("slug", "published_at", "updated_at")
            .order_by("pk")
        )

    def last_id(self):
        # The newest live article ends the last page; scheduled and draft ones
        # past it would only add empty pages.
        return (
            Article.objects.published()
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )

    def lastmod(self, article):
        return article.lastmod

    def get_latest_lastmod(self):
        # For the index: the newest, found along the index on lastmod.
        return latest_change(Article.objects.published())


class ArticlesOfSitemap(IdRangeSitemap):
    """Topic or author pages: only those with a live article, since the others
    are empty lists (an author's bio alone is not worth a crawl)."""

    model = None

    def items(self):
        # Whether an owner has a live article is one lookup in an index, so a
        # page costs one per owner, not per article.
        return (
            self.model.objects.filter(Exists(self.live_articles()))
            .annotate(lastmod=newest_change(self.live_articles()))
            .only("slug")
            .order_by("pk")
        )

    def live_articles(self):
        """The live articles of the owner in the outer query."""
        return Article.objects.published().filter(
            **{self.article_field: OuterRef("pk")}
        )

    def last_id(self):
        # Every owner, whether it has a live article or not: finding the last
        # that has one could mean trying every owner. Topics and authors stay
        # far below 50,000, so this only ever says "one page".
        return self.model.objects.order_by("-pk").values_list("pk", flat=True).first()

    def lastmod(self, owner):
        return owner.lastmod

    def get_latest_lastmod(self):
        owned = Article.objects.published().filter(
            Exists(self.model.objects.filter(**{self.owner_field: OuterRef("pk")}))
        )
        return latest_change(owned)


class TopicSitemap(ArticlesOfSitemap):
    model = Topic
    article_field = "topics"
    # The owner's field that points at an article.
    owner_field = "articles"


class AuthorSitemap(ArticlesOfSitemap):
    model = Author
    article_field = "author"
    owner_field = "articles"


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}
