"""The sitemap: every live article, and the topic and author pages that list them.

/sitemap.xml is an index of one section per kind of page, so a section past
50,000 addresses pages on by itself (?p=2) without changing what robots.txt
names. These sections page by ranges of ids (articles.sitemap_paging), so the
index costs the same however many articles there are. Addresses use the host
the sitemap was asked for (contrib.sites is not installed), so they are always
on the sitemap's own host, as crawlers require.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import Article, Author, Topic
from articles.sitemap_paging import IdRangeSitemap

# lastmod for a topic or author page: its newest change among live articles,
# the same instant as each article's own lastmod. An index on this expression
# over published articles (Article.Meta) finds the newest in one step, however
# many articles.
ARTICLE_CHANGED = Article.last_changed()

# A lastmod is never in the future: crawlers ignore or distrust one that is.
# So the newest of a section is one step back along that index from ``now``,
# past the scheduled articles, whose lastmods are still ahead. A live
# article's publish time has passed, but its "Updated" time could be ahead of
# the clock when written outside the admin (which stamps it with the present),
# by an import or the shell. Such an article is listed without a lastmod until
# that time comes, and does not count towards its topic's, author's or
# section's newest: each is the newest of the lastmods listed. Capping it at
# the present instead would move its lastmod on every fetch, and make the
# newest the present, which that one step back from it cannot tell.


def by_change(articles, now):
    """``articles``' lastmods up to ``now``, newest first."""
    return (
        articles.annotate(changed=ARTICLE_CHANGED)
        .filter(changed__lte=now)
        .order_by("-changed")
    )


def newest_change(articles, now):
    """The newest lastmod among ``articles``, as a scalar subquery."""
    return Subquery(by_change(articles, now).values("changed")[:1])


def latest_change(articles, now):
    return by_change(articles, now).values_list("changed", flat=True).first()


class LiveArticlesSitemap(IdRangeSitemap):
    """A section drawn from the articles live at one instant, ``now``: the
    same for which articles are listed and up to when their lastmods count."""

    @cached_property
    def now(self):
        return timezone.now()

    def live(self):
        return Article.objects.published(self.now)


class ArticleSitemap(LiveArticlesSitemap):
    def items(self):
        # only() because a sitemap page may hold 50,000 of them.
        return (
            self.live()
            .annotate(lastmod=ARTICLE_CHANGED)
            .only("slug", "published_at", "updated_at")
            .order_by("pk")
        )

    def last_id(self):
        # The newest live article ends the last page; scheduled and draft ones
        # past it would only add empty pages.
        return self.live().order_by("-pk").values_list("pk", flat=True).first()

    def lastmod(self, article):
        # None for an update time still ahead (see the top of this module).
        return article.lastmod if article.lastmod <= self.now else None

    def get_latest_lastmod(self):
        # For the index: the newest, found along the index on lastmod.
        return latest_change(self.live(), self.now)


class ArticlesOfSitemap(LiveArticlesSitemap):
    """Topic or author pages: only those with a live article, since the others
    are empty lists (an author's bio alone is not worth a crawl)."""

    model = None

    def items(self):
        # Whether an owner has a live article is one lookup in an index, so a
        # page costs one per owner, not per article.
        return (
            self.model.objects.filter(Exists(self.live_articles()))
            .annotate(lastmod=newest_change(self.live_articles(), self.now))
            .only("slug")
            .order_by("pk")
        )

    def live_articles(self):
        """The live articles of the owner in the outer query."""
        return self.live().filter(**{self.article_field: OuterRef("pk")})

    def last_id(self):
        # Every owner, whether it has a live article or not: finding the last
        # that has one could mean trying every owner. Topics and authors stay
        # far below 50,000, so this only ever says "one page".
        return self.model.objects.order_by("-pk").values_list("pk", flat=True).first()

    def lastmod(self, owner):
        return owner.lastmod

    def get_latest_lastmod(self):
        owned = self.live().filter(
            Exists(self.model.objects.filter(**{self.owner_field: OuterRef("pk")}))
        )
        return latest_change(owned, self.now)


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
