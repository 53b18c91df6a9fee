"""What the link checker knows of each address the articles link to."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

# Each address keeps this many of its latest checks.
CHECKS_KEPT = 20


class LinkState(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Works"
    MOVED = "moved", "Moved"
    FAILING = "failing", "Failed lately"
    BROKEN = "broken", "Broken"


class LinkQuerySet(models.QuerySet):
    def to_fix(self):
        """Broken or moved, the most used by live articles first."""
        # Imported here: the articles module imports this one.
        from articles.models.articles import Article

        live = Article.objects.published().values("pk")
        return (
            self.filter(state__in=[LinkState.BROKEN, LinkState.MOVED])
            .annotate(
                live_articles=Count("articles", filter=Q(articles__in=live)),
                articles_using=Count("articles"),
            )
            .order_by("-live_articles", "-articles_using", "url")
        )

    def due(self, stale_after=None):
        """Never checked, or last checked longer than ``stale_after`` ago."""
        if not stale_after:
            return self
        return self.filter(
            Q(checked_at__isnull=True) | Q(checked_at__lte=timezone.now() - stale_after)
        )

    def broken(self):
        return self.filter(state=LinkState.BROKEN)

    def broken_among(self, urls):
        """The broken links among ``urls``, by address."""
        urls = {url for url in urls if url}
        if not urls:
            return {}
        return {
            link.url: link for link in self.filter(url__in=urls, state=LinkState.BROKEN)
        }


class Link(models.Model):
    """One address that articles link to, in a reference or in the body."""

    url = models.URLField("address", max_length=2000, unique=True)
    articles = models.ManyToManyField(
        "articles.Article", related_name="links", blank=True
    )
    state = models.CharField(
        max_length=20, choices=LinkState.choices, default=LinkState.UNCHECKED
    )
    checked_at = models.DateTimeField("last checked", null=True, blank=True)
    ok_at = models.DateTimeField("last worked", null=True, blank=True)
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True)
    error = models.CharField(max_length=200, blank=True)
    final_url = models.URLField("leads to", max_length=2000, blank=True)
    # The failures since it last worked, and when the first of them was.
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return self.url

    @property
    def answer(self):
        """What the server said last, in a few words."""
        if self.error:
            return self.error
        return f"HTTP {self.status_code}" if self.status_code else ""

    @property
    def moved_to(self):
        return self.final_url if self.state == LinkState.MOVED else ""

    def record(self, result, at):
        """Take in one check's ``result`` (articles.linkcheck.checker.Result)."""
        from articles.linkcheck import checker

        self.checked_at = at
        self.status_code = result.status_code
        self.error = result.error[:200]
        self.final_url = result.final_url[:2000]
        if result.outcome in (checker.OK, checker.MOVED):
            self.state = LinkState(result.outcome)
            self.ok_at, self.failures, self.failing_since = at, 0, None
        elif result.outcome == checker.FAILED:
            self.failures += 1
            self.failing_since = self.failing_since or at
            if self.broken_by_now(at):
                self.state = LinkState.BROKEN
            elif self.state != LinkState.BROKEN:
                self.state = LinkState.FAILING
        # An inconclusive answer changes nothing but the record of it.

    def broken_by_now(self, at):
        """Failed often enough, over long enough: settings.LINK_CHECK_BROKEN_*."""
        return (
            self.failures >= settings.LINK_CHECK_BROKEN_AFTER_FAILURES
            and at - self.failing_since
            >= timedelta(days=settings.LINK_CHECK_BROKEN_AFTER_DAYS)
        )


class LinkCheck(models.Model):
    """One check of a link: its history, so that an editor sees a pattern."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=20)
    status_code = models.PositiveSmallIntegerField(null=True)
    error = models.CharField(max_length=200, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["link", "-checked_at"])]

    def __str__(self):
        return f"{self.link} at {self.checked_at:%Y-%m-%d %H:%M}: {self.outcome}"


class SourceToFix(Link):
    """The admin's list of broken and moved links (articles.admin.sources)."""

    class Meta:
        proxy = True
        verbose_name = "source to fix"
        verbose_name_plural = "sources to fix"
