"""A run of the link checker over articles: gather the addresses they link to,
check them (articles.linkcheck.checker) and record the answers.

Runs from ``manage.py check_references`` (cron) and from the admin's "Check
sources now", never while a reader waits. Everything a run writes goes in one
transaction at its end, so the page cache starts one new generation per run,
not one per address.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.linkcheck.checker import Checker
from articles.models import Article, Link, LinkCheck, LinkState
from articles.models.links import CHECKS_KEPT

MAX_URL_LENGTH = Link._meta.get_field("url").max_length


class _LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and (href := dict(attrs).get("href")):
            self.hrefs.append(href.strip())


def external_links(html):
    """The web addresses a body links to, leaving out the site's own."""
    finder = _LinkFinder()
    finder.feed(html or "")
    finder.close()
    own = urlsplit(settings.SITE_URL).netloc.lower()
    return [
        href
        for href in finder.hrefs
        if urlsplit(href).scheme.lower() in {"http", "https"}
        and urlsplit(href).netloc.lower() not in {"", own}
    ]


def addresses_of(article):
    """The addresses ``article`` links to: its references', then its body's."""
    urls = [r.url for r in article.references.all() if r.url]
    urls += external_links(article.body)
    return [url for url in dict.fromkeys(urls) if len(url) <= MAX_URL_LENGTH]


@transaction.atomic
def gather(articles, whole_site=False):
    """A Link for every address ``articles`` link to, tied to the articles
    that use it; with ``whole_site``, the links no article uses any more go."""
    users = defaultdict(set)
    pks = []
    # Afresh from the ids: ``articles`` may come with the admin's joins.
    articles = Article.objects.filter(pk__in=articles.values("pk"))
    for article in articles.only("pk", "body").prefetch_related("references"):
        pks.append(article.pk)
        for url in addresses_of(article):
            users[url].add(article.pk)
    known = set(Link.objects.filter(url__in=users).values_list("url", flat=True))
    Link.objects.bulk_create([Link(url=url) for url in users if url not in known])
    ids = dict(Link.objects.filter(url__in=users).values_list("url", "pk"))
    Through = Link.articles.through
    Through.objects.filter(article_id__in=pks).delete()
    Through.objects.bulk_create(
        Through(link_id=ids[url], article_id=pk)
        for url, article_pks in users.items()
        for pk in article_pks
    )
    if whole_site:
        Link.objects.filter(articles=None).delete()
    return Link.objects.filter(pk__in=ids.values())


def checker():
    return Checker(
        timeout=settings.LINK_CHECK_TIMEOUT,
        concurrency=settings.LINK_CHECK_CONCURRENCY,
        per_host=settings.LINK_CHECK_PER_HOST,
        retries=settings.LINK_CHECK_RETRIES,
        backoff=settings.LINK_CHECK_BACKOFF,
        private_addresses=settings.LINK_CHECK_PRIVATE_ADDRESSES,
        user_agent=(
            f"Mozilla/5.0 (compatible; {settings.SITE_NAME} link checker; "
            f"+{settings.SITE_URL})"
        ),
    )


@dataclass
class Summary:
    states: Counter
    not_checked: int

    def __str__(self):
        checked = sum(self.states.values())
        parts = [
            f"{self.states[state]} {state.label.lower()}"
            for state in LinkState
            if self.states[state]
        ]
        text = f"Checked {checked} link{'' if checked == 1 else 's'}"
        text += f": {', '.join(parts)}." if parts else "."
        if self.not_checked:
            text += f" {self.not_checked} not checked in time: try again later."
        return text


def check(links, within=None):
    """Check ``links`` and record what their servers said. With ``within``
    seconds, what is not answered by then is left for another run."""
    links = list(links)
    results = checker().check_all([link.url for link in links], within=within)
    return record(links, results)


@transaction.atomic
def record(links, results):
    at = timezone.now()
    checked, history, shown_to_readers = [], [], set()
    for link in links:
        result = results.get(link.url)
        if result is None:
            continue
        before = reader_note(link)
        link.record(result, at)
        if reader_note(link) != before:
            shown_to_readers.add(link.url)
        checked.append(link)
        history.append(
            LinkCheck(
                link=link,
                checked_at=at,
                outcome=result.outcome,
                status_code=result.status_code,
                error=link.error,
                final_url=link.final_url,
            )
        )
    Link.objects.bulk_update(
        checked,
        ["state", "checked_at", "ok_at", "status_code", "error", "final_url"]
        + ["failures", "failing_since"],
    )
    LinkCheck.objects.bulk_create(history)
    for link in checked:
        old = link.checks.values_list("pk", flat=True)[CHECKS_KEPT:]
        LinkCheck.objects.filter(pk__in=list(old)).delete()
    for article in Article.objects.filter(
        Q(references__url__in=shown_to_readers) | Q(links__url__in=shown_to_readers)
    ).distinct():
        article.rebuild_body()
    return Summary(Counter(link.state for link in checked), len(links) - len(checked))


def reader_note(link):
    """What readers see of a link: a note, with a day, when it is broken."""
    if link.state != LinkState.BROKEN:
        return None
    return timezone.localdate(link.checked_at)
