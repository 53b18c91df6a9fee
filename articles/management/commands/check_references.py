import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from articles.linkcheck import runs
from articles.models import Article, LinkState

UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)


def duration(text):
    match = DURATION.match(text)
    if match is None:
        raise CommandError(
            f"--stale-after {text!r}: give a number and a unit, such as 30m, 12h, "
            "7d or 2w."
        )
    return timedelta(**{UNITS[match[2].lower()]: int(match[1])})


class Command(BaseCommand):
    help = (
        "Check the links of every reference and every link to another site in "
        "article bodies, and record whether they still work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            metavar="ID",
            help="Only this article (may be given more than once).",
        )
        parser.add_argument(
            "--stale-after",
            metavar="DURATION",
            help="Only links not checked for this long, e.g. 7d (m, h, d, w).",
        )

    def handle(self, *args, article=None, stale_after=None, **options):
        stale_after = duration(stale_after) if stale_after is not None else None
        articles = Article.objects.all()
        if article:
            articles = articles.filter(pk__in=article)
            missing = set(article) - set(articles.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    f"No article with id {', '.join(map(str, sorted(missing)))}."
                )
        links = list(runs.gather(articles, whole_site=not article).due(stale_after))
        self.stdout.write(str(runs.check(links)))
        for link in links:
            if link.state in (LinkState.OK, LinkState.UNCHECKED):
                continue
            line = f"{link.get_state_display()}: {link.url} ({link.answer})"
            if link.moved_to:
                line += f" -> {link.moved_to}"
            self.stdout.write(line)
